"""Which sentence sums an article up: newsdesk's TextRank against the lead sentence and
the libraries made for it (not a test: prints figures).

A sample of long articles of the shared corpus (``--per-language`` Chinese and English,
at most ``--per-source`` of one source, drawn with ``--seed``) is summed up in one
sentence by each method; each sentence is scored against the article's headline (the
one-line summary its editor wrote): ROUGE-1 F over index tokens (English words
stemmed, Chinese character pairs). Also printed: how long a sentence is, how often it
is the lead, milliseconds an article, and the seconds and memory a method's import
costs. ``--show N`` prints N articles' headline and each method's sentence to read.

Peers, when installed (not in newsdesk's install): ``snownlp`` (Chinese; its
``summary``, a TextRank over BM25) and ``sumy`` (its TextRank and LexRank, given
newsdesk's own sentence splitter: sumy's English tokenizer needs NLTK data from the
network).

    python benchmarks/summaries.py ../shared/datasets/cachenews-2025-02 [--db URL] [--show 5]
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable

from _corpus import arguments, corpus_store

from newsdesk.enrich import sentences
from newsdesk.tokens import index_tokens

Method = Callable[[str, str, frozenset[str]], str]
REPEATS_FROM = 8  # other articles of a source: a sentence one of them shares is the source's boilerplate


def _rouge(candidate: str, reference: str) -> float:
    got, want = Counter(index_tokens(candidate)), Counter(index_tokens(reference))
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def _sample(store, per_language: int, per_source: int, seed: int) -> dict[str, list[tuple[str, str]]]:
    """Long articles of each language; with each, the sentences its source repeats."""
    rows: dict[str, list[tuple[str, str, str]]] = {"zh": [], "en": []}
    bodies: dict[str, list[str]] = {}
    for article in store.iter_articles():
        language = (article.language or "").split("-")[0]
        if language in rows and len(article.text) >= 600 and article.kind != 2:
            rows[language].append((article.source, article.title, article.text))
            bodies.setdefault(article.source, []).append(article.text)
    chosen: dict[str, list[tuple[str, str]]] = {}
    for language, found in rows.items():
        random.Random(seed).shuffle(found)
        taken: Counter[str] = Counter()
        chosen[language] = []
        for source, title, text in found:
            if taken[source] < per_source and len(chosen[language]) < per_language:
                taken[source] += 1
                others = [b for b in bodies[source] if b != text][:REPEATS_FROM]
                chosen[language].append((title, text, sentences.repeated([*others, text])))
    return chosen


def _first(text: str, title: str, repeated: frozenset[str]) -> str:
    return next(iter(sentences.split(text)), "")


def _lead(text: str, title: str, repeated: frozenset[str]) -> str:
    return sentences.best(text, title, lead=50.0, repeated=repeated)


def _methods() -> dict[str, tuple[Method, float, int]]:
    """name → (method, seconds its import took, kilobytes of memory it added)."""
    methods: dict[str, tuple[Method, float, int]] = {
        "first sentence": (_first, 0.0, 0),
        "lead sentence (usable, no dateline)": (_lead, 0.0, 0),
        "newsdesk TextRank (lead prior)": (lambda t, h, r: sentences.best(t, h, repeated=r), 0.0, 0),
        "newsdesk TextRank (no prior)": (lambda t, h, r: sentences.best(t, h, lead=0.0, repeated=r), 0.0, 0),
    }
    peers = (("snownlp", _snownlp), ("sumy TextRank", _sumy("text_rank")), ("sumy LexRank", _sumy("lex_rank")))
    for name, load in peers:
        before, started = _memory(), time.perf_counter()
        try:
            method = load()
        except ImportError:
            print(f"{name}: not installed", file=sys.stderr)
            continue
        methods[name] = (method, time.perf_counter() - started, _memory() - before)
    return methods


def _memory() -> int:
    """Peak memory of the process so far, in kilobytes."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _snownlp() -> Method:
    from snownlp import SnowNLP  # noqa: PLC0415

    def best(text: str, title: str, repeated: frozenset[str]) -> str:
        if not sentences.CJK.search(text[:400]):
            return ""
        found = SnowNLP(text[: sentences.MAX_CHARS]).summary(1)
        return found[0] if found else ""

    return best


def _sumy(kind: str) -> Callable[[], Method]:
    def load() -> Method:
        from sumy.parsers.plaintext import PlaintextParser  # noqa: PLC0415
        from sumy.summarizers.lex_rank import LexRankSummarizer  # noqa: PLC0415
        from sumy.summarizers.text_rank import TextRankSummarizer  # noqa: PLC0415

        class Tokenizer:  # newsdesk's splitter: sumy's own needs NLTK's data from the network
            language = "english"

            def to_sentences(self, paragraph: str) -> list[str]:
                return sentences.split(paragraph)

            def to_words(self, sentence: str) -> list[str]:
                return index_tokens(sentence)

        summarizer = TextRankSummarizer() if kind == "text_rank" else LexRankSummarizer()

        def best(text: str, title: str, repeated: frozenset[str]) -> str:
            document = PlaintextParser.from_string(text[: sentences.MAX_CHARS], Tokenizer()).document
            found = summarizer(document, 1)
            return str(found[0]) if found else ""

        return best

    return load


def main() -> None:
    parser = arguments(__doc__.splitlines()[0], per_language=300, per_source=15, seed=7, show=0)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = corpus_store(options.corpus, options.db, folder)
        sample = _sample(store, options.per_language, options.per_source, options.seed)
        store.close()
    methods = _methods()
    print(f"{'language':8} {'method':34} {'ROUGE-1 F vs headline':>22} {'chars':>6} {'is lead':>8} {'ms/article':>10}")
    for language, articles in sample.items():
        for name, (method, _, _) in methods.items():
            scores, lengths, leads, started = [], [], 0, time.perf_counter()
            for title, text, repeated in articles:
                chosen = method(text, title, repeated)
                if name.startswith("snownlp") and language != "zh":
                    break
                scores.append(_rouge(chosen, title))
                lengths.append(len(chosen))
                leads += bool(chosen) and chosen.strip() == _lead(text, title, repeated).strip()
            if not scores:
                continue
            took = (time.perf_counter() - started) * 1000 / len(scores)
            print(
                f"{language:8} {name:34} {sum(scores) / len(scores):22.3f} {sum(lengths) / len(lengths):6.0f}"
                f" {leads / len(scores):8.2f} {took:10.2f}"
            )
    for name, (_, seconds, kilobytes) in methods.items():
        if seconds:
            print(f"import {name}: {seconds:.2f} s, +{kilobytes / 1024:.0f} MB peak memory")
    for language, articles in sample.items():
        for title, text, repeated in articles[: options.show]:
            print(f"\n[{language}] {title}")
            for name, (method, _, _) in methods.items():
                print(f"  {name}: {method(text, title, repeated)[:240]}")


if __name__ == "__main__":
    main()
