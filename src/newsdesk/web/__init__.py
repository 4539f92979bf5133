"""Web stage: the pages and JSON API that ``newsdesk serve`` runs (FastAPI)."""

from newsdesk.web.app import create_app

__all__ = ["create_app"]
