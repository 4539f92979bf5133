/* newsdesk static site: fills the sidebar with widgets.html (recent articles, tag list),
   one shared file, so that a new article does not change every page of the site. */
(function () {
  "use strict";
  var box = document.querySelector(".widgets[data-src]");
  if (!box || typeof fetch === "undefined") { return; }
  var url = new URL(box.getAttribute("data-src"), document.baseURI);
  fetch(url).then(function (r) { return r.ok ? r.text() : ""; }).then(function (html) {
    if (!html) { return; }
    var doc = new DOMParser().parseFromString(html, "text/html");
    doc.querySelectorAll("a[href]").forEach(function (a) {  /* links are relative to the site root */
      a.setAttribute("href", new URL(a.getAttribute("href"), url).href);
    });
    box.replaceChildren.apply(box, Array.from(doc.body.childNodes));
  });
})();
