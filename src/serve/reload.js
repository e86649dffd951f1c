// handbok serve: live reload and the problems overlay. Served by `handbok serve` only, never
// part of a built site. The page's Content-Security-Policy allows it as script from 'self';
// it sets styles through element.style (CSSOM), which that policy allows too, and puts text in
// with textContent only: diagnostics quote the author's files.
(function () {
  "use strict";
  var me = document.currentScript;
  // The site path this page stands for (`en/modules/x.html`), as the server's events name it.
  var page = (me && me.getAttribute("data-page")) || "";
  var instance = null;
  var overlay = null;
  var focusBefore = null;
  // The stand-in page served while the project has never built: any good update replaces it.
  var standIn = !!document.querySelector('meta[name="handbok-serve"][content="not-built"]');

  // The site paths of everything this page loaded: its styles, scripts, images, fetched data.
  function loaded() {
    var paths = [page];
    var entries = (window.performance && performance.getEntriesByType)
      ? performance.getEntriesByType("resource") : [];
    for (var i = 0; i < entries.length; i++) {
      try {
        var url = new URL(entries[i].name);
        if (url.origin === location.origin) {
          paths.push(decodeURIComponent(url.pathname.replace(/^\//, "")));
        }
      } catch (e) { /* not a URL we serve */ }
    }
    return paths;
  }

  // Reload when the page itself or anything it loaded changed (or when unknown: an empty list).
  function changed(list) {
    if (!list.length) return true;
    var mine = loaded();
    for (var i = 0; i < list.length; i++) {
      if (mine.indexOf(list[i]) >= 0) return true;
    }
    return false;
  }

  function css(el, styles) {
    for (var k in styles) el.style[k] = styles[k];
    return el;
  }

  function make(tag, text, styles) {
    var el = document.createElement(tag);
    if (text) el.textContent = text;
    return css(el, styles || {});
  }

  function hide() {
    if (!overlay) return;
    overlay.remove();
    overlay = null;
    if (focusBefore && focusBefore.focus) focusBefore.focus();
    focusBefore = null;
  }

  function place(d) {
    if (!d.file) return "";
    return d.file + (d.line ? ":" + d.line + ":" + d.column : "");
  }

  function show(problems) {
    var wasOpen = !!overlay;
    hide();
    if (!wasOpen) focusBefore = document.activeElement;
    var errors = problems.errors || 0;
    overlay = make("div", "", {
      position: "fixed", top: "0", right: "0", bottom: "0", left: "0",
      zIndex: "2147483647", overflow: "auto", background: "#111", color: "#fff",
      font: "1rem/1.5 system-ui, sans-serif", padding: "1rem", boxSizing: "border-box",
      textAlign: "start"
    });
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-labelledby", "handbok-problems-title");
    overlay.setAttribute("aria-describedby", "handbok-problems-note");
    overlay.setAttribute("tabindex", "-1");
    overlay.setAttribute("lang", "en");
    overlay.setAttribute("dir", "ltr");
    var box = overlay.appendChild(make("div", "", { maxWidth: "60rem", margin: "0 auto" }));
    var title = box.appendChild(make("h2",
      "The site could not be updated: " + errors + (errors === 1 ? " error" : " errors"),
      { font: "bold 1.4rem/1.3 system-ui, sans-serif", margin: "0 0 .5rem", color: "#fff" }));
    title.id = "handbok-problems-title";
    var note = box.appendChild(make("p",
      "This page shows the last good version. Fix the problems below and save: this closes " +
      "by itself when the site builds again.", { margin: "0 0 1rem" }));
    note.id = "handbok-problems-note";
    var close = box.appendChild(make("button", "Close (Esc)", {
      font: "inherit", color: "#000", background: "#fff", border: "2px solid #fff",
      borderRadius: "4px", padding: ".5rem 1rem", minHeight: "44px", cursor: "pointer",
      margin: "0 0 1rem"
    }));
    close.type = "button";
    close.addEventListener("click", hide);
    var list = box.appendChild(make("ol", "", { margin: "0", padding: "0 0 0 1.5rem" }));
    var shown = problems.diagnostics || [];
    for (var i = 0; i < shown.length; i++) {
      var d = shown[i];
      var item = list.appendChild(make("li", "", { margin: "0 0 1rem" }));
      var head = item.appendChild(make("p", "", { margin: "0" }));
      head.appendChild(make("strong", d.severity + "[" + d.code + "]", {
        color: d.severity === "error" ? "#ffb3b3" : "#ffe08a"
      }));
      head.appendChild(document.createTextNode(": " + d.message));
      var at = place(d);
      if (at) {
        item.appendChild(make("p", "", { margin: "0" }))
          .appendChild(make("code", at, {
            font: "0.95rem/1.5 ui-monospace, monospace", color: "#9fd8ff", overflowWrap: "anywhere"
          }));
      }
      if (d.help) item.appendChild(make("p", "help: " + d.help, { margin: "0", color: "#d6ffd6" }));
    }
    var details = box.appendChild(make("details", "", { margin: "1rem 0 0" }));
    details.appendChild(make("summary", "As the terminal shows them", { cursor: "pointer" }));
    details.appendChild(make("pre", problems.text || "", {
      whiteSpace: "pre-wrap", overflowWrap: "anywhere", background: "#000", color: "#fff",
      padding: ".75rem", font: "0.9rem/1.4 ui-monospace, monospace", margin: ".5rem 0 0"
    }));
    overlay.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { e.preventDefault(); hide(); }
    });
    document.body.appendChild(overlay);
    overlay.focus();
  }

  function data(e) {
    try { return JSON.parse(e.data); } catch (err) { return null; }
  }

  var source = new EventSource("/__handbok/events");
  source.addEventListener("hello", function (e) {
    // Another server than the one this page came from (restarted): the page may be stale.
    if (instance !== null && instance !== e.data) location.reload();
    instance = e.data;
  });
  source.addEventListener("reload", function (e) {
    var list = data(e);
    if (standIn || !Array.isArray(list) || changed(list)) location.reload();
  });
  source.addEventListener("problems", function (e) {
    var problems = data(e);
    if (problems) show(problems);
  });
  source.addEventListener("ok", function () {
    if (standIn) location.reload();
    hide();
  });
})();
