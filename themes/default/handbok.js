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
    // Escape closes the open settings, as it closes any disclosure; focus goes back to it.
    d.addEventListener("keydown", function (e) {
      if (e.key !== "Escape" || !panel.open) return;
      var inside = panel.contains(d.activeElement);
      panel.open = false;
      if (inside) panel.querySelector("summary").focus();
    });
  }

  // --- Print: a button for what the browser's menu also does (the CSP allows no inline
  // handler, so it is wired here; without JavaScript it stays hidden) ---
  d.querySelectorAll("button.print-button").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });

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
    // The chosen terms live in the address (?levels=a,b&needs=c): a filtered list can be shared
    // and survives a reload. Other parameters (the search's q) are kept.
    var FACETS = ["levels", "subjects", "needs"];
    var params = new URLSearchParams(location.search);
    FACETS.forEach(function (f) {
      var wanted = (params.get(f) || "").split(",");
      filters.querySelectorAll("input[name=" + f + "]").forEach(function (c) {
        if (wanted.indexOf(c.value) >= 0) c.checked = true;
      });
    });
    var remember = function () {
      var p = new URLSearchParams(location.search), chosen = selected();
      FACETS.forEach(function (f) { if (chosen[f].length) p.set(f, chosen[f].join(",")); else p.delete(f); });
      var query = p.toString();
      try { history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash); } catch (e) { /* not allowed here */ }
    };
    filters.addEventListener("change", remember);
    filters.addEventListener("reset", function () { setTimeout(remember, 0); });
  }
  // --- Browse: the static page lists one page of modules; a filter searches them all, from
  // browse/facets.js (each module's terms) and the browse/p-<n>.js files of the matches shown
  // (browse.rs writes both) ---
  var browse = d.querySelector("ul.browse");
  if (filters && browse) {
    var bStatus = d.querySelector(".status"), bMore = d.querySelector("button.more"), pager = d.querySelector(".pager");
    var own = Array.prototype.slice.call(browse.children), total = Number(browse.dataset.total);
    var bData = null, bPages = {}, bWaiting = {}, matched = [], listed = 0;
    window.handbokBrowse = {
      facets: function (data) { bData = data; },
      page: function (n, list) { bPages[n] = list; }
    };
    // Loads browse/<name> once as a script (works from file://), then calls `ready`.
    var bLoad = function (name, ready) {
      if (bWaiting[name] === true) { ready(); return; }
      if (bWaiting[name]) { bWaiting[name].push(ready); return; }
      bWaiting[name] = [ready];
      var s = d.createElement("script");
      s.src = browse.dataset.index + name;
      s.onload = s.onerror = function () { var w = bWaiting[name]; bWaiting[name] = true; w.forEach(function (f) { f(); }); };
      d.head.appendChild(s);
    };
    var bItem = function (entry) {
      var li = d.createElement("li"), a = d.createElement("a"), p = d.createElement("p");
      a.href = entry[0];
      a.textContent = entry[1];
      p.textContent = entry[2];
      li.appendChild(a);
      if (entry[3]) {
        a.lang = entry[3]; a.hreflang = entry[3]; p.lang = entry[3];
        var note = d.createElement("span");
        note.className = "untranslated";
        note.textContent = " (" + browse.dataset.untranslated + ")";
        li.appendChild(note);
      }
      li.appendChild(p);
      return li;
    };
    // Shows the next CHUNK matches, loading the data files that hold them. The list keeps what
    // it shows, marked aria-busy, until the new items are there; a newer filter wins.
    var generation = 0;
    var bShow = function () {
      var mine = generation, next = matched.slice(listed, listed + bData.chunk), files = [];
      next.forEach(function (i) { var f = "p-" + Math.floor(i / bData.chunk) + ".js"; if (files.indexOf(f) < 0) files.push(f); });
      var left = files.length;
      var done = function () {
        if (mine !== generation) return;
        if (listed === 0) browse.textContent = "";
        next.forEach(function (i) {
          var list = bPages[Math.floor(i / bData.chunk)];
          if (list) browse.appendChild(bItem(list[i % bData.chunk]));
        });
        listed += next.length;
        bMore.hidden = listed >= matched.length;
        browse.removeAttribute("aria-busy");
      };
      if (!left) done();
      files.forEach(function (f) { bLoad(f, function () { if (--left === 0) done(); }); });
    };
    var bFilter = function () {
      var chosen = selected(), any = chosen.levels.length + chosen.subjects.length + chosen.needs.length;
      var mine = ++generation;
      if (!any) {
        browse.removeAttribute("aria-busy");
        browse.textContent = "";
        own.forEach(function (li) { browse.appendChild(li); });
        bMore.hidden = true;
        if (pager) pager.hidden = false;
        bStatus.textContent = say(bStatus.dataset.template, { count: own.length, total: total });
        return;
      }
      browse.setAttribute("aria-busy", "true");
      bLoad("facets.js", function () {
        if (mine !== generation) return;
        if (!bData) { browse.removeAttribute("aria-busy"); return; }
        matched = [];
        bData.modules.forEach(function (terms, i) {
          var has = { levels: [], subjects: [], needs: [] };
          terms.forEach(function (t) { has[bData.facets[t]].push(bData.keys[t]); });
          if (matches(has, chosen)) matched.push(i);
        });
        listed = 0;
        if (pager) pager.hidden = true;
        bStatus.textContent = say(bStatus.dataset.template, { count: matched.length, total: total });
        bShow();
      });
    };
    bMore.addEventListener("click", bShow);
    filters.addEventListener("change", bFilter);
    filters.addEventListener("reset", function () { setTimeout(bFilter, 0); });
    bFilter();
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
    docs: function (n, list) { chunks[n] = list; },
    words: function (q) { return words(q); }
  };
  // Splits a query exactly as the index was split at build time (search.rs `words`): runs of
  // grapheme clusters that start with a letter or digit; each Han or kana character alone.
  var graphemes = window.Intl && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
  var CJK = /^[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2ffff}]/u;
  var WORD = /^[\p{Alphabetic}\p{N}]/u;
  function words(q) {
    q = q.toLowerCase();
    if (!graphemes) return q.match(/[\p{Alphabetic}\p{N}\p{M}]+/gu) || [];
    var out = [], current = "";
    var flush = function () { if (current) out.push(current); current = ""; };
    for (var it = graphemes.segment(q)[Symbol.iterator](), step = it.next(); !step.done; step = it.next()) {
      var g = step.value.segment;
      if (CJK.test(g)) { flush(); out.push(g); } else if (WORD.test(g)) current += g; else flush();
    }
    flush();
    return out;
  }
  // The shard of a word or stem: the longest shard key it begins with (big shards were split by
  // one more letter at build time).
  var keys = {};
  function keyOf(w) {
    var c = Array.from(w);
    for (var n = Math.min(4, c.length); n >= 1; n--) { var k = c.slice(0, n).join(""); if (keys[k]) return k; }
    return null;
  }
  function file(k) { return "s-" + hex(k) + ".js"; }
  function all(names, done) {
    var left = names.length;
    if (!left) { done(); return; }
    names.forEach(function (n) { script(n, function () { if (--left === 0) done(); }); });
  }
  // The shorter forms a word may be found under when the corpus lacks it ("textningen" →
  // "textning"): its prefixes down to 60 % of its length.
  function prefixes(word) {
    var c = Array.from(word), out = [];
    for (var n = c.length - 1; n >= Math.max(3, Math.ceil(c.length * 0.6)); n--) out.push(c.slice(0, n).join(""));
    return out;
  }
  // The shards a query word needs: its own, those of its shorter forms, and for the word being
  // typed every shard of words it begins.
  function shardsFor(word, last) {
    var names = [];
    [word].concat(prefixes(word)).forEach(function (w) { var k = keyOf(w); if (k && names.indexOf(k) < 0) names.push(k); });
    if (last) meta.shards.forEach(function (k) { if (k.indexOf(word) === 0 && names.indexOf(k) < 0) names.push(k); });
    return names;
  }
  // The stems a query word stands for. Stemming happened at build time, so a word is looked up
  // in the corpus's own words: exactly; for the word being typed, also every word it begins;
  // else under its longest shorter form that is a corpus word.
  function stemsFor(word, last) {
    var found = [];
    var add = function (list) { list.forEach(function (s) { if (found.indexOf(s) < 0) found.push(s); }); };
    var lookup = function (w) { var sh = shards[keyOf(w)]; return sh && sh.w[w]; };
    if (lookup(word)) add(lookup(word));
    if (last) shardsFor(word, true).forEach(function (k) {
      var sh = shards[k];
      if (sh) Object.keys(sh.w).forEach(function (w) { if (w !== word && w.indexOf(word) === 0) add(sh.w[w]); });
    });
    prefixes(word).forEach(function (p) { if (!found.length && lookup(p)) add(lookup(p)); });
    return found.slice(0, 40);
  }
  // A stem's postings as {doc: score} (documents are delta-encoded in the shard).
  function postings(stem) {
    var sh = shards[keyOf(stem)], list = sh && sh.s[stem] || [], out = {}, doc = 0;
    for (var i = 0; i < list.length; i += 2) { doc += list[i]; out[doc] = list[i + 1]; }
    return out;
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
    try { history.replaceState(null, "", url); } catch (e) { /* some browsers refuse on file:// */ }
    results.textContent = "";
    if (more) more.hidden = true;
    if (!list.length) { status.textContent = ""; return; }
    var needed = [];
    list.forEach(function (w, i) { shardsFor(w, i === list.length - 1).forEach(function (k) { if (needed.indexOf(file(k)) < 0) needed.push(file(k)); }); });
    all(needed, function () {
      var stemLists = list.map(function (w, i) { return stemsFor(w, i === list.length - 1); });
      // Stems may live in other shards than their words (German umlauts, for one).
      var extra = [];
      stemLists.forEach(function (stems) { stems.forEach(function (s) {
        var k = keyOf(s);
        if (k && !shards[k] && extra.indexOf(file(k)) < 0) extra.push(file(k));
      }); });
      all(extra, function () { rank(stemLists); });
    });
  }
  // A word is "soft" when all its stems are very common (their postings were truncated at build
  // time): it ranks results but does not exclude them, unless every word is soft.
  function soft(stems) {
    return stems.length > 0 && stems.every(function (s) { var sh = shards[keyOf(s)]; return sh && sh.t.indexOf(s) >= 0; });
  }
  var shown = 0, hits = [], PAGE = 20;
  var more = d.querySelector("button.more");
  function rank(stemLists) {
    var chosen = selected(), scores = null;
    var hard = stemLists.filter(function (s) { return !soft(s); });
    var ranking = stemLists.filter(soft);
    if (!hard.length) { hard = ranking.slice(0, 1); ranking = ranking.slice(1); }
    var per = function (stems) {
      var these = {};
      stems.forEach(function (stem) {
        var p = postings(stem);
        Object.keys(p).forEach(function (doc) { these[doc] = Math.max(these[doc] || 0, p[doc]); });
      });
      return these;
    };
    hard.forEach(function (stems) {
      var these = per(stems);
      if (scores === null) scores = these;
      else Object.keys(scores).forEach(function (doc) { if (these[doc]) scores[doc] += these[doc]; else delete scores[doc]; });
    });
    ranking.forEach(function (stems) {
      var these = per(stems);
      Object.keys(scores || {}).forEach(function (doc) { scores[doc] += these[doc] || 0; });
    });
    hits = Object.keys(scores || {}).map(Number).filter(function (doc) { return facetOk(doc, chosen); });
    hits.sort(function (a, b) { return scores[b] - scores[a] || a - b; });
    status.textContent = say(status.dataset.template, { count: hits.length });
    results.textContent = "";
    shown = 0;
    show();
  }
  // Shows the next page of results, loading the document chunks it needs.
  function show() {
    var page = hits.slice(shown, shown + PAGE);
    var need = [];
    page.forEach(function (doc) { var c = Math.floor(doc / meta.chunk); if (!chunks[c] && need.indexOf("d-" + c + ".js") < 0) need.push("d-" + c + ".js"); });
    all(need, function () {
      page.forEach(function (doc) {
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
      shown += page.length;
      if (more) more.hidden = shown >= hits.length;
    });
  }
  if (more) more.addEventListener("click", show);
  form.hidden = false;
  script("index.js", function () {
    if (!meta) return;
    meta.shards.forEach(function (k) { keys[k] = true; });
    var q = new URL(window.location.href).searchParams.get("q");
    if (q) { form.q.value = q; run(); }
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); if (meta) run(); });
  if (filters) filters.addEventListener("change", function () { if (meta && form.q.value.trim()) run(); });
})();
