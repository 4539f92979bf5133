"""Near-duplicate detection: MinHash signatures and LSH band keys.

The same story from several sources, or re-published with small edits, shares
most of its shingles (runs of three units of normalized text, a unit being a
CJK character or a word). A 64-value MinHash estimates the Jaccard
similarity of two shingle sets; LSH splits the signature into 21 bands of 3
values, and articles sharing any band key are compared. The keys live in the
database (``cluster_keys``), so finding candidates for a new article is a few
index lookups however large the store grows: the cost stays linear.

With 21 bands of 3 an article pair at similarity 0.5 becomes a candidate with
probability 0.94, one at 0.6 with 0.994, one at 0.2 with 0.16.
"""

from __future__ import annotations

import hashlib
import zlib

import numpy as np

from newsdesk.tokens import query_runs

__all__ = ["NUM_PERM", "THRESHOLD", "band_keys", "signature", "similarity"]

NUM_PERM = 64
BANDS, ROWS = 21, 3
THRESHOLD = 0.5  # estimated Jaccard at or above which two articles are one story
SHINGLE = 3
MAX_CHARS = 5000  # the start of an article identifies it; long tails add cost, not signal

# Universal hashing h(x) = ((a·x + b) mod p) mod 2³², as datasketch's MinHash does it.
# (datasketch itself imports scipy: 50 MB more in every import worker, for nothing we use.)
_PRIME = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64((1 << 32) - 1)
_random = np.random.RandomState(7)  # fixed: stored signatures must stay comparable
_A = _random.randint(1, (1 << 61) - 1, size=NUM_PERM, dtype=np.uint64)
_B = _random.randint(0, (1 << 61) - 1, size=NUM_PERM, dtype=np.uint64)


def units(text: str) -> list[str]:
    """CJK characters and words of the normalized text, punctuation and spaces gone."""
    out: list[str] = []
    for cjk, run in query_runs(text[:MAX_CHARS]):
        out.extend(run if cjk else (run,))
    return out


def shingles(title: str, text: str) -> np.ndarray:
    """32-bit hashes of the article's shingles: each unit hashed once (crc32),
    then combined three at a time with numpy — no string per shingle."""
    seq = units(text) or units(title)
    if not seq:
        return np.empty(0, dtype=np.uint64)
    hashes = np.array(list(map(zlib.crc32, map(str.encode, seq))), dtype=np.uint64)  # twice as fast as fromiter
    if len(hashes) < SHINGLE:
        return np.array([int(hashes.sum()) & 0xFFFFFFFF], dtype=np.uint64)
    combined = hashes[: 1 - SHINGLE] * np.uint64(0x9E3779B1)
    for offset in range(1, SHINGLE):
        end = len(hashes) - SHINGLE + 1 + offset
        combined = (combined ^ hashes[offset:end]) * np.uint64(0x85EBCA77)
    return np.unique(combined & np.uint64(0xFFFFFFFF))


def signature(title: str, text: str) -> bytes | None:
    """The MinHash of an article as 64 little-endian uint32 (None: no text at all)."""
    grams = shingles(title, text)
    if not len(grams):
        return None
    with np.errstate(over="ignore"):  # a·x wraps modulo 2⁶⁴ before mod p, by design
        hashed = ((grams[:, None] * _A + _B) % _PRIME) & _MAX32
    return bytes(hashed.min(axis=0).astype("<u4").tobytes())


def band_keys(sig: bytes) -> list[int]:
    """One signed 63-bit key per LSH band (fits a PostgreSQL bigint)."""
    keys = []
    for band in range(BANDS):
        chunk = sig[band * ROWS * 4 : (band + 1) * ROWS * 4]
        digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big") >> 1)
    return keys


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(np.frombuffer(a, dtype="<u4") == np.frombuffer(b, dtype="<u4")))
