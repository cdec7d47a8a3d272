// diplokb: Material's link previews (navigation.instant.preview) open as dialogs without a name;
// name each after the link it previews, so screen readers announce what it is.
(function () {
  function name() {
    document.querySelectorAll('.md-tooltip2[role="dialog"]:not([aria-label])').forEach(function (tip) {
      var link = tip.id ? document.querySelector('a[aria-controls="' + tip.id + '"]') : null;
      var text = link ? link.textContent.trim().replace(/\s+/g, " ") : "";
      tip.setAttribute("aria-label", text ? "Preview: " + text : "Preview");
    });
  }
  new MutationObserver(name).observe(document.body, { childList: true, subtree: true });
})();

// diplokb: the case browser (browse.md). The list is the page's own HTML; each item's data-f holds
// its facet tokens, each <option> its token in data-k. The choices live in the address (?topic=…),
// so a filtered view can be shared; opened from disk, where an address cannot be rewritten, in its hash.
(function () {
  var form = document.getElementById("kb-browse");
  var list = document.getElementById("kb-browse-list");
  if (!form || !list) return;
  var items = Array.prototype.slice.call(list.children);
  var toks = items.map(function (li) { return " " + li.getAttribute("data-f") + " "; });
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var countEl = document.getElementById("kb-browse-count");
  var none = document.querySelector(".kb-browse-none");
  function chosen(sel) { var o = sel.options[sel.selectedIndex]; return o && o.value ? o.getAttribute("data-k") : ""; }
  function matches(i, skip) {
    for (var s = 0; s < selects.length; s++) {
      if (selects[s] === skip) continue;
      var k = chosen(selects[s]);
      if (k && toks[i].indexOf(" " + k + " ") < 0) return false;
    }
    return true;
  }
  function readAddress() {
    var q = new URLSearchParams(location.search.slice(1) || location.hash.slice(1));
    selects.forEach(function (sel) {
      var v = q.get(sel.name) || "";
      sel.value = Array.prototype.some.call(sel.options, function (o) { return o.value === v; }) ? v : "";
    });
  }
  function writeAddress() {
    var q = new URLSearchParams();
    selects.forEach(function (sel) { if (sel.value) q.set(sel.name, sel.value); });
    var s = q.toString();
    try {
      history.replaceState(null, "", location.pathname + (s ? "?" + s : ""));
    } catch (e) {
      history.replaceState(null, "", location.pathname + location.search + (s ? "#" + s : "#"));
    }
  }
  function update() {
    var shown = 0;
    items.forEach(function (li, i) {
      var ok = matches(i, null);
      li.hidden = !ok;
      if (ok) shown++;
    });
    // Each option's count: the cases it would leave, with the other filters as they are.
    selects.forEach(function (sel) {
      Array.prototype.forEach.call(sel.options, function (o) {
        if (!o.value) return;
        var k = " " + o.getAttribute("data-k") + " ", n = 0;
        for (var i = 0; i < items.length; i++) if (toks[i].indexOf(k) >= 0 && matches(i, sel)) n++;
        o.textContent = o.textContent.replace(/ \(\d+\)$/, "") + " (" + n + ")";
      });
    });
    countEl.textContent = shown === items.length ? "All " + shown + " case studies" : shown + " of " + items.length + " case studies";
    if (none) none.classList.toggle("kb-shown", shown === 0);
  }
  form.classList.remove("kb-js-only");
  readAddress();
  update();
  form.addEventListener("change", function () { update(); writeAddress(); });
  form.addEventListener("reset", function () { setTimeout(function () { update(); writeAddress(); }, 0); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
})();
