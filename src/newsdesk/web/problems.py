"""The API's one error shape, ``{"error": message}`` (validation errors add
``details``), as the OpenAPI schema documents it for every status an endpoint
can answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import HTTPException
from pydantic import BaseModel

__all__ = ["Problem", "responses"]

_MEANING = {
    400: "A value the schema allows but newsdesk cannot use (a query with no words, a bad cursor, a date out of range)",
    401: "Not signed in, or a wrong token (the admin token on admin routes, a user's API token on /api/me)",
    403: "Refused: admin actions are off (no admin token configured), or a browser's change without X-CSRF-Token",
    404: "No such article, source or action",
    409: "The source is being fetched by another run",
    413: "The request body is over the route's size limit",
    422: "A parameter does not match the schema",
    503: "The server holds as many live streams as it allows (overall or for this client); retry later",
}


class Problem(BaseModel):
    """What every error answer holds."""

    error: str
    details: list[Any] | None = None


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for ``statuses`` (422 is always added: any parameter can be bad)."""
    return {status: {"model": Problem, "description": _MEANING[status]} for status in sorted({*statuses, 422})}


def refuse(allowed: str) -> Callable[[], None]:
    """A route answering 405 with ``Allow: allowed``: for the other methods of a path whose
    methods are several routes (a 405 from one would name only its own)."""

    def refused() -> None:
        raise HTTPException(405, "Method Not Allowed", headers={"Allow": allowed})

    return refused
