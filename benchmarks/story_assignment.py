"""What assigning a story costs at ingest, with the store as large as it is (not a test).

    .venv/bin/python benchmarks/story_assignment.py sqlite:////tmp/s1m.db /tmp/synth1m [--articles 2000]

Cleans and enriches ``--articles`` records of the corpus (every ``--every``-th), gives
each a new uuid and link and a publication time inside the store's newest day (as a
desk's next fetches would have), and saves them with ``Store.save`` in batches of
``--batch`` into a copy of the SQLite file (the file given is left as it was). Timed apart: near-duplicate clustering
(``clusters.assign``) and story linking (``links.link``) — story assignment — and the
whole save. Prints milliseconds an article for each, and the store's size.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from writer_pages import articles

from newsdesk.store import Store, clusters, links


def timed(module: Any, name: str, spent: list[float]) -> Callable[[], None]:
    """Wrap ``module.name`` so that each call's seconds go into ``spent``; returns the undo."""
    original = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - started)

    setattr(module, name, wrapper)
    return lambda: setattr(module, name, original)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--every", type=int, default=97)
    parser.add_argument("--batch", type=int, default=200)
    options = parser.parse_args()
    prepared = articles(options.corpus, options.articles, options.every)
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        copy = Path(folder) / "copy.db"
        shutil.copyfile(options.db.removeprefix("sqlite:///"), copy)
        with Store(f"sqlite:///{copy}") as store:
            size = store.count()
            span = store.time_span()
            newest = span[1] if span else datetime.now(UTC)
            step = timedelta(days=1) / max(len(prepared), 1)
            for n, article in enumerate(prepared):  # the store's next day, in order
                article.published = newest - timedelta(days=1) + step * n
            assign: list[float] = []
            link: list[float] = []
            undo = [timed(clusters, "assign", assign), timed(links, "link", link)]
            saves = []
            try:
                for start in range(0, len(prepared), options.batch):
                    batch = prepared[start : start + options.batch]
                    began = time.perf_counter()
                    store.save(batch, [], datetime.now(UTC))
                    saves.append((time.perf_counter() - began) / len(batch))
            finally:
                for step_back in undo:
                    step_back()
    count = len(prepared)
    print(f"store: {size} articles; saved {count} more in batches of {options.batch}")
    print(f"  clustering  {sum(assign) * 1000 / count:6.3f} ms an article")
    print(f"  linking     {sum(link) * 1000 / count:6.3f} ms an article")
    print(f"  assignment  {(sum(assign) + sum(link)) * 1000 / count:6.3f} ms an article (the two together)")
    print(
        f"  whole save  {statistics.mean(saves) * 1000:6.3f} ms an article"
        f" (batches: median {statistics.median(saves) * 1000:.3f}, worst {max(saves) * 1000:.3f})"
    )


if __name__ == "__main__":
    main()
