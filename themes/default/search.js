// handbok's search: the engine (which works without a page, so `cargo test --test search_eval`
// runs this very code under node), the search page, and the root page's search box. Served in
// one file with handbok.js (templates.rs joins them); reading never needs it.
//
// The index (src/render/search/) arrives as script files that call `handbokSearch.*`: that works
// from file:// too. Stemming happened at build time; here a query word is folded the same way
// the index was, and looked up among the corpus's own words: exactly, as the beginning of longer
// words (compound heads, the word being typed), as the end of longer words (compound tails:
// "mobbning" → "nätmobbning"), under a shorter form, and, when none of those match, with typos.
(function (global) {
  "use strict";

  // --- Words and folding: the same rules as src/render/search/text.rs ---
  var graphemes = global.Intl && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
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
  var SPELLED = { "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d" };
  function fold(w) {
    if (/^[\x00-\x7f]*$/.test(w)) return w;
    return w.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[ßæœøłđ]/g, function (c) { return SPELLED[c]; }).normalize("NFC");
  }
  function chars(w) { return Array.from(w); }

  // Optimal string alignment distance (a swap of two letters is one typo), or max + 1 once it
  // is certain to exceed `max`.
  function distance(a, b, max) {
    a = chars(a); b = chars(b);
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null, prev = [], i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      var row = [i], best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        row.push(v);
        if (v < best) best = v;
      }
      if (best > max) return max + 1;
      prev2 = prev; prev = row;
    }
    return prev[b.length];
  }
  // Typos allowed in a query word: none in short words (too many real words are one letter
  // apart), one from five letters, two from nine.
  function typos(w) { var n = chars(w).length; return n >= 9 ? 2 : n >= 5 ? 1 : 0; }

  // How much a corpus word found each way counts, against the query word itself.
  var EXACT = 1, SHORTER = 0.8, TYPED = 0.9, HEAD = 0.7, TAIL = 0.7, TYPO = [1, 0.6, 0.45];
  var MAX_TERMS = 8, MAX_FORMS = 60;

  // An engine over one language's index. `load(name, done)` brings in index file `name` (which
  // calls the receiver installed as `handbokSearch`) and calls `done` when it ran or failed.
  function Engine(load) {
    var self = this;
    this.load = load;
    this.meta = null;
    this.shards = {};
    this.tails = {};
    this.chunks = {};
    this.keys = {};
    this.tailKeys = {};
    this.loaded = {};
    this.waiting = {};
    global.handbokSearch = {
      meta: function (m) {
        self.meta = m;
        m.shards.forEach(function (k) { self.keys[k] = true; });
        (m.tails || []).forEach(function (k) { self.tailKeys[k] = true; });
      },
      shard: function (key, s) { self.shards[key] = s; },
      tail: function (key, list) { self.tails[key] = list; },
      docs: function (n, list) { self.chunks[n] = list; },
      words: words,
      fold: fold
    };
  }
  Engine.prototype.file = function (name, ready) {
    var self = this;
    if (this.loaded[name]) { ready(); return; }
    if (this.waiting[name]) { this.waiting[name].push(ready); return; }
    this.waiting[name] = [ready];
    this.load(name, function () {
      self.loaded[name] = true;
      var w = self.waiting[name];
      delete self.waiting[name];
      w.forEach(function (f) { f(); });
    });
  };
  Engine.prototype.files = function (names, done) {
    var left = names.length, self = this;
    if (!left) { done(); return; }
    names.forEach(function (n) { self.file(n, function () { if (--left === 0) done(); }); });
  };
  Engine.prototype.start = function (done) {
    var self = this;
    this.file("index.js", function () { done(!!self.meta); });
  };
  function hex(text) {
    return Array.prototype.map.call(new TextEncoder().encode(text), function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }
  // The longest key of `keys` that `w` begins with (big shards were split deeper at build time).
  function keyIn(keys, w) {
    var c = chars(w);
    for (var n = Math.min(4, c.length); n >= 1; n--) { var k = c.slice(0, n).join(""); if (keys[k]) return k; }
    return null;
  }
  function reversed(w) { return chars(w).reverse().join(""); }
  // The shorter forms a word may be found under when the corpus lacks it ("textningen" →
  // "textning"): its prefixes down to 60 % of its length.
  function shorter(word) {
    var c = chars(word), out = [];
    for (var n = c.length - 1; n >= Math.max(3, Math.ceil(c.length * 0.6)); n--) out.push(c.slice(0, n).join(""));
    return out;
  }
  function addTo(list, x) { if (x !== null && list.indexOf(x) < 0) list.push(x); }

  // The prefix and tail shards a query word needs.
  Engine.prototype.needs = function (word, last) {
    var self = this, s = [], t = [];
    [word].concat(shorter(word)).forEach(function (w) { addTo(s, keyIn(self.keys, w)); });
    // Shards of longer words it begins, when it is shorter than their key.
    if (last || chars(word).length >= 3) this.meta.shards.forEach(function (k) { if (k.length > word.length && k.indexOf(word) === 0) addTo(s, k); });
    if (chars(word).length >= 4) addTo(t, keyIn(this.tailKeys, reversed(word)));
    return { s: s, t: t };
  };
  Engine.prototype.lookup = function (w) { var sh = this.shards[keyIn(this.keys, w)]; return sh && sh.w[w]; };

  // The corpus words a query word stands for, each with its weight.
  Engine.prototype.forms = function (word, last) {
    var self = this, forms = {}, n = chars(word).length;
    var put = function (w, weight) { if (!(forms[w] >= weight)) forms[w] = weight; };
    if (this.lookup(word)) put(word, EXACT);
    var shardsOf = this.needs(word, last);
    var heads = [], ends = [];
    if (n >= 3 || last) shardsOf.s.forEach(function (k) {
      var sh = self.shards[k];
      if (sh) Object.keys(sh.w).forEach(function (w) { if (w !== word && w.indexOf(word) === 0) heads.push(w); });
    });
    heads.sort(function (a, b) { return a.length - b.length; }).slice(0, MAX_FORMS).forEach(function (w) { put(w, last ? TYPED : HEAD); });
    if (n >= 4) shardsOf.t.forEach(function (k) {
      (self.tails[k] || []).forEach(function (w) { if (w.length > word.length + 1 && w.slice(-word.length) === word) ends.push(w); });
    });
    ends.sort(function (a, b) { return a.length - b.length; }).slice(0, MAX_FORMS).forEach(function (w) { put(w, TAIL); });
    if (forms[word] === undefined) {
      var found = shorter(word).filter(function (p) { return self.lookup(p); })[0];
      if (found) put(found, SHORTER);
    }
    // Typos, only for a word the corpus does not have: in its own prefix shards (a typo after
    // the first letters) and in its tail shard (a typo in the first letters).
    var max = typos(word);
    if (max && forms[word] === undefined) {
      var seen = {};
      var tryWord = function (w) {
        if (seen[w]) return;
        seen[w] = true;
        var dist = distance(word, w, max);
        if (dist <= max) put(w, TYPO[dist]);
      };
      shardsOf.s.forEach(function (k) { var sh = self.shards[k]; if (sh) Object.keys(sh.w).forEach(tryWord); });
      shardsOf.t.forEach(function (k) { (self.tails[k] || []).forEach(tryWord); });
    }
    return forms;
  };

  // Runs a query: `done(hits, marks)`, hits as {doc, matched, score} best first (all query words
  // matched first, then by score), `marks` the corpus words to highlight. `keep(doc)` filters.
  Engine.prototype.search = function (q, keep, done) {
    var self = this, list = [];
    words(q).forEach(function (w) { addTo(list, fold(w)); });
    list = list.slice(0, MAX_TERMS);
    if (!list.length) { done([], {}); return; }
    var names = [];
    list.forEach(function (w, i) {
      var need = self.needs(w, i === list.length - 1);
      need.s.forEach(function (k) { addTo(names, "s-" + hex(k) + ".js"); });
      need.t.forEach(function (k) { addTo(names, "x-" + hex(k) + ".js"); });
    });
    this.files(names, function () {
      var forms = list.map(function (w, i) { return self.forms(w, i === list.length - 1); });
      // Words found by their ending or a typo may live in other shards; so may stems.
      var more = [];
      forms.forEach(function (f) { Object.keys(f).forEach(function (w) { var k = keyIn(self.keys, w); if (k && !self.shards[k]) addTo(more, "s-" + hex(k) + ".js"); }); });
      self.files(more, function () {
        var stemsOf = forms.map(function (f) {
          var stems = {};
          Object.keys(f).forEach(function (w) { (self.lookup(w) || []).forEach(function (s) { if (!(stems[s] >= f[w])) stems[s] = f[w]; }); });
          return stems;
        });
        var extra = [];
        stemsOf.forEach(function (st) { Object.keys(st).forEach(function (s) { var k = keyIn(self.keys, s); if (k && !self.shards[k]) addTo(extra, "s-" + hex(k) + ".js"); }); });
        self.files(extra, function () { self.rank(forms, stemsOf, keep, done); });
      });
    });
  };
  // A stem's postings as {doc: score} (documents are delta-encoded in the shard).
  Engine.prototype.postings = function (stem) {
    var sh = this.shards[keyIn(this.keys, stem)], list = sh && sh.s[stem] || [], out = {}, doc = 0;
    for (var i = 0; i < list.length; i += 2) { doc += list[i]; out[doc] = list[i + 1]; }
    return out;
  };
  // A stem is common when its postings were cut to the best documents at build time.
  Engine.prototype.common = function (stem) {
    var sh = this.shards[keyIn(this.keys, stem)];
    return !!(sh && sh.t.indexOf(stem) >= 0);
  };
  Engine.prototype.rank = function (forms, stemsOf, keep, done) {
    var self = this, docs = {};
    // A query word counts as matched only through stems that are not common: a document does
    // not match "how to support deaf students" better for holding "to".
    var counts = stemsOf.map(function (st) { return Object.keys(st).some(function (s) { return !self.common(s); }); });
    var counting = counts.some(Boolean);
    stemsOf.forEach(function (st, t) {
      var these = {}, rare = {};
      Object.keys(st).forEach(function (stem) {
        var p = self.postings(stem), c = self.common(stem);
        Object.keys(p).forEach(function (doc) {
          var v = p[doc] * st[stem];
          if (!(these[doc] >= v)) these[doc] = v;
          if (!c) rare[doc] = true;
        });
      });
      Object.keys(these).forEach(function (doc) {
        var d = docs[doc] || (docs[doc] = { doc: Number(doc), matched: 0, score: 0 });
        d.score += these[doc];
        if (counting ? rare[doc] : true) d.matched++;
      });
    });
    var hits = Object.keys(docs).map(function (k) { return docs[k]; }).filter(function (h) { return h.matched > 0 && keep(h.doc); });
    hits.sort(function (a, b) { return b.matched - a.matched || b.score - a.score || a.doc - b.doc; });
    // What to highlight: every form found, and the loaded words that share a stem with one.
    var marks = {}, stems = {};
    forms.forEach(function (f) { Object.keys(f).forEach(function (w) { marks[w] = true; }); });
    stemsOf.forEach(function (st) { Object.keys(st).forEach(function (s) { stems[s] = true; }); });
    Object.keys(this.shards).forEach(function (k) {
      var w = self.shards[k].w;
      Object.keys(w).forEach(function (word) { if (w[word].some(function (s) { return stems[s]; })) marks[word] = true; });
    });
    done(hits, { words: marks, terms: forms });
  };
  // The documents of `hits` as [id, title, summary, fallback language, sections], loaded.
  Engine.prototype.documents = function (hits, done) {
    var self = this, need = [], chunk = this.meta.chunk;
    hits.forEach(function (h) { addTo(need, "d-" + Math.floor(h.doc / chunk) + ".js"); });
    this.files(need, function () {
      done(hits.map(function (h) { var c = self.chunks[Math.floor(h.doc / chunk)]; return c ? c[h.doc % chunk] : null; }));
    });
  };

  // --- Snippets: which section matched best, and where in it ---
  var TOKEN = /[\p{Alphabetic}\p{N}\p{M}]+/gu;
  // The parts of `text`, each [text, whether it is a matched word].
  function parts(text, marks) {
    var out = [], at = 0, m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text))) {
      if (!marks.words[fold(m[0].toLowerCase())]) continue;
      if (m.index > at) out.push([text.slice(at, m.index), false]);
      out.push([m[0], true]);
      at = m.index + m[0].length;
    }
    if (at < text.length) out.push([text.slice(at), false]);
    return out;
  }
  // How many query words `text` holds.
  function hits(text, marks) {
    var found = {}, m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text))) {
      var w = fold(m[0].toLowerCase());
      marks.terms.forEach(function (f, t) { if (f[w] !== undefined) found[t] = true; });
    }
    return Object.keys(found).length;
  }
  // About `size` characters of `text` around its first matched word, with … where cut.
  function around(text, marks, size) {
    var first = -1, m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text))) { if (marks.words[fold(m[0].toLowerCase())]) { first = m.index; break; } }
    if (text.length <= size) return text;
    var start = first < 0 ? 0 : Math.max(0, first - Math.floor(size / 3));
    if (start > 0) { var space = text.indexOf(" ", start); start = space > 0 && space < first ? space + 1 : start; }
    var end = Math.min(text.length, start + size), cut = text.lastIndexOf(" ", end);
    if (end < text.length && cut > start) end = cut;
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }
  // The snippet of a result: {section: [id, heading] or null, parts}. The text shown is the
  // summary or the section text that holds the most query words; the link goes to the headed
  // section whose heading and text hold the most (a heading counts double), since the text
  // before the first heading has no anchor of its own.
  function snippet(entry, marks) {
    var best = null, bestHits = 0, linked = null, linkScore = 0;
    (entry[4] || []).forEach(function (s) {
      var inText = hits(s[2], marks), score = 2 * hits(s[1], marks) + inText;
      if (inText > bestHits) { best = s; bestHits = inText; }
      if (s[0] && score > linkScore) { linked = s; linkScore = score; }
    });
    var text = best && bestHits > hits(entry[2], marks) ? best[2] : entry[2];
    return { section: linked ? [linked[0], linked[1]] : null, parts: parts(around(text, marks, 200), marks) };
  }

  global.HandbokSearch = { Engine: Engine, words: words, fold: fold, distance: distance, snippet: snippet, parts: parts };

  // --- The page: only in a browser ---
  var d = global.document;
  if (!d) return;

  // The root page (the language chooser) searches in the visitor's language: the first of the
  // browser's languages that the site has, by tag and then by primary subtag. Without script its
  // search box goes to the source language's search page.
  var picker = d.querySelector("ul.language-picker");
  var box = d.querySelector("form.search");
  if (picker && box) {
    var links = Array.prototype.slice.call(picker.querySelectorAll("a[hreflang]"));
    var pick = function (wanted) {
      wanted = wanted.toLowerCase();
      return links.filter(function (a) { return a.hreflang.toLowerCase() === wanted; })[0] ||
        links.filter(function (a) { return a.hreflang.toLowerCase().split("-")[0] === wanted.split("-")[0]; })[0];
    };
    var chosen = null;
    (navigator.languages || [navigator.language || ""]).some(function (l) { chosen = l && pick(l); return !!chosen; });
    if (chosen) {
      box.action = chosen.getAttribute("href").replace(/[^/]*$/, "") + "search.html";
      var input = box.querySelector("input[name=q]");
      if (input) input.lang = chosen.hreflang;
    }
  }

  var form = d.querySelector("form.site-search");
  var results = d.querySelector("ol.results");
  if (!form || !results) return;
  var filtering = global.handbokFilters;
  var base = results.dataset.index;
  var engine = new Engine(function (name, done) {
    var s = d.createElement("script");
    s.src = base + name;
    s.onload = s.onerror = done;
    d.head.appendChild(s);
  });
  var status = d.querySelector(".status");
  var more = d.querySelector("button.more");
  var found = [], shown = 0, marks = null, PAGE = 10;
  function facetOk(doc, chosen) {
    var f = engine.meta.facets[doc];
    var has = function (terms, mask) { return terms.filter(function (t, i) { return mask & (2 ** i); }); };
    return filtering.matches({ levels: has(engine.meta.levels, f[0]), subjects: has(engine.meta.subjects, f[1]), needs: has(engine.meta.needs, f[2]) }, chosen);
  }
  // Text with its matched words in <mark>, built as nodes: index text is never parsed as HTML.
  function marked(parent, pieces) {
    pieces.forEach(function (p) {
      if (p[1]) { var m = d.createElement("mark"); m.textContent = p[0]; parent.appendChild(m); } else parent.appendChild(d.createTextNode(p[0]));
    });
    return parent;
  }
  // Each search is a generation: a slower earlier search never paints over a newer one, and the
  // old results stay (marked aria-busy) until the new ones are ready, so the list never flashes empty.
  var generation = 0;
  function run() {
    var q = form.q.value.trim();
    var url = new URL(global.location.href);
    url.searchParams.set("q", q);
    try { history.replaceState(null, "", url); } catch (e) { /* some browsers refuse on file:// */ }
    var mine = ++generation;
    if (more) more.hidden = true;
    if (!words(q).length) { results.textContent = ""; results.removeAttribute("aria-busy"); status.textContent = ""; return; }
    results.setAttribute("aria-busy", "true");
    var chosen = filtering.selected();
    engine.search(q, function (doc) { return facetOk(doc, chosen); }, function (list, m) {
      if (mine !== generation) return;
      found = list; marks = m; shown = 0;
      show(true);
    });
  }
  // Shows the next page of results: title, snippet, and the best matching section. `fresh`
  // replaces the list (a new search) instead of adding to it ("more results").
  function show(fresh) {
    var mine = generation, page = found.slice(shown, shown + PAGE);
    engine.documents(page, function (entries) {
      if (mine !== generation) return;
      var items = d.createDocumentFragment();
      entries.forEach(function (entry) {
        if (!entry) return;
        var li = d.createElement("li"), a = d.createElement("a"), p = d.createElement("p");
        var href = "modules/" + entry[0] + ".html", s = snippet(entry, marks);
        a.href = href;
        marked(a, parts(entry[1], marks));
        p.className = "snippet";
        marked(p, s.parts);
        if (entry[3]) { a.lang = entry[3]; a.hreflang = entry[3]; p.lang = entry[3]; }
        li.appendChild(a);
        li.appendChild(p);
        if (s.section) {
          var sp = d.createElement("p"), sa = d.createElement("a");
          sp.className = "section";
          sa.href = href + "#" + encodeURIComponent(s.section[0]);
          marked(sa, parts("§ " + s.section[1], marks));
          if (entry[3]) sa.lang = entry[3];
          sp.appendChild(sa);
          li.appendChild(sp);
        }
        items.appendChild(li);
      });
      if (fresh === true) {
        results.textContent = "";
        status.textContent = filtering.say(status.dataset.template, { count: found.length });
      }
      results.appendChild(items);
      results.removeAttribute("aria-busy");
      shown += page.length;
      if (more) more.hidden = shown >= found.length;
    });
  }
  if (more) more.addEventListener("click", show);
  form.hidden = false;
  engine.start(function (ok) {
    if (!ok) return;
    var q = new URL(global.location.href).searchParams.get("q");
    if (q) { form.q.value = q; run(); }
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); if (engine.meta) run(); });
  var filters = d.querySelector("form.filters");
  if (filters) filters.addEventListener("change", function () { if (engine.meta && form.q.value.trim()) run(); });
})(typeof window !== "undefined" ? window : globalThis);
