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
