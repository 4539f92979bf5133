"""The reader apps' dialects over the same store: the Google Reader API (``/accounts/
ClientLogin``, ``/reader/api/0/…``, ``/reader/atom/…``) in :mod:`.greader`, the Fever API
(``/fever/``) in :mod:`.fever`; who is asking (app passwords, app sign-ins) in
:mod:`.signin`; the desk's feeds and streams as apps name them in :mod:`.streams`; items
as JSON and Atom in :mod:`.items`."""

from __future__ import annotations

from fastapi import APIRouter

from newsdesk.config import Settings
from newsdesk.store import Store
from newsdesk.web.apps.fever import router as fever_routes
from newsdesk.web.apps.greader import router as greader_routes
from newsdesk.web.apps.streams import Desk

__all__ = ["router"]


def router(store: Store, settings: Settings) -> APIRouter:
    desk = Desk(store, settings)
    apps = APIRouter(include_in_schema=False)
    apps.include_router(greader_routes(desk))
    apps.include_router(fever_routes(desk))
    return apps
