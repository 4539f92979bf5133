#!/usr/bin/env bash
# A fresh venv with the pip its Python bundles (not upgraded), a plain install of
# newsdesk, and one fallback extraction: an undeclared runtime import turns this red.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
venv=$(mktemp -d)/venv
trap 'rm -rf "$(dirname "$venv")"' EXIT
"$PYTHON" -m venv "$venv"
echo "check-install: $("$venv/bin/pip" --version)"
"$venv/bin/pip" install -q -c constraints.txt . 2>&1 | grep -v "is ignored: it is neither a file nor a directory" || true
"$venv/bin/python" - <<'PY'
from newsdesk.extract import main_content, page_date
from zoneinfo import ZoneInfo
page = ("<html><head><title>Rates held - Example Wire</title>"
        '<meta property="article:published_time" content="2026-08-21T11:00:00+00:00"></head><body>'
        "<nav><a href='/'>Home</a> <a href='/markets'>Markets</a></nav><article>"
        + "".join(f"<p>The central bank held rates steady for the {n}th month, citing sticky inflation.</p>" for n in range(6))
        + "</article></body></html>")
body = main_content(page, "https://example.com/a")
assert body is not None and "central bank held rates" in body.text, body
assert page_date(page, "https://example.com/a", ZoneInfo("UTC")) is not None
print(f"check-install: fallback extraction works ({body.method}, {len(body.text)} characters)")
PY
