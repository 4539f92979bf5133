"""Shared fixtures: real SQLite files, a real PostgreSQL schema per test, the
seed material in ../shared (tests needing it skip when it is absent)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import subprocess
import sys
import time
import uuid
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from newsdesk.models import Article

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "datasets" / "cachenews-2025-02"
SEED_PAGE = SHARED / "seed" / "000_ecce39e23735fe14.txt"
SEED_RECORD = SHARED / "seed" / "seed-record.json"
PG_URL = os.environ.get("NEWSDESK_TEST_PG", "postgresql+psycopg://127.0.0.1:5432/test")


def _postgres_available() -> str | None:
    import psycopg

    try:
        with psycopg.connect(PG_URL.replace("+psycopg", ""), connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0]


@pytest.fixture(scope="session")
def postgres() -> str:
    problem = _postgres_available()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required under CI and is not reachable at {PG_URL}: {problem}")
        pytest.skip(f"PostgreSQL not reachable at {PG_URL} ({problem}); start it to run these tests")
    return PG_URL


@pytest.fixture
def pg_url(postgres: str):
    """A fresh schema in the real PostgreSQL, dropped afterwards."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    plain = postgres.replace("+psycopg", "")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    yield f"{postgres}?options=-csearch_path%3D{schema}"
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def open_store():
    """``open_store(url)``: a Store closed when the test ends (its checkpoint thread too)."""
    from newsdesk.store import Store

    made: list[Store] = []

    def open_one(url: str) -> Store:
        made.append(Store(url))
        return made[-1]

    yield open_one
    for store in made:
        store.close()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def shared() -> Path:
    if not SEED_RECORD.exists():
        pytest.skip(f"{SHARED} is absent")
    return SHARED


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.exists():
        pytest.skip(f"{CORPUS} is absent")
    return CORPUS


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory) -> tuple[str, dict]:
    """The dev corpus imported once per test session into SQLite, for the tests that
    only read it: (database URL, the import's counts)."""
    if not CORPUS.exists():
        pytest.skip(f"{CORPUS} is absent")
    url = f"sqlite:///{tmp_path_factory.mktemp('corpus') / 'corpus.db'}"
    imported = newsdesk("import", str(CORPUS), "--json", db=url)
    assert imported.returncode == 0, imported.stderr[-2000:]
    return url, json.loads(imported.stdout)


def record(n: int, **fields) -> dict:
    """A record in the seed system's shape, with text written for these tests."""
    base = {
        "id": n,
        "title": f"测试新闻标题 {n}: markets move",
        "description": f"<div><p>第{n}段正文，关于市场的测试内容。</p><p>Second paragraph number {n}.</p></div>",
        "image": f"https://img.example.com/{n}.png",
        "link": f"https://news.example.com/articles/{n}",
        "pub_date": "2025-02-07 16:37:50",
        "source": "example_source",
        "kind": 1,
        "language": "zh-CN",
    }
    base.update(fields)
    return base


def noise(seed: int, size: int = 300) -> str:
    """CJK text no other seed's shares: bodies of stories that do not cluster together."""
    rng = random.Random(seed)
    return "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(size))


def write_data(path: Path, records: list) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"data": records}, ensure_ascii=False), encoding="utf-8")
    return path


def exported(store, field: str) -> dict[str, object]:
    """``field`` of each article as ``export jsonl`` writes it, by link."""
    from newsdesk.config import Settings
    from newsdesk.publish.jsonl import export_jsonl

    out = io.StringIO()
    export_jsonl(store.iter_articles(), out, Settings())
    return {row["link"]: row[field] for row in map(json.loads, out.getvalue().splitlines())}


def newsdesk(*args: str, db: str | None = None, env: dict | None = None, check: bool = False):
    """Run the real command line in a subprocess."""
    command = [sys.executable, "-m", "newsdesk"]
    if db:
        command += ["--db", db]
    full_env = {**os.environ, **(env or {})}
    result = subprocess.run(command + list(args), capture_output=True, text=True, env=full_env, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"newsdesk {args} exited {result.returncode}: {result.stderr}")
    return result


def start_newsdesk(*args: str, db: str | None = None, env: dict | None = None, **popen) -> subprocess.Popen:
    """Start the real command line in a subprocess the test stops (a daemon, a server);
    its output is text, unbuffered."""
    command = [sys.executable, "-m", "newsdesk", *(["--db", db] if db else []), *args]
    popen.setdefault("stdout", subprocess.PIPE)
    popen.setdefault("stderr", subprocess.PIPE)
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    return subprocess.Popen(command, text=True, env=full_env, **popen)


def wait_for(condition, seconds: float, what: str) -> None:
    """Return once ``condition()`` is true; fail naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def json_source(folder: Path, name: str, url: str, extra: str = "") -> Path:
    """A catalog folder holding JSON source ``name`` that reads ``url``
    ({"items": [{"t": title, "u": link}]}), with ``extra`` YAML lines."""
    folder.mkdir(exist_ok=True)
    text = f"name: {name}\nkind: json\nurl: {url}\nitems: items\nfields: {{title: t, link: u}}\n{extra}"
    (folder / f"{name}.yaml").write_text(text)
    return folder


def article(n: int, **fields) -> Article:
    """A stored article, made directly (no pipeline): number ``n`` with ``fields`` changed."""
    base = Article(
        uuid=f"{n:032x}",
        link=f"https://news.example.com/{n}",
        source="example",
        title=f"标题 {n}",
        raw_html=f"<p>原文 {n}</p>",
        html=f"<p>原文 {n}</p>",
        markdown=f"原文 {n}",
        text=f"原文 {n}",
        summary=f"原文 {n}...",
        published=datetime(2025, 2, 7, 16, 37, 50, tzinfo=timezone(timedelta(hours=8))),
        content_hash=f"h{n}",
    )
    return replace(base, **fields)


class _QuickStopServer(HTTPServer):
    """Stops in a fiftieth of a second, not half a second (werkzeug's default poll)."""

    def thread_target(self) -> None:
        assert self.server is not None
        self.server.serve_forever(poll_interval=0.02)


@contextlib.contextmanager
def threaded_server():
    """A real HTTP server on 127.0.0.1 in threads of its own: a slow or hanging handler
    does not hold up other requests, nor answer late into the next test's log."""
    server = _QuickStopServer(host="127.0.0.1", threaded=True)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        if server.is_running():
            server.stop()
