"""Standards documents (GB/T, DB43/T, group standards, management rules) and the GIs they govern."""
