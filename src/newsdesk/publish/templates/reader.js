/* newsdesk served site, for a signed-in reader: what they read shows as read, each
   article gets "read" and "star" buttons, what they muted is hidden and what they
   highlight is marked; an article page opened is read. The pages stay the same for
   every reader (and cached): this script asks /api/me… for the reader's own state, and
   does nothing for anyone not signed in. */
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-uuid]"));
  if (!items.length || typeof fetch === "undefined") { return; }
  var csrf = "";

  function json(url, options) {
    var o = options || {};
    o.credentials = "same-origin";
    o.headers = Object.assign({"Accept": "application/json"}, o.headers || {});
    return fetch(url, o).then(function (r) { return r.ok ? r.json() : null; });
  }

  function mark(item, change) {
    var body = JSON.stringify(change);
    var headers = {"Content-Type": "application/json", "X-CSRF-Token": csrf};
    return json("/api/me/articles/" + item.getAttribute("data-uuid"), {method: "PUT", body: body, headers: headers})
      .then(function (state) { if (state) { show(item, state); } });
  }

  function button(item, kind, label) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "reader-" + kind;
    b.textContent = label;
    b.setAttribute("aria-pressed", "false");
    b.addEventListener("click", function () {
      var change = {};
      change[kind === "read" ? "read" : "starred"] = b.getAttribute("aria-pressed") !== "true";
      mark(item, change);
    });
    return b;
  }

  function show(item, state) {
    item.classList.toggle("is-read", !!state.read);
    item.classList.toggle("is-starred", !!state.starred);
    var read = item.querySelector(".reader-read"), star = item.querySelector(".reader-star");
    if (read) { read.setAttribute("aria-pressed", state.read ? "true" : "false"); }
    if (star) { star.setAttribute("aria-pressed", state.starred ? "true" : "false"); }
  }

  function mentions(item, words) {
    var text = (item.textContent || "").toLowerCase();
    return words.some(function (w) { return text.indexOf(w.toLowerCase()) >= 0; });
  }

  json("/api/session").then(function (me) {
    if (!me || !me.csrf) { return; }  /* not signed in with this browser */
    csrf = me.csrf;
    var query = items.slice(0, 200).map(function (i) { return "uuid=" + i.getAttribute("data-uuid"); }).join("&");
    return Promise.all([json("/api/me/preferences"), json("/api/me/states?" + query)]).then(function (found) {
      var prefs = found[0] || {}, states = (found[1] || {}).states || {};
      items.forEach(function (item) {
        var muted = (prefs.muted_sources || []).indexOf(item.getAttribute("data-source")) >= 0 ||
          mentions(item, prefs.muted_words || []);
        if (muted && !item.hasAttribute("data-page")) { item.hidden = true; item.classList.add("is-muted"); return; }
        item.classList.toggle("is-highlighted", mentions(item, prefs.highlighted || []));
        var tools = document.createElement("span");
        tools.className = "reader-tools";
        tools.appendChild(button(item, "read", "已读 Read"));
        tools.appendChild(button(item, "star", "收藏 Star"));
        item.appendChild(tools);
        show(item, states[item.getAttribute("data-uuid")] || {});
        if (item.hasAttribute("data-page") && !(states[item.getAttribute("data-uuid")] || {}).read) {
          mark(item, {read: true});  /* an article page opened is read */
        }
      });
    });
  });
})();
