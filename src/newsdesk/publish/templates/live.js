/* newsdesk served site: live updates on the first page of a list. Articles that arrive
   (GET /api/stream, Server-Sent Events, with the page's filters) are counted in a banner;
   a click fetches their entries (/entries/?ids=…) and inserts them at the top, newest
   first. Without JavaScript the page is as it was. */
(function () {
  "use strict";
  var live = document.querySelector(".live[data-stream]");
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
