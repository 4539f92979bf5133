"""``/api/sources`` (public: the catalog with health and article counts) and the
admin actions, which need ``Authorization: Bearer <web.admin_token>``:

- ``POST /api/admin/sources/{name}/fetch`` — fetch the source now; returns the run;
- ``POST /api/admin/sources/{name}/enable`` and ``/disable`` — override the catalog's
  ``enabled`` (``newsdesk run`` and ``newsdesk fetch`` follow it);
- ``/sources/`` — the same as a page: each source's state, last success, last error and
  articles, and with a token configured, fetch/enable/disable buttons (the token is
  typed into the page and sent in the form body, never in a URL).

With no token configured (``web.admin_token`` or ``NEWSDESK_ADMIN_TOKEN``) the admin
actions answer 403: nothing can be changed anonymously.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Header, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsdesk import accounts
from newsdesk.config import Settings
from newsdesk.errors import ConfigError
from newsdesk.models import SourceHealth
from newsdesk.pipeline.subscribe import with_subscriptions
from newsdesk.sources.catalog import Source, configured_catalog, is_enabled
from newsdesk.store import Store
from newsdesk.web.problems import responses

__all__ = ["admin_problem", "admin_token", "notice_signature", "require_admin", "router"]


def admin_token(settings: Settings) -> str | None:
    return settings.web_admin_token or None


def admin_problem(settings: Settings, authorization: str | None, store: Store | None = None) -> tuple[int, str] | None:
    """None when ``authorization`` (``Bearer <token>``) carries the admin token or, with
    ``store``, an API token of an admin user; else (401, why), or (403, why) when neither
    kind of admin exists."""
    token = admin_token(settings)
    given = (authorization or "").removeprefix("Bearer ").strip()
    if token and given and hmac.compare_digest(given.encode(), token.encode()):
        return None
    if store is not None and given and len(given) <= 200:
        user = store.token_user(accounts.digest(given), "api")
        if user is not None and user.admin:
            return None
    if not token and (store is None or not any(u.admin for u in store.users())):
        return 403, "admin actions are off: set web.admin_token (or NEWSDESK_ADMIN_TOKEN), or add an admin user"
    return 401, "an admin token is needed (Authorization: Bearer <web.admin_token or an admin user's API token>)"


def require_admin(settings: Settings, authorization: str | None, store: Store | None = None) -> None:
    """HTTPException for :func:`admin_problem`'s answer."""
    problem = admin_problem(settings, authorization, store)
    if problem:
        raise HTTPException(*problem)


def notice_signature(settings: Settings, message: str) -> str:
    """The signature that makes ``/sources/?done=`` show a message: only the server's own
    (a link with any other text shows nothing next to the token field)."""
    key = hashlib.sha256(b"newsdesk notice\0" + (admin_token(settings) or "").encode()).digest()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()[:32]


Render = Callable[..., str]  # template name and variables → HTML


def router(store: Store, settings: Settings, render: Render | None = None) -> APIRouter:
    """The JSON routes, and with ``render`` the ``/sources/`` page and its admin form."""
    api = APIRouter()
    loaded: dict[str, dict[str, Source]] = {}

    def catalog() -> dict[str, Source]:
        if "catalog" not in loaded:
            try:
                loaded["catalog"] = configured_catalog(settings.sources_folder)
            except ConfigError as exc:
                raise HTTPException(500, f"the source catalog cannot be read: {exc}") from None
        return with_subscriptions(loaded["catalog"], store, settings)

    def source_or_404(name: str) -> Source:
        source = catalog().get(name)
        if source is None:
            raise HTTPException(404, f"no source {name[:80]!r}")
        return source

    def authorize(authorization: str | None) -> None:
        require_admin(settings, authorization, store)

    def overview() -> list[dict[str, Any]]:
        counts = {name: (n, newest) for name, n, newest in store.source_counts()}
        health = store.health()
        names = sorted(set(catalog()) | set(counts))
        return [_source_json(name, catalog().get(name), health.get(name), counts.get(name)) for name in names]

    async def fetch_now(name: str) -> dict[str, Any]:
        source = source_or_404(name)
        from newsdesk.fetch.client import Fetcher
        from newsdesk.fetch.documents import limits_from
        from newsdesk.pipeline.refresh import fetch_source

        async with Fetcher(limits_from(settings)) as fetcher:
            result = await fetch_source(source, fetcher, store, settings)
        if result.state == "busy":
            raise HTTPException(409, f"source {name} is being fetched now; try again when that run ends")
        return result.as_json()

    def toggle(name: str, action: str) -> None:
        if action not in ("enable", "disable"):
            raise HTTPException(404, f"no action {action[:40]!r}: enable, disable or fetch")
        source_or_404(name)
        store.set_enabled(name, action == "enable")

    @api.get(
        "/api/sources",
        summary="Sources: the catalog with health, article counts and newest article",
        responses=responses(),
    )
    def api_sources() -> dict[str, Any]:
        return {"sources": overview()}

    @api.post(
        "/api/admin/sources/{name}/fetch",
        summary="Fetch a source now (admin token)",
        responses=responses(401, 403, 404, 409),
    )
    async def admin_fetch(name: str, authorization: Annotated[str | None, Header()] = None) -> dict[str, Any]:
        authorize(authorization)
        return {"run": await fetch_now(name)}

    @api.post(
        "/api/admin/sources/{name}/{action}",
        summary="Enable or disable a source (admin token)",
        responses=responses(401, 403, 404),
    )
    def admin_toggle(
        name: str, action: Literal["enable", "disable"], authorization: Annotated[str | None, Header()] = None
    ) -> dict[str, Any]:
        authorize(authorization)
        toggle(name, action)
        return {"name": name, "enabled": action == "enable"}

    if render is None:
        return api

    @api.get("/sources/", response_class=HTMLResponse, include_in_schema=False)
    def sources_page(
        done: Annotated[str | None, Query(max_length=200)] = None,
        sig: Annotated[str | None, Query(max_length=64)] = None,
    ) -> HTMLResponse:
        signed = done is not None and hmac.compare_digest(sig or "", notice_signature(settings, done))
        shown = done if signed else None
        return HTMLResponse(
            render("sources.html", rows=overview(), admin=admin_token(settings) is not None, done=shown)
        )

    @api.post("/sources/", include_in_schema=False)
    async def sources_form(request: Request) -> Response:
        """The page's buttons: the token comes in the form body (never in a URL), the
        answer is a redirect back to the page saying what was done."""
        form = parse_qs((await request.body()).decode("utf-8", "replace"))  # capped by web.guards
        authorize("Bearer " + (form.get("token") or [""])[0])
        action, _, name = (form.get("action") or [""])[0].partition(":")
        if action == "fetch":
            run = await fetch_now(name)
            done = f"{name}: {run['state']}, {run['new']} new, {run['rejected']} rejected"
        else:
            toggle(name, action)
            done = f"{name}: {action}d"
        signed = {"done": done[:200], "sig": notice_signature(settings, done[:200])}
        return RedirectResponse(f"/sources/?{urlencode(signed)}", status_code=303)

    return api


def _source_json(
    name: str, source: Source | None, health: SourceHealth | None, counts: tuple[int, Any] | None
) -> dict[str, Any]:
    return {
        "name": name,
        "title": source.display_name if source else name,
        "in_catalog": source is not None,
        "kind": source.kind if source else None,
        "language": source.language if source else None,
        "enabled": is_enabled(source, health),
        "articles": counts[0] if counts else 0,
        "newest": counts[1].isoformat() if counts and counts[1] else None,
        "health": (health or SourceHealth(name, state="new")).as_json(),
    }
