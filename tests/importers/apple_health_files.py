"""Apple Health export.xml built in code, in the layouts seen in real files: the sources, the
DTD (with the iOS 16+ defect), the whole-file wrapper and the sleep and step records that go in
it. Used by the Apple Health reader tests and the import pipeline fuzz."""

from __future__ import annotations

WATCH = "Anna’s Apple Watch"
PHONE = "Anna’s iPhone"
WATCH_DEVICE = (
    "&lt;&lt;HKDevice: 0x283d1a3a0&gt;, name:Apple Watch, manufacturer:Apple Inc., "
    "model:Watch, hardware:Watch6,2, software:10.4&gt;"
)

# The shape of Apple's internal DTD, including the iOS 16+ defect real exports carry: the
# ATTLIST of VisionPrescription is never closed, so a strict parser stops at it.
DTD = """<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 13 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord|Audiogram|VisionPrescription)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutRoute|WorkoutStatistics)*)>
<!ATTLIST Workout
  workoutActivityType   CDATA #REQUIRED
  duration              CDATA #IMPLIED
  durationUnit          CDATA #IMPLIED
  sourceName            CDATA #REQUIRED
  startDate             CDATA #REQUIRED
  endDate               CDATA #REQUIRED
>
<!ELEMENT VisionPrescription ((RightEye|LeftEye|Attachment|MetadataEntry)*)>
<!ATTLIST VisionPrescription
  type             CDATA #REQUIRED
  dateIssued       CDATA #REQUIRED
<!ELEMENT RightEye EMPTY>
]>
"""


def export(body: str, *, dtd: str = DTD, padding: int = 0) -> bytes:
    """A whole export.xml around `body`; `padding` filler records push it past the chunk size."""
    filler = "".join(
        f'  <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="{WATCH}" '
        f'unit="count/min" startDate="2020-01-01 00:00:{i % 60:02d} +0100" '
        f'endDate="2020-01-01 00:00:{i % 60:02d} +0100" value="61">\n'
        '    <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>\n'
        "  </Record>\n"
        for i in range(padding)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + dtd
        + '<HealthData locale="en_GB">\n'
        + ' <ExportDate value="2026-04-20 08:00:00 +0200"/>\n'
        + ' <Me HKCharacteristicTypeIdentifierDateOfBirth="" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>\n'
        + filler
        + body
        + "</HealthData>\n"
    ).encode()


def sleep(source: str, start: str, end: str, value: str, device: str = "") -> str:
    dev = f' device="{device}"' if device else ""
    return (
        f' <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="{source}" '
        f'sourceVersion="10.4"{dev} creationDate="{end}" startDate="{start}" endDate="{end}" '
        f'value="HKCategoryValueSleepAnalysis{value}"/>\n'
    )


def steps(source: str, start: str, end: str, count: int) -> str:
    return (
        f' <Record type="HKQuantityTypeIdentifierStepCount" sourceName="{source}" unit="count" '
        f'creationDate="{end}" startDate="{start}" endDate="{end}" value="{count}"/>\n'
    )
