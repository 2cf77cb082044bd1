"""Sources: the citations that back every fact in the registry."""
