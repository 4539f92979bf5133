"""A list's total from the site-wide counts agrees with counting it."""

from datetime import UTC, datetime

from newsdesk.models import ArticleFilter
from newsdesk.store import Store
from newsdesk.web.cache import PageCache
from newsdesk.web.figures import SiteFigures
from tests.conftest import article


def test_totals_from_site_wide_counts_agree_with_counting(db_url):
    languages = ["zh", "zh-TW", "zh-HK", "en", "en-GB", "zhx", None]
    with Store(db_url) as store:
        made = [article(n, source=f"s{n % 3}", language=languages[n % len(languages)]) for n in range(40)]
        store.save(made, [], datetime.now(UTC))
        figures = SiteFigures(store, PageCache(60, store.version, while_unchanged=True))
        lists = [ArticleFilter(), ArticleFilter(source="s1"), ArticleFilter(source="nowhere")]
        lists += [ArticleFilter(lang=lang) for lang in ("zh", "zh-TW", "en", "zhx", "fr")]
        lists += [ArticleFilter(lang="zh", source="s2")]  # two filters: counted
        for where in lists:
            assert figures.total(where) == store.count_where(where), where
        assert figures.total(ArticleFilter(lang="zh")) == 18  # zh, zh-TW, zh-HK: 6 each; not zhx
        assert figures.total(ArticleFilter()) == 40
