"""Geo: administrative areas (counties, townships) and GI production areas."""
