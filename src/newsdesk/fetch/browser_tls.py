"""The optional curl_cffi backend: requests with a browser's TLS fingerprint, for the
few sites whose bot wall rejects any client that does not look like Chrome
(``backend: curl_cffi`` in a source). Install with ``pip install 'newsdesk[browser]'``.
"""

from __future__ import annotations

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
    max_redirects: int,
    timeout: float,
    source: str,
    sessions: dict[str | None, Any],
) -> tuple[int, str, dict[str, str], bytes]:
    """(status, final URL, lower-cased headers, body) of one request; the body is
    refused while streaming once it passes ``max_bytes``. ``sessions`` (one per proxy)
    belong to the caller, who closes them with :func:`close`."""
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
            allow_redirects=True,
            max_redirects=max_redirects,
        )
        body = bytearray()
        async for chunk in response.aiter_content():
            body += chunk
            if len(body) > max_bytes:
                await response.aclose()
                raise FetchError(f"response from {url} is larger than {max_bytes:,} bytes", where=source)
        await response.aclose()
    except curl.RequestsError as exc:
        text = str(exc)
        if "Maximum" in text and "redirect" in text:
            raise FetchError(f"more than {max_redirects} redirects from {url}", where=source) from None
        raise (
            TimeoutError(text) if "timed out" in text.lower() or "timeout" in text.lower() else ConnectionError(text)
        ) from None
    return response.status_code, str(response.url), {k.lower(): v for k, v in response.headers.items()}, bytes(body)


async def close(sessions: dict[str | None, Any]) -> None:
    """Close the sessions :func:`fetch` opened."""
    for session in sessions.values():
        await session.close()
    sessions.clear()
