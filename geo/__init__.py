"""Place-name recognition, resolution and events (``placemap.geo``)."""
