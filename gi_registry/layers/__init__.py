"""Published collections: the collection registry, and each stored collection's features kept as
prebuilt rows with their geometry."""
