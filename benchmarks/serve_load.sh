#!/usr/bin/env bash
# Load benchmark of `newsdesk serve` with wrk (not a test: prints figures).
#   benchmarks/serve_load.sh sqlite:///newsdesk.db      # a database holding the imported corpus
# Starts the server on 127.0.0.1 (WORKERS processes, default 0 = one per core), warms it, then
# runs wrk for 15 s each against /, one article page, /api/search and the filtered lists at
# 20 connections. Search requests go through 10 fixed queries and the 300 most used topic
# tags in turn; lists through the home page filtered by each source, language and the most
# used tickers and topics, and those tags' pages. Each runs cold (right after the server
# starts, with its 30 s cache: every path made once per process), warm (again, cached), and
# with the cache off (web.cache_seconds = 0: every request a real search or query).
set -euo pipefail
DB=${1:-sqlite:///newsdesk.db}
PORT=${PORT:-8765}
PY=${PY:-.venv/bin/python}
WORKERS=${WORKERS:-0}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk (make bench installs it)"; exit 1; }
work=$(mktemp -d)
server=""
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
start() {  # start [config file]
  [ -n "$server" ] && { kill "$server"; wait "$server" 2>/dev/null || true; }
  $PY -m newsdesk --db "$DB" ${1:+--config "$1"} serve --port "$PORT" --workers "$WORKERS" & server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/api/tags?limit=1" >/dev/null && return; sleep 0.2; done
  echo "server did not start"; exit 1
}
load() {  # load label url [lua script]
  echo "== $1"
  wrk -t2 -c20 -d15s --latency ${3:+-s "$3"} "$2" | grep -E "Requests/sec|Latency|99%|Non-2xx"
}
start ${CONFIG:-}
uuid=$(curl -sf "http://127.0.0.1:$PORT/api/articles?limit=1" | $PY -c 'import json,sys; print(json.load(sys.stdin)["articles"][0]["uuid"])')
# A wrk script that requests the given paths in turn.
paths_script() {  # paths_script file  (paths on stdin, one per line, already URL-encoded)
  { printf 'local paths = {'; sed 's/.*/"&",/'; printf '}\n'; cat <<'LUA'
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
LUA
  } > "$1"
}
{ printf '%s\n' 美联储 降息 特斯拉 "黄金 价格" nvidia tariffs 关税 earnings 比特币 "oil prices"; curl -sf "http://127.0.0.1:$PORT/api/tags?kind=topic&limit=300" \
  | $PY -c 'import json,sys; [print(t["tag"]) for t in json.load(sys.stdin)["tags"]]'; } \
  | $PY -c 'import sys, urllib.parse; [print("/api/search?q=" + urllib.parse.quote(l.rstrip("\n"))) for l in sys.stdin]' > "$work/search.txt"
paths_script "$work/search.lua" < "$work/search.txt"
# The timeline and filtered lists: the home page with each source, language and the
# 100 most used tickers and topics as a filter, and those tags' own pages.
curl -sf "http://127.0.0.1:$PORT/api/sources" | $PY -c '
import json, sys, urllib.parse as u
for s in json.load(sys.stdin)["sources"]:
    if s["articles"]: print("/?source=" + u.quote(s["name"]))' > "$work/lists.txt"
for kind in ticker topic; do curl -sf "http://127.0.0.1:$PORT/api/tags?kind=$kind&limit=50" | $PY -c '
import json, re, sys, urllib.parse as u
for t in json.load(sys.stdin)["tags"]:
    print("/?tag=" + u.quote(t["tag"])); print("/tags/" + u.quote(re.sub(r"[^\w-]+", "-", t["tag"]).strip("-")[:80]) + "/")'; done >> "$work/lists.txt"
printf '%s\n' "/" "/?lang=en" "/?lang=zh" "/?lang=en&ticker=NVDA" "/page/1.html" "/page/2.html" >> "$work/lists.txt"
paths_script "$work/lists.lua" < "$work/lists.txt"
echo "machine: $(uname -m), $(nproc) cores; server workers: $WORKERS (0 = one per core); wrk -t2 -c20 -d15s --latency"
for target in "/" "/posts/$uuid.html"; do
  curl -sf "http://127.0.0.1:$PORT$target" >/dev/null
  load "$target" "http://127.0.0.1:$PORT$target"
done
# Cold: the first 15 s after a start, every path made once per server process (then cached).
load "/api/search ($(wc -l < "$work/search.txt") queries in turn, cold start, result cache on)" "http://127.0.0.1:$PORT" "$work/search.lua"
load "lists ($(wc -l < "$work/lists.txt") filtered lists and tag pages in turn, cold start)" "http://127.0.0.1:$PORT" "$work/lists.lua"
load "/api/search (warm: the same queries again)" "http://127.0.0.1:$PORT" "$work/search.lua"
load "lists (warm)" "http://127.0.0.1:$PORT" "$work/lists.lua"
printf '[web]\ncache_seconds = 0\n' > "$work/nocache.toml"
start "$work/nocache.toml"
load "/api/search (result cache off: every request a search)" "http://127.0.0.1:$PORT" "$work/search.lua"
load "lists (cache off: every request a count and a page query)" "http://127.0.0.1:$PORT" "$work/lists.lua"
