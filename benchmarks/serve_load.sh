#!/usr/bin/env bash
# Load benchmark of `newsdesk serve` with wrk (not a test: prints figures).
#   benchmarks/serve_load.sh sqlite:///newsdesk.db      # a database holding the imported corpus
# Starts the server on 127.0.0.1, warms it, then runs wrk for 15 s each against /, one
# article page and /api/search (a different query per request) at 20 connections.
set -euo pipefail
DB=${1:-sqlite:///newsdesk.db}
PORT=${PORT:-8765}
PY=${PY:-.venv/bin/python}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk (make bench installs it)"; exit 1; }
$PY -m newsdesk --db "$DB" serve --port "$PORT" & server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/api/tags?limit=1" >/dev/null && break; sleep 0.2; done
uuid=$(curl -sf "http://127.0.0.1:$PORT/api/articles?limit=1" | $PY -c 'import json,sys; print(json.load(sys.stdin)["articles"][0]["uuid"])')
script=$(mktemp --suffix=.lua)
cat > "$script" <<'LUA'
local queries = {"美联储", "降息", "特斯拉", "黄金 价格", "nvidia", "tariffs", "关税", "earnings", "比特币", "oil prices"}
local n = 0
request = function()
  n = n + 1
  local q = queries[(n % #queries) + 1]
  return wrk.format("GET", "/api/search?q=" .. q:gsub("[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
LUA
echo "machine: $(uname -m), $(nproc) cores; wrk -t2 -c20 -d15s --latency"
for target in "/" "/posts/$uuid/"; do
  curl -sf "http://127.0.0.1:$PORT$target" >/dev/null
  echo "== $target"; wrk -t2 -c20 -d15s --latency "http://127.0.0.1:$PORT$target" | grep -E "Requests/sec|Latency|99%|Non-2xx"
done
echo "== /api/search (10 queries in turn)"
wrk -t2 -c20 -d15s --latency -s "$script" "http://127.0.0.1:$PORT" | grep -E "Requests/sec|Latency|99%|Non-2xx"
rm -f "$script"
