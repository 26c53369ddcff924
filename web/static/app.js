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
