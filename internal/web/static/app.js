// communehr console: the only script. Every page works without it; it adds a confirmation before
// irreversible actions (forms with data-confirm), a print button on the printable decision, and a live
// progress bar on a running import (polling its JSON progress; without script the page refreshes), and
// shows the import form's commune chooser only for the commune sheet it is for.
(function () {
  "use strict";
  document.addEventListener("submit", function (ev) {
    var f = ev.target;
    var msg = f.getAttribute && f.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { ev.preventDefault(); }
  });
  var p = document.getElementById("print-now");
  if (p) { p.hidden = false; p.addEventListener("click", function () { window.print(); }); }
  var kind = document.getElementById("kind"), choice = document.getElementById("commune-choice");
  if (kind && choice) {
    var sync = function () { choice.hidden = kind.value !== "commune-sheet"; };
    kind.addEventListener("change", sync);
    sync();
  }
  var job = document.getElementById("job");
  if (job && job.getAttribute("data-running")) {
    var bar = document.getElementById("progress");
    var poll = function () {
      fetch(job.getAttribute("data-progress"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          bar.value = s.percent;
          bar.textContent = s.percent + " %";
          if (s.done) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    };
    window.setTimeout(poll, 1000);
  }
})();
