"""Everything that is not UI: pure, typed, importable without Textual."""
