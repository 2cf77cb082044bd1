"""Exports: every public list as CSV, GeoJSON, GeoPackage and XLSX, with a data dictionary."""
