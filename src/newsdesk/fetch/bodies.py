"""A response body as it streams in: inflated with a running cap, then decoded to text.

:class:`Inflater` undoes the one content coding newsdesk asks for (gzip or deflate)
chunk by chunk, never producing more than the size cap allows: a compression bomb
fails at the cap with a one-line size error, before its output is in memory.
Stacked codings (``gzip, gzip``) and codings newsdesk did not ask for (``br``) are
refused: a site has no reason to send them. :func:`decode` turns the bytes into
text by the declared charset, or a guess where the declaration is missing or wrong.
"""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING

import charset_normalizer

from newsdesk.errors import FetchError

if TYPE_CHECKING:
    from zlib import _Decompress

__all__ = ["ACCEPT_ENCODING", "Inflater", "charset_of", "decode"]

ACCEPT_ENCODING = "gzip, deflate"
_GZIP = frozenset({"gzip", "x-gzip"})
_DEFLATE = frozenset({"deflate"})


class Inflater:
    """``inflater.feed(raw)`` for each raw chunk, then ``inflater.finish()`` → the body.
    Raises FetchError (naming ``url`` and ``source``) once the body, raw or inflated,
    passes ``max_bytes``, or when the coding is stacked, unknown or corrupt."""

    def __init__(self, content_encoding: str, max_bytes: int, url: str, source: str) -> None:
        self.max_bytes, self.url, self.source = max_bytes, url, source
        codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        if len(codings) > 1:
            raise FetchError(f"stacked content encodings {', '.join(codings)!r} refused from {url}", where=source)
        self.coding = codings[0] if codings else ""
        if self.coding and self.coding not in _GZIP | _DEFLATE:
            raise FetchError(f"content encoding {self.coding!r} was not asked for, from {url}", where=source)
        self._body = bytearray()
        self._raw = 0
        self._zlib = self._decompressor(wrapped=True)
        self._first = True

    def _decompressor(self, *, wrapped: bool) -> _Decompress | None:
        if self.coding in _GZIP:
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        if self.coding in _DEFLATE:  # servers send both zlib-wrapped and raw deflate
            return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        return None

    def feed(self, raw: bytes) -> None:
        self._raw += len(raw)
        if self._raw > self.max_bytes:
            self._too_large()
        if self._zlib is None:
            self._body += raw
        else:
            self._inflate(raw)
        if len(self._body) > self.max_bytes:
            self._too_large()

    def _inflate(self, raw: bytes) -> None:
        assert self._zlib is not None
        room = self.max_bytes - len(self._body) + 1  # one byte past the cap tells it is passed
        try:
            out = self._zlib.decompress(raw, room)
        except zlib.error as exc:
            if self._first and self.coding in _DEFLATE:  # not zlib-wrapped: raw deflate
                self._zlib = self._decompressor(wrapped=False)
                self._first = False
                self._inflate(raw)
                return
            raise FetchError(f"corrupt {self.coding} body from {self.url}: {exc}", where=self.source) from None
        self._first = False
        self._body += out
        if self._zlib.unconsumed_tail:  # output stopped at the cap with input left
            self._too_large()

    def finish(self) -> bytes:
        if self._zlib is not None:
            try:
                self._body += self._zlib.flush(self.max_bytes - len(self._body) + 1)
            except zlib.error as exc:
                raise FetchError(f"corrupt {self.coding} body from {self.url}: {exc}", where=self.source) from None
            if len(self._body) > self.max_bytes:
                self._too_large()
        return bytes(self._body)

    def _too_large(self) -> None:
        raise FetchError(f"response from {self.url} is larger than {self.max_bytes:,} bytes", where=self.source)


def decode(body: bytes, declared: str | None) -> str:
    """Text of ``body``. UTF-8 when it decodes as such (other text rarely does); else
    the declared charset, unless it is one of the single-byte ones every byte string
    "decodes" in (servers say ISO-8859-1 for GBK pages); else charset-normalizer's guess."""
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared and declared.lower().replace("_", "-") not in _SINGLE_BYTE:
        try:
            return body.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    for charset in ("gb18030", "big5"):  # most of what is not UTF-8 here is Chinese
        try:
            text = body.decode(charset)
        except UnicodeDecodeError:
            continue
        wide = [c for c in text if ord(c) > 0x7F]
        if wide and sum(
            "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef" for c in wide
        ) > 0.9 * len(wide):
            return text
    guess = charset_normalizer.from_bytes(body).best()
    return str(guess) if guess is not None else body.decode("utf-8", errors="replace")


def charset_of(content_type: str) -> str | None:
    """The ``charset`` parameter of a Content-Type header, or None."""
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


_SINGLE_BYTE = frozenset({"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252", "cp1252"})
