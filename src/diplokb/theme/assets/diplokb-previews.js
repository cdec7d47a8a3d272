// diplokb: link previews wherever the site is served. Material previews a link only if the site's
// sitemap.xml lists its address, and it matches the sitemap's addresses (written with site_url) to
// the served one by protocol and host name alone: served on another port or under another path,
// no link matches and no preview opens. Before Material's script runs, this rewrites the sitemap
// Material loads so its addresses start where the site is actually served. Nothing else changes;
// the sitemap file itself (for search engines) keeps site_url.
(function () {
  var open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    var where = new URL(String(url), location.href);
    if (where.origin === location.origin && /\/sitemap\.xml$/.test(where.pathname)) {
      var base = where.href.replace(/sitemap\.xml$/, "");
      // Read the sitemap as text (Material asks for a Blob; it gets one, rewritten, on load).
      Object.defineProperty(this, "responseType", { configurable: true, get: function () { return "blob"; }, set: function () {} });
      this.addEventListener("load", function () {
        var text = this.responseText;
        var locs = text.match(/<loc>[^<]*<\/loc>/g) || [];
        // The site's own address as the sitemap writes it: its shortest address, the home page.
        var home = locs.map(function (l) { return l.slice(5, -6); }).sort(function (a, b) { return a.length - b.length; })[0];
        if (home) text = text.split("<loc>" + home).join("<loc>" + base);
        Object.defineProperty(this, "response", { configurable: true, value: new Blob([text], { type: "text/xml" }) });
      });
    }
    return open.apply(this, arguments);
  };
})();

// Material resolves every link of a previewed page by assigning its href property; an SVG link's
// (the map's countries) has a getter only, so previewing a place page threw. Give it the setter an
// HTML link has: the attribute is set.
(function () {
  var own = Object.getOwnPropertyDescriptor(SVGAElement.prototype, "href");
  if (!own || own.set) return;
  Object.defineProperty(SVGAElement.prototype, "href", {
    configurable: true,
    get: own.get,
    set: function (value) { this.setAttribute("href", String(value)); },
  });
})();
