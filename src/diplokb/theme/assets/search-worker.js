/* diplokb: Material's search worker, loaded unchanged, with two changes around it.
 *
 * 1. Stemmed queries. mkdocs.yml asks for lunr's stemmer, so the index holds stems ("embassi" for
 *    embassy and embassies). Material adds a trailing wildcard to every word typed ("embassy*"), for
 *    type-ahead, and lunr runs no pipeline on a wildcard term, so a whole word would find nothing: each
 *    word of the query is stemmed here before its wildcard (QueryParser.parse, which both lunr's search
 *    and Material's reading of the query go through).
 * 2. Pages holding every word first. Material ranks by score alone, so a page matching one common
 *    word of the query in its title ("plan" of "Marshall Plan") came before pages holding them all.
 *    Results are ordered by how many of the query's words a section holds, then how rare those words
 *    are, how many its page holds, whether it holds them as a phrase, and last Material's score (where
 *    a word in a title or heading counts a thousand times one in the text); when no page holds them
 *    all, the result says so (`diplokb.partial`), for the note that search.js shows.
 *
 * Material's worker is named in this file's address (?material=...), as the theme's base.html gives it.
 * It runs as a Web Worker, or in the iframe of the offline copy's iframe-worker shim (from file://),
 * where importScripts loads scripts asynchronously: messages wait until Material's worker is there. */
(function () {
  "use strict";
  var SETUP = 0, QUERY = 2, RESULT = 3;
  var here = self.document ? document.currentScript.src : self.location.href;
  var material = new URL(new URL(here).searchParams.get("material"), here).href;
  var separator = /[\s\-]+/;
  var docs = new Map(); // location -> Material's document, for phrases
  var surface = new Map(); // stem -> a word of a title, for Material's suggestions
  var query = "";
  var handlers = [];
  var waiting = [];
  var ready = false;

  var listen = self.addEventListener.bind(self);
  self.addEventListener = function (type, fn, options) {
    if (type === "message") handlers.push(fn);
    else listen(type, fn, options);
  };
  var post = self.postMessage.bind(self);
  self.postMessage = function (message, transfer) {
    if (message && message.type === RESULT) rank(message.data);
    return transfer === undefined ? post(message) : post(message, transfer);
  };

  function stem(word) {
    // lunr's own functions, as its pipeline runs them (mkdocs.yml: stopWordFilter, stemmer)
    var token = new lunr.Token(word, {});
    return lunr.stopWordFilter(token) ? lunr.stemmer(token).toString() : null;
  }

  function patch() {
    // The stemmer remembers the words it stemmed: an index stems every word of every page, most of
    // them many times over (a third more indexing time at x100 without this, a few percent with it).
    var porter = lunr.stemmer;
    var stems = new Map();
    var once = function (s) {
      var r = stems.get(s);
      if (r === undefined) stems.set(s, (r = porter(new lunr.Token(s, {})).toString()));
      return r;
    };
    lunr.stemmer = function (token) { return token.update(once); };
    lunr.stemmer.label = porter.label; // the pipeline's registered name, as the one it replaces
    lunr.Pipeline.registeredFunctions[porter.label] = lunr.stemmer;
    var parse = lunr.QueryParser.prototype.parse;
    lunr.QueryParser.prototype.parse = function () {
      var q = parse.apply(this, arguments);
      q.clauses.forEach(function (c) {
        var m = /^([^*]+)(\*?)$/.exec(c.term); // a word, or a word with Material's wildcard
        var s = m && stem(m[1]);
        if (!s) return; // a stop word, or a leading wildcard: as Material has it
        c.term = s + m[2];
        c.usePipeline = false; // stemmed already (a stem stemmed again can change)
      });
      return q;
    };
  }

  function plain(html) {
    return String(html || "").replace(/<[^>]*>/g, " ");
  }

  function words(text) {
    return text.toLowerCase().split(separator).filter(Boolean);
  }

  function escape(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // The query's words, each lowercased, as typed and as stemmed; stop words and words the reader
  // excluded ("-Kosovo") are left out, and a field named in lunr's way ("title:") is not a word.
  function terms(text) {
    var out = [];
    text.split(/\s+/).forEach(function (part) {
      if (/^-/.test(part)) return;
      part = part.replace(/^(?:title|text|tags):/i, "").replace(/[~^]\d*$/, "").replace(/["+~^:*]/g, " ");
      part.split(separator).filter(Boolean).forEach(function (typed) {
        var w = typed.toLowerCase();
        var s = stem(w);
        if (s && !out.some(function (t) { return t.stem === s; })) out.push({ word: w, typed: typed, stem: s });
      });
    });
    return out;
  }

  function phrase(list) {
    if (list.length < 2) return null;
    // each word from where it and its stem agree ("embass" for embassy): embassy and embassies alike
    return new RegExp("(?<![\\p{L}\\p{N}])" + list.map(function (t) {
      var i = 0;
      while (i < t.word.length && t.word[i] === t.stem[i]) i++;
      return escape(t.word.slice(0, Math.max(i, 1))) + "[^\\s\\-]*";
    }).join("[\\s\\-]+"), "iu");
  }

  function rank(data) {
    var items = data.items || [];
    var list = terms(query);
    var byStem = new Map(list.map(function (t) { return [t.stem, t]; }));
    var n = list.length;
    var re = phrase(list);
    // How rare each word is among the sections found (lunr's idf): a section holding "training" and
    // "armies" goes before one holding "foreign" and "armies", a word found nearly everywhere.
    var df = new Map();
    items.forEach(function (group) {
      group.forEach(function (item) {
        Object.keys(item.terms).forEach(function (key) {
          if (item.terms[key] && byStem.has(key)) df.set(key, (df.get(key) || 0) + 1);
        });
      });
    });
    var groups = items.map(function (group) {
      var held = new Set();
      group.forEach(function (item) {
        var k = 0;
        var weight = 0;
        var named = {};
        Object.keys(item.terms).forEach(function (key) {
          var t = byStem.get(key);
          var found = item.terms[key];
          if (t && found) {
            k++;
            weight += Math.log(1 + (docs.size - df.get(key) + 0.5) / (df.get(key) + 0.5));
            held.add(key);
          }
          // As typed where missing ("Missing: Marshall"); typed and stemmed where found, for
          // Material's highlighting on the page opened (?h=embassy embassi finds both words).
          named[t ? (!found ? t.typed : t.word !== t.stem ? t.word + " " + t.stem : t.word) : key] = found;
        });
        item.terms = named;
        var doc = docs.get(item.location);
        var p = re && k === n && doc && re.test(plain(doc.title) + " " + plain(doc.text)) ? 1 : 0;
        item.kb = [k, Math.round(weight * 100), p, item.score];
      });
      group.sort(function (a, b) { return compare(b.kb, a.kb); });
      var best = group[0].kb;
      group.forEach(function (item) {
        // Material shows beside its page the sections that score as the group's best: scores in this order
        var kb = item.kb;
        item.score = kb[0] * 1e13 + kb[1] * 1e7 + kb[2] * 5e6 + Math.min(kb[3], 4.9e6);
        delete item.kb;
      });
      return { group: group, key: [best[0], best[1], held.size, best[2], best[3]] };
    });
    groups.sort(function (a, b) { return compare(b.key, a.key); });
    data.items = groups.map(function (g) { return g.group; });
    var all = groups.some(function (g) { return g.key[2] === n; });
    if (n > 1 && groups.length && !all) data.diplokb = { partial: true, query: query.trim() };
    if (data.suggest) data.suggest = data.suggest.map(function (s) { return surface.get(s) || s; });
  }

  function compare(a, b) {
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return 0;
  }

  function setup(index) {
    docs.clear();
    surface.clear();
    index.docs.forEach(function (d) {
      docs.set(d.location, d);
      words(plain(d.title)).forEach(function (w) {
        var s = stem(w);
        if (s && !surface.has(s)) surface.set(s, w);
      });
    });
  }

  function handle(ev) {
    var m = ev.data;
    if (m && m.type === SETUP) setup(m.data);
    if (m && m.type === QUERY) query = String(m.data);
    handlers.forEach(function (fn) { fn(ev); });
  }

  listen("message", function (ev) {
    if (ready) handle(ev);
    else waiting.push(ev);
  });
  Promise.resolve(importScripts(material)).then(function () {
    patch();
    ready = true;
    waiting.splice(0).forEach(handle);
  });
})();
