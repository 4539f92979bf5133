"""The disk filling up during an import: a clear error naming the stage and the
database's reason, the batches committed before it kept, and the next import after
space is freed completes. The database lives on a size-limited tmpfs (skipped, with the
reason, where this machine may not mount one)."""

from __future__ import annotations

import json
import subprocess

import pytest

from newsdesk.store import Store
from tests.conftest import newsdesk, noise, record

pytestmark = pytest.mark.slow


@pytest.fixture
def small_disk(tmp_path):
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a size-limited tmpfs here: {mounted.stderr.decode().strip()}")
    yield folder
    subprocess.run(["umount", str(folder)], check=False)


def test_a_full_disk_stops_the_import_clearly_and_the_next_one_completes(small_disk, tmp_path):
    rows = [record(n, title=f"磁盘第{n}号消息", description=f"<p>{noise(n, 400)}</p>") for n in range(3000)]
    data = tmp_path / "big.jsonl"
    data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    db = f"sqlite:///{small_disk / 'news.db'}"
    full = newsdesk("import", str(data), "--json", db=db)
    assert full.returncode == 1 and "Traceback" not in full.stderr
    assert "error store: could not save" in full.stderr and "database or disk is full" in full.stderr
    assert len(full.stderr) < 2000  # the reason, not the statement and its parameters
    with Store(db) as store:
        kept = store.count()
    assert 0 < kept < 3000  # the batches before the disk filled up are there
    subprocess.run(["mount", "-o", "remount,size=256m", str(small_disk)], check=True)  # space freed
    again = newsdesk("import", str(data), "--json", db=db, check=True)
    counts = json.loads(again.stdout)
    assert counts["new"] == 3000 - kept and counts["duplicate"] == kept and counts["rejected"] == 0
    with Store(db) as store:
        assert store.count() == 3000
