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

  // The search page (search.js, served in the same file) filters its results the same way.
  window.handbokFilters = { selected: selected, matches: matches, say: say };
})();
