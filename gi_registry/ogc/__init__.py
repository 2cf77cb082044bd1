"""OGC API – Features (Part 1: Core, GeoJSON) over the registry's services, so GIS tools read it directly."""
