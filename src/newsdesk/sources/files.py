"""Reading the seed system's files: ``{"data": [records]}`` JSON (streamed, so a
file of any size costs the memory of one record), JSON arrays, and JSON Lines.

Undecodable bytes are replaced by a marker character, so one record with invalid
UTF-8 is rejected by ``parse_record`` instead of aborting its whole file.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import ijson

from newsdesk.errors import ParseError
from newsdesk.sources.records import BAD_BYTES

RECORD_SUFFIXES = (".json", ".jsonl", ".ndjson")
LINE_SUFFIXES = (".jsonl", ".ndjson")
# ijson re-scans a string token on every read, so one long string costs
# (length / chunk)^2: 64 KiB reads took 20 s on a 21 MB description, 4 MiB take 0.3 s.
_CHUNK = 1 << 22


def _mark_bad_bytes(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    return BAD_BYTES, error.end


codecs.register_error("newsdesk-mark", _mark_bad_bytes)


@dataclass(frozen=True, slots=True)
class RecordFile:
    path: Path
    default_source: str  # the folder name, for records that do not say their source
    size: int


def find_files(paths: list[Path]) -> Iterator[RecordFile | ParseError]:
    """Yield the record files under ``paths`` (folders searched recursively, sorted),
    or a ParseError for a path that does not exist."""
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in RECORD_SUFFIXES and p.is_file())
        elif path.is_file():
            found = [path]
        else:
            yield ParseError("no such file or folder", where=str(path))
            continue
        for file in found:
            yield RecordFile(file, file.parent.name or "unknown", file.stat().st_size)


class _RepairedUtf8:
    """A binary reader that re-encodes its input as valid UTF-8, marking bad bytes."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder("utf-8")("newsdesk-mark")
        self._pending = b""

    def first_byte(self) -> bytes:
        """The first non-blank byte, without consuming it (b"" for an empty file)."""
        while True:
            stripped = self._pending.lstrip()
            if stripped:
                return stripped[:1]
            chunk = self._read_chunk(_CHUNK)
            if not chunk:
                return b""
            self._pending += chunk

    def read(self, size: int = _CHUNK) -> bytes:
        if size == 0:  # ijson probes the stream type with read(0)
            return b""
        if self._pending:
            data, self._pending = self._pending, b""
            return data
        return self._read_chunk(size if size > 0 else _CHUNK)

    def _read_chunk(self, size: int) -> bytes:
        chunk = self._raw.read(size)
        text = self._decoder.decode(chunk, final=not chunk)
        if chunk and not text:  # a chunk cut inside one character: read on
            return self._read_chunk(size)
        return text.encode("utf-8", "surrogatepass")


def read_records(file: Path) -> Iterator[tuple[int, Any]]:
    """Yield ``(index, record)`` for every record in ``file``.

    Raises ParseError (naming the file and how far it got) when the file cannot be
    read or its JSON is corrupt; records yielded before that stay valid.
    """
    try:
        with open(file, "rb") as raw:
            if file.suffix in LINE_SUFFIXES:
                yield from _json_lines(raw, file)
            else:
                yield from _json_document(_RepairedUtf8(raw), file)
    except OSError as exc:
        raise ParseError(f"cannot read: {exc.strerror or exc}", where=str(file)) from None


def _json_lines(raw: BinaryIO, file: Path) -> Iterator[tuple[int, Any]]:
    index = 0
    for number, line in enumerate(raw, 1):
        if not line.strip():
            continue
        text = line.decode("utf-8", "newsdesk-mark")
        try:
            yield index, json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            # One bad line is one bad record: report it in place and go on.
            yield index, ParseError(f"line {number}: corrupt JSON: {exc}", where=str(file))
        index += 1


def _json_document(reader: _RepairedUtf8, file: Path) -> Iterator[tuple[int, Any]]:
    first = reader.first_byte()
    if first == b"[":
        path = "item"
    elif first == b"{":
        path = "data.item"
    elif not first:
        raise ParseError("empty file", where=str(file))
    else:
        raise ParseError('not a JSON object with a "data" list', where=str(file))
    index = -1
    try:
        for index, record in enumerate(ijson.items(reader, path, use_float=True, buf_size=_CHUNK)):
            yield index, record
    except (ijson.JSONError, ijson.IncompleteJSONError, RecursionError) as exc:
        raise ParseError(f"corrupt JSON after record {index}: {exc}", where=str(file)) from None
