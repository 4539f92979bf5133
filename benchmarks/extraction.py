"""Body extraction on real saved pages (not a test; prints figures).

Two sets from ``../shared/datasets/extraction`` (see its README):

* ``en-aeb`` — 181 English pages with ground truth; the article-extraction-benchmark
  metric: 4-token shingles, true/false positives and negatives normalised per page,
  summed over pages, precision / recall / F1 of the sums;
* ``zh-gne`` — 34 Chinese pages with the CSS selector of the article container; a
  page is body-right when the extracted text holds ≥ 0.8 of the container's
  character bigrams (recall) and ≥ 0.5 of its own bigrams are the container's (precision).

Measured for newsdesk's chain (:func:`newsdesk.extract.main_content`, its plain text
as search indexes it) and, in the same run, trafilatura alone (precision mode, plain
text), with the time per page of each.

    python benchmarks/extraction.py [--data ../shared/datasets/extraction] [--misses]
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import re
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from newsdesk.fetch.client import decode

_TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))


def shingle_counts(truth: str, found: str) -> tuple[float, float, float]:
    """(tp, fp, fn) of one page, normalised so that long pages weigh no more than short ones."""
    a, b = shingles(truth), shingles(found)
    tp = sum((a & b).values())
    fp, fn = sum(b.values()) - tp, sum(a.values()) - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def bigrams(text: str) -> Counter[str]:
    flat = _SPACE.sub("", text or "")
    return Counter(flat[i : i + 2] for i in range(len(flat) - 1))


def newsdesk_text(page: str, url: str) -> str:
    from newsdesk.extract import main_content

    body = main_content(page, url)
    return body.text if body else ""


def trafilatura_text(page: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(page, url=url or None, favor_precision=True) or ""


def english(data: Path, extractor: Callable[[str, str], str], misses: bool) -> tuple[float, float, float, float]:
    truth = json.loads((data / "en-aeb" / "ground-truth.json").read_text())
    sums, seconds = [0.0, 0.0, 0.0], 0.0
    for key, expected in truth.items():
        page = decode(gzip.decompress((data / "en-aeb" / "html" / f"{key}.html.gz").read_bytes()), None)
        started = time.perf_counter()
        found = extractor(page, expected.get("url", ""))
        seconds += time.perf_counter() - started
        counts = shingle_counts(expected["articleBody"], found)
        sums = [s + c for s, c in zip(sums, counts, strict=True)]
        f1 = 2 * counts[0] / (2 * counts[0] + counts[1] + counts[2]) if any(counts) else 0.0
        if misses and f1 < 0.8:
            print(f"  en-aeb miss {key[:12]}: F1 {f1:.2f}")
    tp, fp, fn = sums
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return precision, recall, 2 * precision * recall / (precision + recall), seconds / len(truth)


def chinese(data: Path, extractor: Callable[[str, str], str], misses: bool) -> tuple[int, int, float]:
    reference = json.loads((data / "zh-gne" / "reference.json").read_text())
    right, seconds = 0, 0.0
    for name, selector in reference.items():
        page = decode(gzip.decompress((data / "zh-gne" / "pages" / f"{name}.gz").read_bytes()), None)
        tree = LexborHTMLParser(page)
        tree.strip_tags(["script", "style", "noscript"])
        node = tree.css_first(selector)
        truth = bigrams(node.text(separator="\n") if node else "")
        started = time.perf_counter()
        found = bigrams(extractor(page, ""))
        seconds += time.perf_counter() - started
        shared = sum((truth & found).values())
        recall = shared / sum(truth.values()) if truth else 0.0
        precision = shared / sum(found.values()) if found else 0.0
        if recall >= 0.8 and precision >= 0.5:
            right += 1
        elif misses:
            print(f"  zh-gne miss {name}: recall {recall:.2f}, precision {precision:.2f}")
    return right, len(reference), seconds / len(reference)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).parent.parent.parent / "shared/datasets/extraction")
    parser.add_argument("--misses", action="store_true", help="list the pages each extractor gets wrong")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}")
    for name, extractor in (("newsdesk", newsdesk_text), ("trafilatura", trafilatura_text)):
        extractor("<html><body><p>warm up the libraries.</p></body></html>", "")
        precision, recall, f1, en_seconds = english(args.data, extractor, args.misses)
        right, total, zh_seconds = chinese(args.data, extractor, args.misses)
        print(
            f"{name:12} en-aeb P {precision:.3f} R {recall:.3f} F1 {f1:.4f} ({en_seconds * 1000:.1f} ms/page)   "
            f"zh-gne {right}/{total} body-right ({zh_seconds * 1000:.1f} ms/page)"
        )


if __name__ == "__main__":
    main()
