"""The optional curl_cffi backend: requests with a browser's TLS fingerprint, for the
few sites whose bot wall rejects any client that does not look like Chrome
(``backend: curl_cffi`` in a source). Install with ``pip install 'newsdesk[browser]'``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from newsdesk.errors import ConfigError, FetchError

__all__ = ["close", "fetch"]

IMPERSONATE = "chrome"


async def fetch(
    url: str,
    method: str,
    headers: dict[str, str],
    json_body: object,
    proxy: str | None,
    *,
    max_bytes: int,
    timeout: float,
    source: str,
    sessions: dict[str | None, Any],
    peer_check: Callable[[str | None], None] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """(status, lower-cased headers, body) of one request, redirects not followed (the
    caller judges each hop); the body is refused while streaming once it passes
    ``max_bytes`` (curl inflates it piece by piece). ``peer_check`` is given the address
    connected to. ``sessions`` (one per proxy) belong to the caller, who closes them
    with :func:`close`."""
    try:
        from curl_cffi import requests as curl
    except ImportError:
        raise ConfigError("backend curl_cffi is not installed: pip install 'newsdesk[browser]'", where=source) from None
    session = sessions.get(proxy)
    if session is None:
        session = sessions[proxy] = curl.AsyncSession(impersonate=IMPERSONATE, proxy=proxy)
    try:
        response = await session.request(
            "POST" if method.upper() == "POST" else "GET",  # what a catalog source may ask for
            url,
            headers=headers,
            json=json_body if isinstance(json_body, dict | list) else None,
            timeout=timeout,
            stream=True,
            allow_redirects=False,
        )
        if peer_check is not None:
            try:
                peer_check(response.primary_ip or None)
            except FetchError:
                await response.aclose()
                raise
        headers = {k.lower(): v for k, v in response.headers.items()}
        if 300 <= response.status_code < 400 and headers.get("location"):
            await response.aclose()
            return response.status_code, headers, b""
        body = bytearray()
        async for chunk in response.aiter_content():
            body += chunk
            if len(body) > max_bytes:
                await response.aclose()
                raise FetchError(f"response from {url} is larger than {max_bytes:,} bytes", where=source)
        await response.aclose()
    except curl.RequestsError as exc:
        text = str(exc)
        raise (
            TimeoutError(text) if "timed out" in text.lower() or "timeout" in text.lower() else ConnectionError(text)
        ) from None
    return response.status_code, headers, bytes(body)


async def close(sessions: dict[str | None, Any]) -> None:
    """Close the sessions :func:`fetch` opened."""
    for session in sessions.values():
        await session.close()
    sessions.clear()
