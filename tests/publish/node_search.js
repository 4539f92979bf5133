// Runs the static site's search.js in Node against a built folder: node node_search.js SITE QUERY...
const fs = require("fs"), path = require("path"), vm = require("vm");
const [,, folder, ...queries] = process.argv;
const context = { globalThis: {}, console };
vm.runInNewContext(fs.readFileSync(path.join(folder, "search.js"), "utf8"), context);
const api = context.globalThis.newsdeskSearch;
const load = (name) => Promise.resolve(JSON.parse(fs.readFileSync(path.join(folder, "search", name), "utf8")));
(async () => {
  const out = {};
  for (const q of queries) { out[q] = await api.search(q, load, 10); }
  console.log(JSON.stringify(out));
})();
