#!/usr/bin/env bash
# Load benchmark of `newsdesk serve` with wrk (not a test: prints figures).
#   benchmarks/serve_load.sh sqlite:///newsdesk.db      # a database holding the imported corpus
# Starts the server on 127.0.0.1 (WORKERS processes, default 0 = one per core), warms it, then
# runs wrk for 15 s each against /, one article page and /api/search at 20 connections. The
# search requests go through 10 fixed queries and the 300 most used topic tags in turn; they
# run twice: with the server's 30 s result cache (the default), and with it off
# (web.cache_seconds = 0), where every request is a real search.
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
start
uuid=$(curl -sf "http://127.0.0.1:$PORT/api/articles?limit=1" | $PY -c 'import json,sys; print(json.load(sys.stdin)["articles"][0]["uuid"])')
topics=$(curl -sf "http://127.0.0.1:$PORT/api/tags?kind=topic&limit=300" | $PY -c '
import json, sys
print(", ".join(json.dumps(t["tag"], ensure_ascii=False) for t in json.load(sys.stdin)["tags"] if "\"" not in t["tag"]))')
script="$work/search.lua"
echo "local queries = {\"美联储\", \"降息\", \"特斯拉\", \"黄金 价格\", \"nvidia\", \"tariffs\", \"关税\", \"earnings\", \"比特币\", \"oil prices\", $topics}" > "$script"
cat >> "$script" <<'LUA'
local n = 0
request = function()
  n = n + 1
  local q = queries[(n % #queries) + 1]
  return wrk.format("GET", "/api/search?q=" .. q:gsub("[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
LUA
queries=$(grep -o '", "' "$script" | wc -l)
echo "machine: $(uname -m), $(nproc) cores; server workers: $WORKERS (0 = one per core); wrk -t2 -c20 -d15s --latency"
for target in "/" "/posts/$uuid/"; do
  curl -sf "http://127.0.0.1:$PORT$target" >/dev/null
  load "$target" "http://127.0.0.1:$PORT$target"
done
load "/api/search ($((queries + 1)) queries in turn, result cache on)" "http://127.0.0.1:$PORT" "$script"
printf '[web]\ncache_seconds = 0\n' > "$work/nocache.toml"
start "$work/nocache.toml"
load "/api/search ($((queries + 1)) queries in turn, result cache off)" "http://127.0.0.1:$PORT" "$script"
