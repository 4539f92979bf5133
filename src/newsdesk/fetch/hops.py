"""Where a request goes after its first hop: redirects, and who may see a source's headers.

The fetcher follows redirects itself, one hop at a time, so that each hop can be
judged before it is sent: its address (:mod:`.guard`) and whether the source's
headers — cookies and API keys, often — go along. A source's headers belong to
its list URL's origin and to the hosts it declares (``headers_hosts``); any other
host, whether an item link names it or a redirect leads there, gets none of them.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

__all__ = ["HeaderScope", "next_hop", "origin", "scope_of"]


def origin(url: str) -> str:
    """``scheme://host:port`` of ``url`` (the default port written out), lower-cased."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{scheme}://{(parts.hostname or '').lower()}:{port or (443 if scheme == 'https' else 80)}"


@dataclass(frozen=True, slots=True)
class HeaderScope:
    """Where a source's headers may be sent: one origin, and hosts named outright
    (``api.example.com``) or with their subdomains (``.example.com``)."""

    origin: str
    hosts: tuple[str, ...] = ()

    def allows(self, url: str) -> bool:
        if origin(url) == self.origin:
            return True
        host = (urlsplit(url).hostname or "").lower()
        return bool(host) and any(
            host == entry or (entry.startswith(".") and (host.endswith(entry) or host == entry[1:]))
            for entry in self.hosts
        )


def scope_of(url: str, hosts: Collection[str] = ()) -> HeaderScope:
    """The scope of headers meant for ``url`` (and the ``hosts`` listed)."""
    return HeaderScope(origin(url), tuple(h.lower().removeprefix("*") for h in hosts))


def next_hop(url: str, status: int, location: str, method: str) -> tuple[str, str]:
    """(URL, method) of the request a redirect asks for: a 303, or a 301/302 after a
    POST, turns into a GET (what browsers and httpx do)."""
    target = urljoin(url, location.strip())
    if status == 303 or (status in (301, 302) and method.upper() == "POST"):
        method = "GET"
    return target.split("#", 1)[0], method
