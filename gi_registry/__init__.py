"""gi-registry: the registry of Yueyang's geographical-indication products."""

__version__ = "0.1.0"
