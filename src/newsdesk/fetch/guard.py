"""Where a link found in remote content may lead: public addresses only.

Item links and redirects come from the sites, so a feed could point newsdesk at
``http://127.0.0.1:8000/api/...`` or a cloud metadata address and have the answer
published. :func:`check_public` refuses loopback, private, link-local, multicast,
reserved and unspecified addresses, after DNS resolution, whatever notation the
host is written in (``2130706433``, ``0x7f.1``, ``0.0.0.0``, ``[::1]``,
``[::ffff:127.0.0.1]``). The fetcher calls it for every hop of a guarded request;
a source opts out with ``allow_private: true`` (intranet sources), or lets named
``host:port`` entries through (``allow_private: [intranet.local:80]``).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Collection
from urllib.parse import urlsplit

from newsdesk.errors import FetchError

__all__ = ["allowed_host", "check_public", "is_public"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_public(address: IPAddress) -> bool:
    """Whether ``address`` is a public unicast address (IPv4-mapped IPv6 judged as the IPv4)."""
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            return is_public(mapped)
        if address.teredo:
            return False
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def _literal(host: str) -> IPAddress | None:
    """``host`` as an address when it is one in any notation the resolver accepts
    (dotted, decimal, hex, octal, shortened IPv4; IPv6 with or without brackets)."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))  # 2130706433, 0x7f.1, 127.1, 0177.0.0.1
    except (OSError, ValueError):
        return None


def allowed_host(url: str, allowed: Collection[str]) -> bool:
    """Whether ``url``'s ``host:port`` (as written in URLs) is one of ``allowed``."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return False
    return bool(allowed) and f"{parts.hostname}:{port or (443 if parts.scheme == 'https' else 80)}" in allowed


async def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to (the system's resolver, off the event loop)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


async def check_public(url: str, source: str, allowed: Collection[str] = ()) -> str | None:
    """Raise FetchError unless every address ``url``'s host resolves to is public; return
    the first of them, which the fetcher connects to (a second lookup could answer
    otherwise: DNS rebinding). ``allowed``: ``host:port`` entries (as written in URLs)
    let through all the same (None: connect by name)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host:
        raise FetchError(f"no host in {url[:200]!r}", where=source)
    if allowed_host(url, allowed):
        return None
    literal = _literal(host)
    if literal is not None:
        addresses = [literal]
    else:
        try:
            found = await resolve(host, parts.port or 443)
        except (OSError, UnicodeError, ValueError) as exc:
            raise FetchError(f"cannot resolve {host!r} in {url[:200]}: {exc}", where=source) from None
        addresses = [ipaddress.ip_address(address.split("%")[0]) for address in found]
    for address in addresses:
        if not is_public(address):
            raise FetchError(
                # The host, not the URL: its path and query (tokens of an internal service) may go public.
                f"refused a link to {host}: a non-public address ({address}); allow it with the source's "
                "allow_private: true (a feed added by URL: the setting sources.subscribe_private)",
                where=source,
                reason="non-public address",
            )
    return str(addresses[0])
