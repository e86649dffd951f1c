// handbok's script: reader settings and filtering by facets (search.js, the search, follows it
// in the same file). Reading never needs it: without JavaScript the settings and filters stay hidden and every list shows in full.
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

  // --- The header's menu: a disclosure on phones, always open on wide screens. CSS shows its
  // content there (::details-content); where a browser cannot, it is opened here. ---
  var menu = d.querySelector("details.menu");
  if (menu && !(window.CSS && CSS.supports && CSS.supports("selector(::details-content)")) && window.matchMedia) {
    var wide = window.matchMedia("(min-width: 64em)");
    var fit = function () { if (wide.matches) menu.open = true; };
    fit();
    if (wide.addEventListener) wide.addEventListener("change", fit);
  }

  // Disclosures that float over the page (the language list and the settings on wide
  // screens, the menu on phones) close with Escape, focus going back to their button, and when
  // the reader clicks elsewhere.
  var floating = d.querySelectorAll("header details");
  var closeOne = function (det) {
    var inside = det.contains(d.activeElement);
    det.open = false;
    if (inside) det.querySelector("summary").focus();
  };
  // In the capture phase, before the settings' own handler: an open settings panel is theirs.
  d.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" || (panel && panel.open)) return;
    var langs = d.querySelector("header details.langs-menu[open]");
    if (langs && langs.querySelector("summary").offsetParent !== null) closeOne(langs);
    else if (menu && menu.open && menu.querySelector("summary").offsetParent !== null) closeOne(menu);
  }, true);
  d.addEventListener("click", function (e) {
    floating.forEach(function (det) {
      if (det.open && det !== menu && !det.contains(e.target)) det.open = false;
    });
  });

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
    // The filters fold into a disclosure; its summary says how many are chosen.
    var box = filters.closest("details"), counter = box && box.querySelector(".filter-count");
    if (box) box.hidden = false;
    var count = function () {
      if (!counter) return;
      var n = filters.querySelectorAll("input[type=checkbox]:checked").length;
      counter.textContent = n ? say(counter.dataset.template, { count: n }) : "";
    };
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
    filters.addEventListener("change", count);
    filters.addEventListener("reset", function () { setTimeout(count, 0); });
    count();
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

  // The search page (search.js, served in the same file) filters its results the same way.
  window.handbokFilters = { selected: selected, matches: matches, say: say };
})();
