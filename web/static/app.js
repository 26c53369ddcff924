// Keyboard navigation of dense tables (j/k move, x select, o open, ? help). No inline script: CSP allows 'self' only.
(function () {
  "use strict";
  function rows() { var t = document.querySelector("table[data-keys]"); return t ? Array.prototype.slice.call(t.querySelectorAll("tbody tr[data-href]")) : []; }
  var cursor = -1;
  function move(to) {
    var r = rows(); if (!r.length) return;
    if (cursor >= 0 && r[cursor]) r[cursor].classList.remove("cursor");
    cursor = Math.max(0, Math.min(r.length - 1, to));
    r[cursor].classList.add("cursor");
    r[cursor].scrollIntoView({ block: "nearest" });
  }
  // Unread state, kept in this browser: an article page marks its id read; queue rows not yet read are bold.
  var READ = "duluan.read";
  function readSet() { try { return JSON.parse(localStorage.getItem(READ) || "{}"); } catch (err) { return {}; } }
  var page = document.querySelector("[data-article-id]");
  if (page) {
    var seen = readSet(); seen[page.getAttribute("data-article-id")] = Date.now();
    var ids = Object.keys(seen);
    if (ids.length > 5000) { ids.sort(function (a, b) { return seen[a] - seen[b]; }).slice(0, ids.length - 5000).forEach(function (k) { delete seen[k]; }); }
    try { localStorage.setItem(READ, JSON.stringify(seen)); } catch (err) { /* storage full or disabled: unread state is a convenience */ }
  }
  var read = readSet();
  rows().forEach(function (r) {
    var id = r.getAttribute("data-href").split("/").pop();
    if (!read[id]) r.classList.add("unread");
  });
  document.addEventListener("keydown", function (e) {
    var tag = (e.target && e.target.tagName) || "";
    if (/INPUT|TEXTAREA|SELECT/.test(tag) || e.ctrlKey || e.metaKey || e.altKey) return;
    var r = rows();
    if (e.key === "j") { move(cursor + 1); e.preventDefault(); }
    else if (e.key === "k") { move(cursor - 1); e.preventDefault(); }
    else if (e.key === "x" && r[cursor]) { var box = r[cursor].querySelector("input[type=checkbox]"); if (box) box.checked = !box.checked; e.preventDefault(); }
    else if (e.key === "o" && r[cursor]) { window.location.href = r[cursor].getAttribute("data-href"); }
    else if (e.key === "?") { var h = document.getElementById("help"); if (h) h.hidden = !h.hidden; }
  });
})();
