"""Demo data for trying the workflows: generated, marked synthetic everywhere, never mixed with real data."""
