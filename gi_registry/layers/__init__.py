"""Published layers: each public collection's features kept as prebuilt rows with their geometry."""
