"""How many near-duplicate pairs fewer LSH bands would still find (not a test).

    .venv/bin/python benchmarks/band_recall.py sqlite:////tmp/s100k.db

Reads every stored MinHash signature, finds the pairs that share a key in any of the
:data:`newsdesk.minhash.BANDS` bands (buckets capped at 200 articles, as a templated
story would otherwise make millions of pairs), keeps those whose estimated similarity
reaches the threshold, and prints the share of them that the first B bands alone would
have made candidates — the recall that storing fewer band keys an article would cost
(keys of the first bands stay valid, so such a change needs no new signatures).
"""

from __future__ import annotations

import argparse
import itertools
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

from newsdesk.minhash import BANDS, THRESHOLD, band_keys

BUCKET_CAP = 200
SPLIT = 0.6  # pairs just over the threshold, reported apart


def first_shared_bands(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Similarity and first shared band of every candidate pair at the threshold or above."""
    with sqlite3.connect(path) as conn:
        signatures = {
            uuid: np.frombuffer(bytes(m), dtype="<u4")
            for uuid, m in conn.execute("SELECT uuid, minhash FROM article_signatures")
        }
    keys = {uuid: band_keys(sig.tobytes()) for uuid, sig in signatures.items()}
    buckets: dict[tuple[int, int], list[str]] = defaultdict(list)
    for uuid, found in keys.items():
        for band, key in enumerate(found):
            buckets[(band, key)].append(uuid)
    pairs = {pair for members in buckets.values() for pair in itertools.combinations(sorted(members[:BUCKET_CAP]), 2)}
    similar, first = [], []
    for a, b in pairs:
        similarity = float(np.mean(signatures[a] == signatures[b]))
        if similarity >= THRESHOLD:
            similar.append(similarity)
            first.append(next(band for band in range(BANDS) if keys[a][band] == keys[b][band]))
    print(f"{len(signatures)} signatures, {len(pairs)} candidate pairs, {len(similar)} at similarity >= {THRESHOLD}")
    return np.array(similar), np.array(first)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", help="a sqlite:/// URL of a store")
    args = parser.parse_args()
    path = Path(args.db.removeprefix("sqlite:///"))
    if not args.db.startswith("sqlite:///") or not path.is_file():
        sys.exit(f"not a SQLite file: {args.db}")
    similar, first = first_shared_bands(path)
    if not len(similar):
        sys.exit("no pairs at the threshold")
    near = similar < SPLIT
    print(f"bands  found  at {THRESHOLD}-{SPLIT} ({int(near.sum())})  at >= {SPLIT} ({int((~near).sum())})")
    for bands in range(BANDS, 7, -1):
        found = first < bands
        print(f"{bands:5d}  {found.mean():6.2%}  {found[near].mean():14.2%}  {found[~near].mean():12.2%}")


if __name__ == "__main__":
    main()
