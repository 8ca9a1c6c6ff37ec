"""placemap: find the places in news about conflicts and diplomacy, resolve them offline, map them."""

from .types import Candidate, Document, Event, Mention, Place, Toponym

__version__ = "0.1.0"
__all__ = ["Candidate", "Document", "Event", "Mention", "Place", "Toponym", "__version__"]
