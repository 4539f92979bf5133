"""The served app on a real socket (uvicorn in a thread) with a small imported corpus."""

from __future__ import annotations

import pytest

from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.store import Store
from newsdesk.web import create_app
from tests.conftest import write_data
from tests.web.helpers import PAGED, RECORDS, running


@pytest.fixture
def server(db_url, tmp_path):
    write_data(tmp_path / "data" / "wire" / "news.json", RECORDS)
    store = Store(db_url)
    import_paths(store, [tmp_path / "data"], Settings())
    with running(create_app(store, PAGED)) as client:
        yield client
    store.close()
