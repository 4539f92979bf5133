"""A scale corpus made from the dev corpus (not a test: writes files).

    .venv/bin/python benchmarks/synth.py N OUT [--data DATA] [--seed 7]

Writes N records in the seed system's record format as JSON Lines under OUT
(``OUT/news/data/SOURCE/synth-K.jsonl``, a file per source and 50,000 records), for
``newsdesk import OUT``. Deterministic for a seed; streamed: memory is the dev corpus
(read once) whatever N.

Record ``i`` is copy ``c = i // len(corpus)`` of a corpus record (in an order the seed
shuffles). Copy 0 is the record as it is, with a new link; copy ``c`` > 0 has its words
swapped by a substitution keyed by ``c`` and its date moved by ``c`` steps spread over
a year. The substitution maps each word of the corpus's vocabulary (English words;
Chinese words as jieba cuts them) to another word of similar frequency (a shuffle
within bands of 64 words by rank), keeping case, digits, markup and all-capital words
of up to five letters (tickers): the text stays in its language with real words of
the same rarity, so language detection, tags and search cost what they cost on news.
Two records that are near-duplicates in the corpus stay near-duplicates within one copy
(the same substitution, the same date shift) and copies of one record are not
near-duplicates of each other (different substitutions): near-duplicate clusters keep
their real proportions, and a month of real news becomes a year.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import rjieba

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "datasets" / "cachenews-2025-02"
PER_FILE = 50_000
BAND = 64  # words of adjacent frequency rank that a substitution shuffles among themselves
_WORD = re.compile(r"[A-Za-z]+|[\u4e00-\u9fff]+")
_HAN_WORD = re.compile(r"^[\u4e00-\u9fff]+$")


def corpus(data: Path) -> list[dict]:
    """The dev corpus's records, in a stable order."""
    records = []
    for file in sorted((data / "news" / "data").rglob("*.json")):
        rows = json.loads(file.read_text(encoding="utf-8"))
        for row in rows.get("data", []) if isinstance(rows, dict) else rows:
            row.setdefault("source", file.parent.name)
            records.append(row)
    return records


def _words(text: str) -> Iterator[tuple[str, bool]]:
    """(word, is Chinese) for the English words and the jieba words of ``text``."""
    for match in _WORD.finditer(text):
        run = match.group()
        if run[0].isascii():
            yield run.lower(), False
        else:
            yield from ((w, True) for w in rjieba.cut(run) if _HAN_WORD.match(w))


def vocabulary(records: list[dict]) -> tuple[list[str], list[str]]:
    """The corpus's English and Chinese words, most frequent first."""
    counts: tuple[Counter[str], Counter[str]] = (Counter(), Counter())
    for row in records:
        texts = [p for p in _split_tags(str(row.get("description") or "")) if p[:1] not in ("<", "&")]
        for text in (str(row.get("title") or ""), *texts):
            for word, chinese in _words(text):
                counts[chinese][word] += 1
    return tuple(sorted(c, key=lambda w: (-c[w], w)) for c in counts)  # type: ignore[return-value]


class Cipher:
    """A substitution of words by words of similar frequency, keyed by ``key`` (0: none)."""

    def __init__(self, key: int, seed: int, words: tuple[list[str], list[str]] = ([], [])) -> None:
        self.table: dict[str, str] = {}
        if key:
            rng = random.Random(seed * 1_000_003 + key)
            for ranked in words:
                for start in range(0, len(ranked), BAND):
                    band = ranked[start : start + BAND]
                    swapped = band[:]
                    rng.shuffle(swapped)
                    self.table.update(zip(band, swapped, strict=True))

    def _swap(self, match: re.Match[str]) -> str:
        run = match.group()
        if not run[0].isascii():
            return "".join(self.table.get(w, w) for w in rjieba.cut(run))
        if run.isupper() and len(run) <= 5:
            return run  # a ticker, an acronym
        word = self.table.get(run.lower(), run)
        if run.isupper():
            return word.upper()
        return word.capitalize() if run[0].isupper() else word

    def __call__(self, text: str) -> str:
        return _WORD.sub(self._swap, text) if self.table and text else text

    def html(self, markup: str) -> str:
        """``markup`` with its text ciphered and its tags and entities kept."""
        if not self.table:
            return markup
        out, tag = [], False
        for part in _split_tags(markup):
            tag = part.startswith("<") or part.startswith("&")
            out.append(part if tag else self(part))
        return "".join(out)


def _split_tags(markup: str) -> Iterator[str]:
    start = 0
    for index, char in enumerate(markup):
        if char in "<&":
            if index > start:
                yield markup[start:index]
            start = index
        elif char in ">;" and markup[start : start + 1] in ("<", "&"):
            yield markup[start : index + 1]
            start = index + 1
    if start < len(markup):
        yield markup[start:]


def synth(records: list[dict], n: int, seed: int) -> Iterator[dict]:
    words = vocabulary(records)
    order = list(range(len(records)))
    random.Random(seed).shuffle(order)
    copies = max(1, -(-n // len(records)))
    step = timedelta(days=365) / copies
    cipher = Cipher(0, seed)
    for i in range(n):
        c, k = divmod(i, len(records))
        if k == 0:
            cipher = Cipher(c, seed, words)
        base = records[order[k]]
        yield _copy(base, i, c, cipher, step)


def _copy(base: dict, i: int, c: int, cipher: Cipher, step: timedelta) -> dict:
    row = dict(base)
    link = str(base.get("link") or f"https://synth.example.com/{i}")
    row["link"] = f"{link}{'&' if '?' in link else '?'}synth={i}"
    row["id"] = f"synth-{i}"
    row["title"] = cipher(str(base.get("title") or ""))
    row["description"] = cipher.html(str(base.get("description") or ""))
    published = _date(base.get("pub_date"))
    if published is not None:
        row["pub_date"] = (published + step * c).isoformat()
    return row


def _date(value: object) -> datetime | None:
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value / 1000 if value > 1e11 else value, UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace(" ", "T"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def write(rows: Iterator[dict], out: Path) -> int:
    """Stream ``rows`` into one file per source and 50,000 records; how many."""
    files: dict[str, tuple[object, int, int]] = {}  # source → (handle, file number, lines)
    count = 0
    try:
        for row in rows:
            source = str(row.get("source") or "unknown")
            handle, number, lines = files.get(source, (None, 0, PER_FILE))
            if lines >= PER_FILE:
                if handle is not None:
                    handle.close()  # type: ignore[attr-defined]
                folder = out / "news" / "data" / source
                folder.mkdir(parents=True, exist_ok=True)
                number += 1
                handle = (folder / f"synth-{number:04d}.jsonl").open("w", encoding="utf-8")
                lines = 0
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")  # type: ignore[union-attr]
            files[source] = (handle, number, lines + 1)
            count += 1
    finally:
        for handle, _, _ in files.values():
            handle.close()  # type: ignore[attr-defined]
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    records = corpus(args.data)
    count = write(synth(records, args.n, args.seed), args.out)
    print(f"{count} records from {len(records)} corpus records into {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
