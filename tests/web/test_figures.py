"""A list's total from the site-wide counts agrees with counting it."""

from datetime import UTC, datetime

from newsdesk.models import ArticleFilter
from newsdesk.publish.templating import slugify
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


def test_a_tag_page_finds_its_tag_without_the_table_of_every_tag(db_url):
    tags = ["Dow", "Dow Inc", "Dow Jones Newswires", "Dowa", "0700.HK", "央行 政策", "$TSLA", "#"]
    with Store(db_url) as store:
        made = [article(n, tags=[tags[n % len(tags)], f"other{n}"]) for n in range(40)]
        store.save(made, [], datetime.now(UTC))
        assert store.tags_starting("Dow") == ["Dow", "Dow Inc", "Dow Jones Newswires", "Dowa"]
        assert store.tags_starting("Dow", limit=2) == ["Dow", "Dow Inc"]
        assert store.tags_starting("nothing") == []
        figures = SiteFigures(store, PageCache(60, store.version, while_unchanged=True))
        tables = []
        counts = store.tag_counts
        store.tag_counts = lambda *a, **k: tables.append(1) or counts(*a, **k)  # the real one, counted
        for tag in tags[:6]:
            assert figures.named("tags", slugify(tag)) == tag
        assert tables == []  # found by their slug's first word
        assert figures.named("tags", slugify("$TSLA")) == "$TSLA"  # a sign the slug dropped: the table, once
        assert figures.named("tags", "TSLA") is None  # its own slug only: "TSLA" is another name
        assert figures.named("tags", slugify("#")) == "#" and figures.named("tags", "nope") is None
        assert tables == [1]
