"""One sentence that sums an article up, taken from its own text (extractive).

The text is split into sentences (Chinese at 。！？； and line ends, other languages at
. ! ? before a capital or a quote, not after a single capital letter or a known
abbreviation, not inside a number) and the sentences are ranked by TextRank over their
index tokens (words stemmed, Chinese as character pairs): a sentence is central when
many others share its words (overlap divided by the logs of the lengths). A position
prior — the random surfer restarts at the lead with the most weight — keeps the
journalist's lead when it is as central as any; the title, when given, adds its words'
weight the same way. Everything is bounded before the work: at most :data:`MAX_CHARS`
characters of text and :data:`MAX_SENTENCES` sentences are read.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable

from newsdesk.tokens import CJK, index_tokens

__all__ = ["MAX_CHARS", "MAX_SENTENCES", "best", "rank", "repeated", "split"]

MAX_CHARS = 12_000
MAX_SENTENCES = 40
_ROUNDS = 30
_DAMPING = 0.85
_SHORTEST = {True: 12, False: 40}  # characters a sentence needs (Chinese, other) to be one on its own
_LONGEST = {True: 160, False: 400}
_CJK_END = re.compile(r"(?<=[。！？；!?])[”」』）)]*|\n+")
_LATIN_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")
_ABBREVIATION = re.compile(r"(?:\b(?:[A-Z]|Mr|Mrs|Ms|Dr|Inc|Corp|Co|Ltd|St|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|"
                           r"Oct|Nov|Dec|vs|approx|est|U\.S|U\.K|E\.U)\.[\"'”’)]*)$")  # fmt: skip
# A dateline before the lead ("NEW YORK, Feb. 4, 2025 (GLOBE NEWSWIRE) --", "(Reuters) -",
# "IT之家 2 月 4 日消息，", "新华社北京2月4日电 ") says where and when, not what.
_DATELINE = re.compile(
    r"^(?:[^\n]{0,80}?\((?:[A-Z][\w .&-]{1,30})\)\s*[-–—]{1,2}\s*"
    r"|[^，,。\n]{0,24}?\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:电|讯|消息)\s*[，,：:]?\s*"
    r"|[^，,。\n\d]{1,16}(?:讯|消息)\s+"
    r"|[^\n]{0,120}?/[A-Za-z][\w .-]{2,30}/\s*[-–—]{1,2}\s*)"
)
_NOISE = re.compile(r"https?://|www\.|©|copyright|all rights reserved|click here|subscribe|your browser"
                    r"|免责声明|版权|点击|关注我们", re.IGNORECASE)  # fmt: skip


def split(text: str) -> list[str]:
    """The sentences of ``text`` (its first :data:`MAX_CHARS` characters), in order;
    runs too short to stand alone are joined to the next one (the last to the one before)."""
    text = text[:MAX_CHARS]
    pieces = _CJK_END.split(text) if CJK.search(text[:400]) else _latin_pieces(text)
    sentences: list[str] = []
    pending = ""
    for piece in pieces:
        joined = f"{pending} {piece.strip()}".strip() if pending and not CJK.search(piece) else pending + piece.strip()
        if not joined:
            continue
        if len(joined) < _SHORTEST[bool(CJK.search(joined))]:
            pending = joined
            continue
        sentences.append(joined)
        pending = ""
        if len(sentences) >= MAX_SENTENCES:
            return sentences
    if pending and sentences:
        sentences[-1] += pending if CJK.search(pending) else f" {pending}"
    elif pending:
        sentences.append(pending)
    return sentences


def _latin_pieces(text: str) -> list[str]:
    """Split at sentence ends, keeping ``U.S. officials`` and ``Mr. Powell`` together."""
    pieces: list[str] = []
    start = 0
    for end in _LATIN_END.finditer(text):
        if _ABBREVIATION.search(text[start : end.start()]) and "\n" not in end[0]:
            continue
        pieces.append(text[start : end.start()])
        start = end.end()
    pieces.append(text[start:])
    return pieces


def _usable(sentence: str, title: str) -> bool:
    """A sentence of a readable length that says something: not a heading or a lead-in
    (no closing punctuation, or a colon), not a link or a notice, not the title again."""
    cjk = bool(CJK.search(sentence))
    closed = sentence.rstrip("\"'”’」』）) ")[-1:] in ".!?。！？；;"
    retold = len(title) >= 6 and title in sentence and len(sentence) < len(title) + 24
    return _SHORTEST[cjk] <= len(sentence) <= _LONGEST[cjk] and closed and not _NOISE.search(sentence) and not retold


def rank(sentences: list[str], title: str = "", *, lead: float = 1.0) -> list[float]:
    """TextRank scores of ``sentences`` (same order). ``lead``: how strongly the surfer
    restarts at early sentences (0: uniformly; 1: weight 1/(1 + position))."""
    words = [set(index_tokens(s)) for s in sentences]
    count = len(sentences)
    if count == 0:
        return []
    heading = set(index_tokens(title))
    restart = [(1.0 / (1 + i)) ** lead * (1 + _overlap(words[i], heading)) for i in range(count)]
    total = sum(restart)
    restart = [r / total for r in restart]
    edges = [[_overlap(words[i], words[j]) if i != j else 0.0 for j in range(count)] for i in range(count)]
    sums = [sum(row) or 1.0 for row in edges]
    scores = restart[:]
    for _ in range(_ROUNDS):
        scores = [
            (1 - _DAMPING) * restart[j]
            + _DAMPING * sum(scores[i] * edges[i][j] / sums[i] for i in range(count) if edges[i][j])
            for j in range(count)
        ]
    return scores


def _overlap(a: set[str], b: set[str]) -> float:
    if len(a) < 2 or len(b) < 2:
        return 0.0
    return len(a & b) / (math.log(len(a)) + math.log(len(b)))


def best(text: str, title: str = "", *, lead: float = 1.0, repeated: Collection[str] = ()) -> str:
    """The sentence of ``text`` that sums it up best ("" when it has none usable): the
    highest TextRank score among the usable sentences, its dateline taken off.
    ``repeated``: sentences of the same source's other articles — a source's promotions
    and disclaimers recur, an article's news does not."""
    title = title.strip()
    sentences = [s for s in split(text) if _usable(s, title) and s not in repeated]
    if not sentences:
        return ""
    scores = rank(sentences, title, lead=lead)
    chosen = max(zip(scores, range(len(sentences)), sentences, strict=True), key=lambda x: (x[0], -x[1]))[2]
    return _DATELINE.sub("", chosen, count=1).strip() or chosen


def repeated(texts: Iterable[str]) -> frozenset[str]:
    """The sentences found in more than one of ``texts`` (articles of one source: its
    promotions, disclaimers and standing paragraphs)."""
    seen: dict[str, int] = {}
    for text in texts:
        for sentence in set(split(text)):
            seen[sentence] = seen.get(sentence, 0) + 1
    return frozenset(s for s, n in seen.items() if n > 1)
