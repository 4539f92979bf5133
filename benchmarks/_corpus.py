"""What the quality benchmarks share: their arguments and a store holding the corpus."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.store import Store


def arguments(description: str, **defaults: int) -> argparse.ArgumentParser:
    """corpus, --db and --seed, plus one integer option per keyword (``per_set=300`` → ``--per-set``)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("corpus", type=Path)
    parser.add_argument(
        "--db", help="database holding the imported corpus (default: import it into a temporary SQLite file)"
    )
    for name, value in defaults.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=value)
    return parser


def corpus_store(corpus: Path, db: str | None, folder: str) -> Store:
    """The store at ``db``, or a new SQLite file in ``folder``; the corpus is imported when it is empty."""
    store = Store(db or f"sqlite:///{folder}/corpus.db")
    if store.count() == 0:
        print("importing the corpus …", file=sys.stderr)
        import_paths(store, [corpus], Settings())
    return store
