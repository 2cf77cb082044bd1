"""The dataset in data/: its file formats, reading with precise errors, and the all-or-nothing loader."""
