"""The `gi-registry` command line."""
