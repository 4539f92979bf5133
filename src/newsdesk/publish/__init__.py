"""Publish stage: what the stored articles become outside newsdesk.

* :mod:`.hugo` — the Hugo export, byte for byte the seed system's pages;
* :mod:`.jsonl` — the JSON Lines export;
* :mod:`.site` — the built static site (:mod:`.entry`, :mod:`.templating`,
  :mod:`.feeds`, :mod:`.static_search`, and :mod:`.output`, which writes only what
  changed).
"""

from newsdesk.publish.hugo import export_hugo, render_page, slug
from newsdesk.publish.jsonl import article_json, export_jsonl

__all__ = ["article_json", "export_hugo", "export_jsonl", "render_page", "slug"]
