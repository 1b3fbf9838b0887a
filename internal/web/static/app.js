// communehr console: the only script. Every page works without it; it adds a confirmation before
// irreversible actions (forms with data-confirm) and a print button on the printable decision.
(function () {
  "use strict";
  document.addEventListener("submit", function (ev) {
    var f = ev.target;
    var msg = f.getAttribute && f.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { ev.preventDefault(); }
  });
  var p = document.getElementById("print-now");
  if (p) { p.hidden = false; p.addEventListener("click", function () { window.print(); }); }
})();
