// handbok's only script: reader settings, filtering by facets, and search. Reading never needs
// it: without JavaScript the settings and filters stay hidden and every list shows in full.
(function () {
  "use strict";
  var d = document, root = d.documentElement;

  // --- Reader settings, kept in localStorage (applied early by an inline script in <head>) ---
  var KEY = "handbok";
  function load() { try { return JSON.parse(localStorage.getItem(KEY) || "{}"); } catch (e) { return {}; } }
  function save(s) { try { localStorage.setItem(KEY, JSON.stringify(s)); } catch (e) { /* private mode */ } }
  function apply(s) {
    ["theme", "text", "reading"].forEach(function (k) {
      if (s[k]) root.setAttribute("data-" + k, s[k]); else root.removeAttribute("data-" + k);
    });
  }
  var panel = d.querySelector(".settings");
  if (panel) {
    var settings = load();
    panel.hidden = false;
    panel.querySelectorAll("input").forEach(function (input) {
      var value = settings[input.name] || "";
      input.checked = input.type === "checkbox" ? value === input.value : value === input.value;
      input.addEventListener("change", function () {
        var s = load();
        s[input.name] = input.type === "checkbox" ? (input.checked ? input.value : "") : input.value;
        save(s);
        apply(s);
      });
    });
  }

  // --- Facet filters: OR within a facet, AND across facets ---
  var filters = d.querySelector("form.filters");
  function selected() {
    var chosen = { levels: [], subjects: [], needs: [] };
    if (!filters) return chosen;
    filters.querySelectorAll("input[type=checkbox]:checked").forEach(function (c) { chosen[c.name].push(c.value); });
    return chosen;
  }
  function matches(has, chosen) {
    return ["levels", "subjects", "needs"].every(function (f) {
      return chosen[f].length === 0 || chosen[f].some(function (v) { return has[f].indexOf(v) >= 0; });
    });
  }
  function say(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  }
  if (filters) {
    filters.hidden = false;
    d.querySelectorAll(".needs-js").forEach(function (e) { e.hidden = true; });
  }
  var browse = d.querySelector("ul.browse");
  if (filters && browse) {
    var items = browse.querySelectorAll("li");
    var status = d.querySelector(".status");
    var update = function () {
      var chosen = selected(), shown = 0;
      items.forEach(function (li) {
        var has = { levels: li.dataset.levels.split(" "), subjects: li.dataset.subjects.split(" "), needs: li.dataset.needs.split(" ") };
        var ok = matches(has, chosen);
        li.hidden = !ok;
        if (ok) shown++;
      });
      status.textContent = say(status.dataset.template, { count: shown, total: items.length });
    };
    filters.addEventListener("change", update);
    filters.addEventListener("reset", function () { setTimeout(update, 0); });
    update();
  }

  // --- Search: shards of a per-language index, loaded as scripts (works from file:// too) ---
  var form = d.querySelector("form.site-search");
  var results = d.querySelector("ol.results");
  if (!form || !results) return;
  var base = results.dataset.index;
  var meta = null, shards = {}, chunks = {}, waiting = {}, loaded = {};
  // Loads base + name once; `ready` runs when it has loaded (or failed), at once if it has.
  function script(name, ready) {
    if (loaded[name]) { ready(); return; }
    if (waiting[name]) { waiting[name].push(ready); return; }
    waiting[name] = [ready];
    var s = d.createElement("script");
    s.src = base + name;
    s.onload = s.onerror = function () {
      loaded[name] = true;
      var w = waiting[name];
      delete waiting[name];
      w.forEach(function (f) { f(); });
    };
    d.head.appendChild(s);
  }
  function hex(text) {
    return Array.prototype.map.call(new TextEncoder().encode(text), function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }
  window.handbokSearch = {
    meta: function (m) { meta = m; },
    shard: function (key, s) { shards[key] = s; },
    docs: function (n, list) { chunks[n] = list; }
  };
  function words(q) { return (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) || []); }
  function key(w) { return Array.from(w).slice(0, meta.prefix).join(""); }
  function all(names, done) {
    var left = names.length;
    if (!left) { done(); return; }
    names.forEach(function (n) { script(n, function () { if (--left === 0) done(); }); });
  }
  // The stems a query word stands for. Stemming happened at build time, so a word is looked up
  // in the corpus's own words: exactly; for the word being typed, also every word it begins;
  // and a form the corpus lacks ("textningen") falls back to its longest prefix that is a
  // corpus word ("textning"), down to 60 % of its length.
  function stemsFor(word, last) {
    var shard = shards[key(word)];
    if (!shard) return [];
    var found = [];
    var add = function (w) { shard.w[w].forEach(function (s) { if (found.indexOf(s) < 0) found.push(s); }); };
    if (shard.w[word]) add(word);
    if (last) Object.keys(shard.w).forEach(function (w) { if (w !== word && w.indexOf(word) === 0) add(w); });
    var chars = Array.from(word);
    for (var n = chars.length - 1; !found.length && n >= Math.max(3, Math.ceil(chars.length * 0.6)); n--) {
      var prefix = chars.slice(0, n).join("");
      if (shard.w[prefix]) add(prefix);
    }
    return found.slice(0, 40);
  }
  function postings(stem) {
    var shard = shards[key(stem)];
    return shard && shard.s[stem] || [];
  }
  function facetOk(doc, chosen) {
    var f = meta.facets[doc];
    var has = function (terms, mask) { return terms.filter(function (t, i) { return mask & (2 ** i); }); };
    return matches({ levels: has(meta.levels, f[0]), subjects: has(meta.subjects, f[1]), needs: has(meta.needs, f[2]) }, chosen);
  }
  var status = d.querySelector(".status");
  function run() {
    var q = form.q.value.trim(), list = words(q);
    var url = new URL(window.location.href);
    url.searchParams.set("q", q);
    try { history.replaceState(null, "", url); } catch (e) { /* file:// in some browsers */ }
    results.textContent = "";
    if (!list.length) { status.textContent = ""; return; }
    var needed = [];
    list.forEach(function (w) {
      var k = key(w);
      if (meta.shards.indexOf(k) >= 0 && needed.indexOf("s-" + hex(k) + ".js") < 0) needed.push("s-" + hex(k) + ".js");
    });
    all(needed, function () {
      // Stems may live in other shards than their words (e.g. German umlauts).
      var stemLists = list.map(function (w, i) { return stemsFor(w, i === list.length - 1); });
      var more = [];
      stemLists.forEach(function (stems) { stems.forEach(function (s) {
        var name = "s-" + hex(key(s)) + ".js";
        if (meta.shards.indexOf(key(s)) >= 0 && !shards[key(s)] && more.indexOf(name) < 0) more.push(name);
      }); });
      all(more, function () { rank(stemLists); });
    });
  }
  function rank(stemLists) {
    var chosen = selected(), scores = null;
    stemLists.forEach(function (stems) {
      var these = {};
      stems.forEach(function (stem) {
        var p = postings(stem);
        for (var i = 0; i < p.length; i += 2) these[p[i]] = Math.max(these[p[i]] || 0, p[i + 1]);
      });
      if (scores === null) scores = these;
      else Object.keys(scores).forEach(function (doc) { if (these[doc]) scores[doc] += these[doc]; else delete scores[doc]; });
    });
    var hits = Object.keys(scores || {}).map(Number).filter(function (doc) { return facetOk(doc, chosen); });
    hits.sort(function (a, b) { return scores[b] - scores[a] || a - b; });
    status.textContent = say(status.dataset.template, { count: hits.length });
    var top = hits.slice(0, 50);
    var need = [];
    top.forEach(function (doc) { var c = Math.floor(doc / meta.chunk); if (!chunks[c] && need.indexOf("d-" + c + ".js") < 0) need.push("d-" + c + ".js"); });
    all(need, function () {
      results.textContent = "";
      top.forEach(function (doc) {
        var entry = chunks[Math.floor(doc / meta.chunk)][doc % meta.chunk];
        var li = d.createElement("li"), a = d.createElement("a"), p = d.createElement("p");
        a.href = "modules/" + entry[0] + ".html";
        a.textContent = entry[1];
        p.textContent = entry[2];
        if (entry[3]) { a.lang = entry[3]; a.hreflang = entry[3]; p.lang = entry[3]; }
        li.appendChild(a);
        li.appendChild(p);
        results.appendChild(li);
      });
    });
  }
  form.hidden = false;
  script("index.js", function () {
    if (!meta) return;
    var q = new URL(window.location.href).searchParams.get("q");
    if (q) { form.q.value = q; run(); }
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); if (meta) run(); });
  if (filters) filters.addEventListener("change", function () { if (meta && form.q.value.trim()) run(); });
})();
