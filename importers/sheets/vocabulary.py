"""Header words, in English, German, Spanish and French, that name each column a hand-kept log
may have, and the question-like headers a Google Form writes ("How many grams?").

A header is normalised (case, accents, punctuation, a unit in brackets) and then matched: first
against whole names (short words like "g" or "day" are trusted only as the whole header), then
by the keywords it contains ("How many grams did you take?" holds "grams").
"""

from __future__ import annotations

import re
import unicodedata

# role -> names that are the whole header
EXACT: dict[str, tuple[str, ...]] = {
    "timestamp": (
        "timestamp", "taken at", "taken_at", "datetime", "date time", "when", "zeitstempel",
        "zeitpunkt", "marca temporal", "fecha y hora", "horodateur", "date et heure", "date heure",
        "datum uhrzeit", "datum und uhrzeit", "datum zeit",
    ),
    "date": ("date", "day", "datum", "tag", "fecha", "dia", "jour"),
    "time": ("time", "zeit", "uhrzeit", "hora", "heure", "clock"),
    "grams": (
        "g", "grams", "gram", "gramm", "gramos", "grammes", "amount", "dose", "dosage", "qty",
        "quantity", "weight", "menge", "dosis", "gewicht", "cantidad", "peso", "quantite", "poids",
    ),
    "mg": ("mg", "milligrams", "milligramm", "miligramos", "milligrammes"),
    "strain": (
        "strain", "product", "kind", "variety", "sorte", "produkt", "cepa", "variedad",
        "producto", "souche", "variete", "produit", "vein",
    ),
    "form": ("form", "type", "forma", "tipo", "forme", "darreichungsform"),
    "note": (
        "note", "notes", "comment", "comments", "notiz", "notizen", "bemerkung", "bemerkungen",
        "kommentar", "nota", "notas", "comentario", "comentarios", "remarque", "remarques",
        "commentaire", "commentaires",
    ),
}  # fmt: skip

# role -> keywords that name it anywhere in a longer header (a form's question)
CONTAINS: dict[str, tuple[str, ...]] = {
    "timestamp": ("timestamp", "zeitstempel", "marca temporal", "horodateur"),
    "time": ("time", "uhrzeit", "hora", "heure", "o clock", "what time", "when did"),
    "date": ("date", "datum", "fecha", "what day", "which day"),
    "mg": ("mg", "milligram", "miligramo", "milligramme"),
    "grams": (
        "grams", "gram", "gramm", "gramos", "grammes", "how much", "how many", "amount", "dose",
        "dosis", "menge", "wie viel", "cantidad", "cuanto", "quantite", "combien",
    ),
    "strain": ("strain", "product", "variety", "sorte", "cepa", "variedad", "souche", "variete"),
    "form": ("form", "forma", "forme"),
    "note": ("note", "comment", "notiz", "bemerkung", "kommentar", "comentario", "remarque"),
}  # fmt: skip

# check-in columns (the dashboard adds the SOWS items by name; see checkins.Fields)
CHECKIN_EXACT: dict[str, tuple[str, ...]] = {
    "cravings": (
        "cravings", "craving", "verlangen", "suchtdruck", "craving 0 10", "antojos", "ansia",
        "deseo", "envie", "envies", "manque",
    ),
    "mood": ("mood", "stimmung", "laune", "animo", "estado de animo", "humeur", "moral"),
    "insomnia": ("insomnia", "schlaflosigkeit", "insomnio", "insomnie", "sleep problems"),
    "supplements": (
        "supplements", "supplement", "nahrungserganzung", "nahrungserganzungsmittel",
        "erganzungen", "suplementos", "complementos", "complements", "supplements pris",
    ),
    "triggers": ("triggers", "trigger", "ausloser", "desencadenantes", "declencheurs"),
    "exercise": ("exercise", "sport", "bewegung", "ejercicio", "exercice"),
    "mindfulness": ("mindfulness", "meditation", "achtsamkeit", "meditacion", "pleine conscience"),
    "support": ("support", "unterstutzung", "apoyo", "soutien"),
}  # fmt: skip
CHECKIN_CONTAINS: dict[str, tuple[str, ...]] = {
    "cravings": ("craving", "verlangen", "suchtdruck", "antojo", "ansia", "envie"),
    "mood": ("mood", "stimmung", "animo", "humeur"),
    "insomnia": ("insomnia", "schlaflos", "insomnio", "insomnie"),
    "supplements": ("supplement", "erganzung", "suplemento", "complement"),
    "triggers": ("trigger", "ausloser", "desencadenante", "declencheur"),
}  # fmt: skip

# words for the dose forms (dashboard/core/store/vocab.py FORMS), as people write them
FORM_WORDS: dict[str, tuple[str, ...]] = {
    "powder": ("powder", "pulver", "polvo", "poudre", "toss and wash", "tnw", "leaf"),
    "capsule": (
        "capsule", "capsules", "caps", "cap", "kapsel", "kapseln", "capsula", "capsulas",
        "gelule", "gelules",
    ),
    "tea": ("tea", "tee", "te", "the", "infusion", "aufguss", "tisane"),
    "extract": ("extract", "extrakt", "extracto", "extrait", "tincture", "shot"),
    "other": ("other", "andere", "sonstige", "otro", "otra", "autre"),
}  # fmt: skip

_UNIT_IN_BRACKETS = re.compile(r"[\(\[]\s*(mg|g|gr|gramm|grams|gramos|grammes)\s*[\)\]]")


def normal(header: str) -> str:
    """`Menge (g)` -> `menge`, `Quantité` -> `quantite`, `How many grams?` -> `how many grams`."""
    text = unicodedata.normalize("NFKD", header.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _UNIT_IN_BRACKETS.sub(" ", text)
    text = text.replace("ß", "ss")
    return " ".join(re.findall(r"[a-z0-9]+", text))


def unit_in_header(header: str) -> str | None:
    """`Menge (g)`, `Amount [g]`, `Dose mg`, `Milligrams` -> g / mg; None when it names none."""
    text = unicodedata.normalize("NFKD", header.casefold())
    m = _UNIT_IN_BRACKETS.search(text)
    if m:
        return "mg" if m.group(1) == "mg" else "g"
    words = re.findall(r"[a-z]+", text)
    if any(w in ("mg", "milligram", "milligrams", "milligramm", "miligramos") for w in words):
        return "mg"
    if any(w.startswith("milligram") for w in words):
        return "mg"
    if any(w in ("g", "gr", "grams", "gram", "gramm", "gramos", "grammes") for w in words):
        return "g"
    return None


def _has(text: str, word: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){re.escape(word)}", text) is not None


def role_of(
    header: str, exact: dict[str, tuple[str, ...]], contains: dict[str, tuple[str, ...]]
) -> str | None:
    """The role a header names, or None. A header naming both a date and a time is a timestamp."""
    text = normal(header)
    if not text:
        return None
    for role, names in exact.items():
        if text in names:
            return role
    found = [role for role, words in contains.items() if any(_has(text, w) for w in words)]
    if "date" in found and "time" in found:
        return "timestamp"
    return found[0] if found else None  # dict order is the priority: time before amount


def dose_role(header: str) -> str | None:
    return role_of(header, EXACT, CONTAINS)


def checkin_role(header: str) -> str | None:
    return role_of(header, CHECKIN_EXACT, CHECKIN_CONTAINS)


def form_of(cell: str) -> str | None:
    text = normal(cell)
    for form, words in FORM_WORDS.items():
        if text in words or text == form:
            return form
    return None
