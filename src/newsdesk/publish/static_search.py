"""Search for the static site, with no server: a compact index loaded on demand.

For each block of articles (:mod:`.search_files`) the build writes ``docs.json``
(path, title, date, source's display name and summary of each article, newest first;
the page shows the summary as the snippet, the query's terms marked) and the inverted
index split into ``shard-NN.json`` files by a hash of the token (the browser fetches
only the shards its query needs, and a block's documents only when it has hits); and
once ``search/t2s.json``, the Traditional → Simplified map, so a Traditional query
finds Simplified text. Tokens are those of the main
index (CJK bigrams plus each run's last character) over title and summary, except
that words are lower-cased but not stemmed (no stemmer runs in the browser).
``search.js`` does the same tokenization and ANDs the query's terms.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from newsdesk.publish.entry import Entry
from newsdesk.tokens import index_tokens, simplified

__all__ = ["SHARDS", "dump", "file_names", "fnv1a", "index_files", "static_tokens", "t2s_map"]

SHARDS = 32


def fnv1a(token: str) -> int:
    """32-bit FNV-1a over UTF-16 code units: what ``search.js`` computes too."""
    data = token.encode("utf-16-le")
    value = 0x811C9DC5
    for i in range(0, len(data), 2):
        value ^= data[i] | data[i + 1] << 8
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value


def static_tokens(text: str) -> set[str]:
    return set(index_tokens(text, stemmed=False))


def file_names() -> list[str]:
    """The files :func:`index_files` makes (of one block)."""
    return ["docs.json", *(f"shard-{n:02d}.json" for n in range(SHARDS))]


def index_files(
    entries: Sequence[Entry],
    date: Callable[[Entry], str],
    tokens: Callable[[Entry], Iterable[str]] | None = None,
    label: Callable[[str], str] = str,
    summary: Callable[[Entry], str] = lambda e: e.summary,
) -> dict[str, str]:
    """``{file name: text}`` of the index of one block of entries (``tokens`` gives an
    entry's tokens; default :func:`static_tokens`; ``label`` a source's display name;
    ``summary`` the snippet of an entry)."""
    tokens = tokens or (lambda e: static_tokens(f"{e.title} {e.summary}"))
    docs = [[e.path, e.title, date(e), label(e.source), summary(e)] for e in entries]
    shards: list[dict[str, list[int]]] = [defaultdict(list) for _ in range(SHARDS)]
    shard_of: dict[str, dict[str, list[int]]] = {}  # tokens repeat: hash each one once
    for number, entry in enumerate(entries):
        for token in tokens(entry):
            shard = shard_of.get(token)
            if shard is None:
                shard = shard_of[token] = shards[fnv1a(token) % SHARDS]
            shard[token].append(number)
    files = {"docs.json": dump(docs)}
    for number, shard in enumerate(shards):
        files[f"shard-{number:02d}.json"] = dump(dict(sorted(shard.items())))
    return files


@functools.cache
def t2s_map() -> dict[str, str]:
    """Traditional characters and their one-character Simplified forms."""
    found = {}
    for code in range(0x4E00, 0xA000):
        char = chr(code)
        target = simplified(char)
        if target != char and len(target) == 1:
            found[char] = target
    return found


def dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"
