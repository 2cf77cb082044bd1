"""Folium maps of Yueyang's GIs, built only from the registry's service functions."""
