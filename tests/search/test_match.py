"""In-memory matching (watchlists) agrees with the search index, query by query."""

from __future__ import annotations

import pytest

from newsdesk.config import Settings
from newsdesk.pipeline import import_paths
from newsdesk.search import MAX_LIMIT, parse, search
from newsdesk.search.match import Document, QueryIndex, matches
from newsdesk.store import Store
from newsdesk.tokens import article_tokens
from tests.conftest import record, write_data

TEXTS = [
    ("美联储宣布降息25个基点", "<p>美联储周三宣布降息，鲍威尔表示通胀回落。</p>"),
    ("美聯儲維持利率不變", "<p>美聯儲按兵不動，市場關注下次議息。</p>"),
    ("Fed signals a rate cut in March", "<p>The Federal Reserve signalled a rate cut; crypto markets rallied.</p>"),
    ("Bitcoin slides as crypto sells off", "<p>Crypto prices fell; the Fed stayed put.</p>"),
    ("英伟达股价大涨", "<p>英伟达(NVDA.O)周一大涨，芯片股走强。Nvidia rallied.</p>"),
    ("Gold and silver climb", "<p>Gold rose 1%; silver rose 2% on rate cut bets.</p>"),
    ("黄金价格创新高", "<p>现货黄金突破2900美元，避险需求升温。</p>"),
    ("Rates: cut or not?", "<p>Analysts debate whether the cut comes; a rate path is unclear.</p>"),
]
QUERIES = [
    "美联储",
    "美聯儲 降息",
    '"rate cut"',
    "rate cut",
    "crypto -bitcoin",
    "gold OR 黄金",
    "金",
    "英伟达 OR nvidia",
    '"cut rate"',
    "fed -crypto",
    "rates",
    "黄金 -白银",
    "silver OR gold rose",
]


@pytest.fixture
def store(db_url, tmp_path):
    records = [
        record(n, title=title, description=body, source=f"wire_{n % 3}") for n, (title, body) in enumerate(TEXTS)
    ]
    write_data(tmp_path / "data" / "wire" / "news.json", records)
    with Store(db_url) as opened:
        import_paths(opened, [tmp_path / "data"], Settings())
        yield opened


def test_matching_finds_exactly_what_search_finds(store):
    articles = list(store.iter_articles())
    documents = {a.uuid: Document(*article_tokens(a.title, a.text)) for a in articles}
    index = QueryIndex((text, parse(text)) for text in QUERIES)
    for text in QUERIES:
        found = {hit.uuid for hit in search(store, text, limit=MAX_LIMIT)}
        matched = {uuid for uuid, document in documents.items() if matches(parse(text), document)}
        assert matched == found, text
        assert {uuid for uuid, document in documents.items() if text in index.matching(document)} == found, text
    assert any(matches(parse("rate cut"), d) for d in documents.values())  # the queries do match something


def test_title_scores_weigh_each_group_a_title_holds_by_its_rarity_among_the_titles():
    from newsdesk.search.match import title_scores

    titles = ["Fed holds rates", "Gold rises", "Fed and gold", "美联储维持利率不变", "Copper output"]
    tokens = [article_tokens(title, "")[0] for title in titles]
    fed_gold = title_scores(parse("fed gold"), tokens)
    assert fed_gold[2] > fed_gold[0] == fed_gold[1] > 0 and fed_gold[3] == fed_gold[4] == 0
    rarer = title_scores(parse("fed copper"), tokens)  # copper: in one title of five, fed in two
    assert rarer[4] > rarer[0] == rarer[2] > 0
    either = title_scores(parse('"holds rates" OR copper'), tokens)  # one group: either holds it
    assert either[0] == either[4] > 0 and either[1:4] == [0, 0, 0]
    assert title_scores(parse('"rates holds"'), tokens)[0] == 0  # a phrase keeps its order
    chinese = title_scores(parse("利率 美"), tokens)  # a single CJK character matches as a word's start
    assert chinese[3] > 0 and chinese[:3] == [0, 0, 0]
