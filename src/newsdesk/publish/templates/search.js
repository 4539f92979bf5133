/* newsdesk static search: loads search/blocks.json (the index's blocks, newest first),
   search/t2s.json, the shards a query needs of each block, and the documents of the
   blocks with hits; tokens as newsdesk/publish/static_search.py makes them. */
(function (global) {
  "use strict";
  var SHARDS = 32;
  var CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/;
  var WORD = /[\p{L}\p{N}\p{M}]/u;

  function fnv1a(text) {
    var hash = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash >>> 0;
  }

  function runs(text, t2s) {
    var chars = Array.from(text.normalize("NFKC").toLowerCase()).map(function (c) { return t2s[c] || c; });
    var out = [], current = "", kind = null;
    chars.forEach(function (c) {
      var k = CJK.test(c) ? "cjk" : WORD.test(c) ? "word" : null;
      if (k !== kind && current) { out.push([kind, current]); current = ""; }
      kind = k;
      if (k) { current += c; }
    });
    if (current && kind) { out.push([kind, current]); }
    return out;
  }

  function termTokens(term, t2s) {
    var tokens = [];
    runs(term, t2s).forEach(function (run) {
      var text = run[1];
      if (run[0] === "cjk" && text.length > 1) {
        for (var i = 0; i + 1 < text.length; i++) { tokens.push(text.slice(i, i + 2)); }
      } else if (text.length <= 40) {
        tokens.push(text);
      }
    });
    return tokens;
  }

  function intersect(a, b) {
    var set = new Set(b);
    return a.filter(function (x) { return set.has(x); });
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /* The ids of a block's documents that hold every token. */
  function blockHits(block, tokens, shards, load) {
    return Promise.all(shards.map(function (n) { return load(block + "/shard-" + pad(n) + ".json"); }))
      .then(function (loaded) {
        var index = {}, ids = null;
        loaded.forEach(function (shard) { Object.assign(index, shard); });
        tokens.forEach(function (t) { ids = ids === null ? (index[t] || []) : intersect(ids, index[t] || []); });
        return ids || [];
      });
  }

  /* query: the user's words (AND). load(name) resolves to the parsed JSON of search/<name>. */
  function search(query, load, limit) {
    limit = limit || 30;
    return Promise.all([load("t2s.json"), load("blocks.json")]).then(function (first) {
      var t2s = first[0], blocks = Array.isArray(first[1]) ? first[1] : [], tokens = [];
      query.split(/\s+/).forEach(function (term) { tokens = tokens.concat(termTokens(term, t2s)); });
      tokens = Array.from(new Set(tokens));
      if (!tokens.length) { return []; }
      var shards = Array.from(new Set(tokens.map(function (t) { return fnv1a(t) % SHARDS; })));
      return Promise.all(blocks.map(function (block) { return blockHits(block, tokens, shards, load); }))
        .then(function (found) {
          var wanted = [], left = limit;
          found.forEach(function (ids, i) {
            if (left > 0 && ids.length) { wanted.push([blocks[i], ids.slice(0, left)]); left -= ids.length; }
          });
          return Promise.all(wanted.map(function (w) {
            return load(w[0] + "/docs.json").then(function (docs) {
              return w[1].map(function (id) {
                var d = docs[id];
                return { path: d[0], title: d[1], date: d[2], source: d[3], summary: d[4] || "" };
              });
            });
          }));
        })
        .then(function (lists) { return [].concat.apply([], lists || []); });
    });
  }

  global.newsdeskSearch = { search: search, fnv1a: fnv1a, termTokens: termTokens };

  if (typeof document === "undefined" || !document.getElementById("results")) { return; }
  var script = document.currentScript, root = script ? script.getAttribute("data-root") : "../";
  var cache = {};
  function load(name) {
    if (!cache[name]) {
      cache[name] = fetch(root + "search/" + name).then(function (r) { return r.ok ? r.json() : {}; });
    }
    return cache[name];
  }
  var query = new URLSearchParams(global.location.search).get("q") || "";
  var box = document.querySelector(".search-page input[name=q]");
  if (box) { box.value = query; }
  if (!query.trim()) { return; }
  var results = document.getElementById("results");
  var terms = query.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; });
  search(query, load, 30).then(function (hits) {
    results.textContent = "";
    if (!hits.length) { results.textContent = "没有结果 · No results."; return; }
    hits.forEach(function (hit) {
      var card = document.createElement("article"), h2 = document.createElement("h2"), a = document.createElement("a");
      var meta = document.createElement("p");
      card.className = "card"; meta.className = "meta";
      a.href = root + hit.path; a.textContent = hit.title;
      meta.textContent = hit.date + " · " + hit.source;
      h2.appendChild(a); card.appendChild(h2); card.appendChild(meta);
      if (hit.summary) { card.appendChild(snippet(hit.summary, terms)); }
      results.appendChild(card);
    });
  });

  /* The summary as a paragraph, each query term marked (text nodes only: no markup from the index). */
  function snippet(text, words) {
    var p = document.createElement("p"), lower = text.toLowerCase(), at = 0;
    p.className = "summary";
    while (at < text.length) {
      var best = -1, size = 0;
      words.forEach(function (w) {
        var i = lower.indexOf(w, at);
        if (i >= 0 && (best < 0 || i < best)) { best = i; size = w.length; }
      });
      if (best < 0) { break; }
      p.appendChild(document.createTextNode(text.slice(at, best)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(best, best + size);
      p.appendChild(mark);
      at = best + size;
    }
    p.appendChild(document.createTextNode(text.slice(at)));
    return p;
  }
})(typeof window !== "undefined" ? window : globalThis);
