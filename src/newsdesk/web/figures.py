"""Site-wide figures that the served list pages share, kept until the articles change:
articles per source and per language, the slug tables of tags, sources and
languages, and from them the total of a whole list (its pager needs one)."""

from __future__ import annotations

import re

from newsdesk.models import ArticleFilter, in_language
from newsdesk.publish.site import slugify
from newsdesk.store import Store
from newsdesk.web.cache import PageCache

__all__ = ["SiteFigures"]


class SiteFigures:
    """Figures of ``store`` kept in ``shared`` (a cache whose values live while the
    articles are unchanged)."""

    def __init__(self, store: Store, shared: PageCache) -> None:
        self.store = store
        self.shared = shared

    def counts(self, kind: str) -> dict[str, int]:
        """Articles per source (``sources``) or per language (``languages``)."""

        def make() -> dict[str, int]:
            if kind == "sources":
                return {source: n for source, n, _ in self.store.source_counts()}
            return dict(self.store.language_counts())

        return self.shared.get(f"counts:{kind}", make)

    def names(self, kind: str) -> dict[str, str]:
        """The tags, sources or languages by the slug of their pages."""

        def make() -> dict[str, str]:
            if kind == "tags":
                values = [tag for tag, _ in self.store.tag_counts(limit=1_000_000)]
            else:
                values = list(self.counts(kind))
            return {slugify(v): v for v in values}

        return self.shared.get(f"names:{kind}", make)

    def named(self, kind: str, slug: str) -> str | None:
        """The tag, source or language whose page is at ``slug``. A tag is looked up
        among the tags that start as its slug does (a seek each): the table of every
        tag (a count over every article's tags: seconds at two million, made again
        whenever the articles change) is read only for a slug not found so (a tag
        that starts with a sign, a name the slug could not keep)."""
        if kind == "tags" and not slug.startswith("t-"):
            for tag in self.store.tags_starting(re.split(r"[-~]", slug, maxsplit=1)[0]):
                if slugify(tag) == slug:
                    return tag
        return self.names(kind).get(slug)

    def total(self, where: ArticleFilter) -> int:
        """How many articles a list holds: the whole site's, a source's or a language's
        from the counts above (counting a million rows takes 30–90 ms on PostgreSQL,
        and every page of a list needs its total); any other filter is counted, and
        every list when the cache is off (the counts above are up to a second old)."""
        if self.shared.seconds <= 0:
            return self.store.count_where(where)
        if where == ArticleFilter():
            return sum(self.counts("sources").values())
        if where == ArticleFilter(source=where.source):
            return self.counts("sources").get(where.source or "", 0)
        if where.lang and where == ArticleFilter(lang=where.lang):
            return sum(n for name, n in self.counts("languages").items() if in_language(name, where.lang))
        return self.store.count_where(where)
