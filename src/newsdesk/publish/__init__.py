"""Publish stage: the Hugo export in the seed's format and the JSON Lines export."""

from newsdesk.publish.hugo import export_hugo, render_page, slug
from newsdesk.publish.jsonl import article_json, export_jsonl

__all__ = ["article_json", "export_hugo", "export_jsonl", "render_page", "slug"]
