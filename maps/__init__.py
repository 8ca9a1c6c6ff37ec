"""Folium maps and GeoJSON export (``placemap.maps``)."""
