"""History: the append-only log of every change to the registry."""
