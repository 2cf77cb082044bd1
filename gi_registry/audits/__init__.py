"""Audits: officials' inspections of producers against a GI's standard, with results and rectification."""
