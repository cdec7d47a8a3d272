// diplokb: the note "No page has all of ...; showing pages with some" under Material's result count.
// The theme's search worker (search-worker.js) marks a result where no page holds every word of the
// query; Material renders results itself, so the note is written from the worker's messages, read
// here by wrapping the Worker that Material's bundle creates (this script runs before the bundle, and
// after the offline copy's iframe-worker shim, whose Worker it wraps the same way).
(function () {
  var Base = window.Worker;
  if (!Base) return;
  function note(ev) {
    var m = ev.data;
    if (!m || m.type !== 3) return; // Material's search result message
    var meta = document.querySelector(".md-search-result__meta");
    if (!meta) return;
    var p = meta.parentNode.querySelector(".kb-search-note");
    var partial = m.data && m.data.diplokb && m.data.diplokb.partial;
    if (!partial) {
      if (p) p.hidden = true;
      return;
    }
    if (!p) {
      p = document.createElement("p");
      p.className = "kb-search-note";
      p.setAttribute("role", "status"); // read out when it appears, as the results change under the box
      meta.insertAdjacentElement("afterend", p);
    }
    p.textContent = "No page has all of \u201c" + m.data.diplokb.query + "\u201d; showing pages with some.";
    p.hidden = false;
  }
  function Worker(url, options) {
    var w = options === undefined ? new Base(url) : new Base(url, options);
    w.addEventListener("message", note);
    return w;
  }
  Worker.prototype = Base.prototype;
  window.Worker = Worker;
})();
