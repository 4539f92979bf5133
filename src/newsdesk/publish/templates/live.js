/* newsdesk served site: live updates on the first page of a list. Articles that arrive
   (GET /api/stream, Server-Sent Events, with the page's filters) are counted in a banner;
   a click fetches their entries (/entries/?ids=…) and inserts them at the top, newest
   first. On the top stories, an article of a story on the page from an outlet new to it
   marks the story "+N outlets"; articles of other stories are counted in a banner whose
   click loads the page again (ranked anew). Without JavaScript the page is as it was. */
(function () {
  "use strict";
  var top = document.querySelector(".live[data-stream][data-stories]");
  if (!top || typeof EventSource === "undefined") { return; }
  var fresh = {};
  var count = 0;
  var source = new EventSource(top.getAttribute("data-stream"));
  source.addEventListener("ready", function () { top.setAttribute("data-ready", ""); });
  source.addEventListener("article", function (event) {
    var article = JSON.parse(event.data);
    var item = document.querySelector('.story[data-story="' + CSS.escape(article.story) + '"]');
    if (item) {
      var outlets = item.getAttribute("data-outlets").split("\n");
      if (outlets.indexOf(article.source) < 0) {
        outlets.push(article.source);
        item.setAttribute("data-outlets", outlets.join("\n"));
        var grew = item.querySelector(".grew");
        var added = Number(grew.getAttribute("data-added") || 0) + 1;
        grew.setAttribute("data-added", String(added));
        grew.textContent = "+" + added + (added === 1 ? " outlet" : " outlets");
        grew.hidden = false;
      }
    } else if (!fresh[article.story]) {
      fresh[article.story] = true;
      count += 1;
      top.querySelector("button").textContent = count + " 条新头条 · " + count + " new " + (count === 1 ? "story" : "stories");
      top.hidden = false;
    }
  });
  top.querySelector("button").addEventListener("click", function () { window.location.reload(); });
})();
(function () {
  "use strict";
  var live = document.querySelector(".live[data-stream]:not([data-stories])");
  var list = document.querySelector(".entries");
  if (!live || !list || typeof EventSource === "undefined") { return; }
  var button = live.querySelector("button");
  var pending = [];
  var stream = new EventSource(live.getAttribute("data-stream"));
  stream.addEventListener("ready", function () { live.setAttribute("data-ready", ""); });
  stream.addEventListener("article", function (event) {
    pending.push(JSON.parse(event.data).uuid);
    button.textContent = pending.length + " 条新消息 · " + pending.length + " new";
    live.hidden = false;
  });
  button.addEventListener("click", function () {
    var ids = pending.slice(-100);
    pending = [];
    live.hidden = true;
    fetch("/entries/?ids=" + ids.join(",")).then(function (r) { return r.ok ? r.text() : ""; }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      list.prepend.apply(list, Array.from(doc.body.childNodes));
    });
  });
})();
