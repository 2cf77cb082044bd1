"""Indications: GI products, the protections they hold, and the official totals."""
