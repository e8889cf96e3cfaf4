/* regclean site search: finds an instrument by a title fragment, a document number in any
   spelling, or its issuer, in the static index under search/ (see regclean/publish/finder.py).
   Plain JavaScript, no library; the page works without it (the form then only links here). */
(function () {
  "use strict";

  var script = document.currentScript;
  var base = new URL(script.getAttribute("data-index"), script.src);
  var root = new URL("./", script.src);
  var PAGE = 20;          // results shown
  var MAX_BLOCKS = 24;    // record files read for one query, at most
  var OPEN = "〔［[【﹝〖(（｛{", CLOSE = "〕］]】﹞〗)）｝}";
  var NOT_KEPT = /[^0-9a-z\u3400-\u9fff\uf900-\ufaff〔〕]+/g;
  var cache = new Map();
  var meta = null, variants = null;
  var state = { ms: 0, bytes: 0, query: "", count: 0 };
  window.regcleanSearch = state;

  function crcTable() {
    var table = new Uint32Array(256);
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    return table;
  }
  var CRC = crcTable();
  function crc32(text) {
    var bytes = new TextEncoder().encode(text), c = 0xffffffff;
    for (var i = 0; i < bytes.length; i++) c = CRC[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  }
  function hex(text) {
    return Array.from(new TextEncoder().encode(text), function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }

  /* The same folding as finder.fold: NFKC, lower case, simplified characters, brackets as 〔〕,
     the stray 第 and the padding zeros after 〕 dropped, everything else a space. */
  function fold(text) {
    text = text.normalize("NFKC").toLowerCase();
    var out = "";
    for (var ch of text) {
      var simple = variants.get(ch) || ch;
      if (OPEN.indexOf(simple) >= 0) simple = "〔";
      else if (CLOSE.indexOf(simple) >= 0) simple = "〕";
      out += simple;
    }
    return out.replace(/〕第*0*(?=\d)|〕第+/g, "〕").replace(NOT_KEPT, " ").trim();
  }
  function termsOf(words) {
    var out = new Set();
    words.forEach(function (word) {
      var chars = Array.from(word);
      if (chars.length === 1) out.add(word);
      for (var k = 0; k + 1 < chars.length; k++) out.add(chars[k] + chars[k + 1]);
    });
    return Array.from(out);
  }
  function decode(text) {
    var out = [], last = 0;
    text.split(",").forEach(function (part) {
      if (part) { last += parseInt(part, 36); out.push(last); }
    });
    return out;
  }

  function get(path, asText) {
    if (cache.has(path)) return cache.get(path);
    var promise = fetch(new URL(path, base)).then(function (response) {
      if (!response.ok) throw new Error(path + ": " + response.status);
      state.bytes += Number(response.headers.get("content-length") || 0);
      return asText ? response.text() : response.json();
    });
    cache.set(path, promise);
    promise.catch(function () { cache.delete(path); });
    return promise;
  }
  function ready() {
    if (meta) return Promise.resolve();
    return get("meta.json").then(function (m) {
      meta = m;
      variants = new Map();
      var pairs = Array.from(m.variants);
      for (var k = 0; k + 1 < pairs.length; k += 2) variants.set(pairs[k], pairs[k + 1]);
    });
  }

  /* ids holding every term: the lists already in the term files (terms in at most a thousand
     instruments) intersected; then, while that leaves more than a page of records to read, the
     lists of the rarest common terms (in their own files), as long as each is small enough. */
  function candidates(terms) {
    return Promise.all(terms.map(function (term) {
      return get("t/" + (crc32(term) % meta.shards) + ".json").then(function (table) {
        var value = table[term];
        if (value === undefined) return { term: term, count: 0 };
        if (typeof value === "number") return { term: term, count: value, big: true };
        return { term: term, count: value.split(",").length, ids: value };
      });
    })).then(function (found) {
      if (found.some(function (f) { return f.count === 0; })) return [];
      found.sort(function (a, b) { return a.count - b.count; });
      var ids = null;
      found.forEach(function (f) {
        if (!f.big) ids = intersect(ids, decode(f.ids));
      });
      var big = found.filter(function (f) { return f.big; });
      /* a common term's list costs about 3.5 bytes an id; each candidate's record file about
         8 KB (a page of them at most, MAX_BLOCKS): fetch the list while it costs less */
      function narrow(k) {
        if (k >= big.length) return Promise.resolve(ids);
        if (ids !== null && (ids.length <= PAGE ||
            big[k].count * 3.5 > 8000 * Math.min(ids.length, MAX_BLOCKS))) return Promise.resolve(ids);
        return get("b/" + hex(big[k].term) + ".txt", true).then(function (text) {
          ids = intersect(ids, decode(text));
          return narrow(k + 1);
        });
      }
      return narrow(0);
    });
  }
  function intersect(ids, list) {
    if (ids === null) return list;
    var keep = new Set(list);
    return ids.filter(function (id) { return keep.has(id); });
  }

  /* Records of the candidates, newest first, until a page of results holds every word. */
  function verified(ids, words) {
    ids = ids.slice().sort(function (a, b) { return b - a; });
    var blocks = [], seen = new Set();
    ids.forEach(function (id) {
      var block = Math.floor(id / meta.records);
      if (!seen.has(block)) { seen.add(block); blocks.push(block); }
    });
    var hits = [], more = blocks.length > MAX_BLOCKS;
    function next(start) {
      var batch = blocks.slice(start, Math.min(start + 8, MAX_BLOCKS));
      if (!batch.length || hits.length >= PAGE) return Promise.resolve();
      return Promise.all(batch.map(function (b) { return get("r/" + b + ".json"); })).then(function (files) {
        var records = Object.assign.apply(null, [{}].concat(files));
        ids.forEach(function (id) {
          var record = records[String(id)];
          if (!record || hits.some(function (h) { return h.id === id; })) return;
          var text = record[record.length - 1];
          if (words.every(function (w) { return text.indexOf(w) >= 0; })) hits.push({ id: id, r: record });
        });
        return next(start + batch.length);
      });
    }
    return next(0).then(function () {
      var query = words.join("");
      hits.forEach(function (h) {
        var number = fold(h.r[1]).replace(/ /g, "");
        var title = fold(h.r[0]).replace(/ /g, "");
        h.rank = [number === query ? 0 : 1, title.indexOf(query) === 0 ? 0 : 1, h.r[0].length];
      });
      hits.sort(function (a, b) {
        for (var k = 0; k < 3; k++) if (a.rank[k] !== b.rank[k]) return a.rank[k] - b.rank[k];
        return b.id - a.id;
      });
      return { hits: hits.slice(0, PAGE), more: more || hits.length > PAGE || ids.length > hits.length && hits.length >= PAGE };
    });
  }

  function show(result, words) {
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    list.textContent = "";
    result.hits.forEach(function (h) {
      var r = h.r, li = document.createElement("li");
      var title = document.createElement("a");
      title.className = "title";
      title.href = new URL("instruments/" + h.id + ".html", root).href;
      title.textContent = r[0];
      var badge = document.createElement("span");
      badge.className = "badge status-" + r[3];
      badge.textContent = r[4];
      var line = document.createElement("p");
      line.className = "meta";
      line.textContent = [r[1], r[2], r[5]].filter(Boolean).join(" · ");
      li.append(badge, title, line);
      if (r[6] || r[7]) {
        var decided = document.createElement("p");
        decided.className = "meta decision";
        decided.textContent = say("decision", {
          title: r[6] ? "《" + r[6].replace(/^《|》$/g, "") + "》" : "",
          number: r[7] ? "（" + r[7] + "）" : ""
        }) + (r[8] ? say("effective", { date: r[8] }) : "");
        li.append(decided);
      }
      list.append(li);
    });
    var n = result.hits.length;
    status.textContent = n === 0 ? say("none", { query: words.join(" ") })
      : say(result.more ? "more" : "found", { n: n });
  }

  /* The page's words (search.xsl puts them on the status line, in the site's language). */
  function say(key, values) {
    var text = document.getElementById("search-status").getAttribute("data-" + key) || key;
    return text.replace(/\{(\w+)\}/g, function (_, name) { return String(values[name]); });
  }

  function run(query) {
    var started = performance.now();
    state.bytes = 0;
    state.query = query;
    var status = document.getElementById("search-status");
    return ready().then(function () {
      var words = fold(query).split(" ").filter(Boolean);
      if (Array.from(words.join("")).length < 2) {
        document.getElementById("search-results").textContent = "";
        status.textContent = query ? say("short", {}) : "";
        return;
      }
      return candidates(termsOf(words)).then(function (ids) {
        return verified(ids, words);
      }).then(function (result) {
        if (state.query !== query) return;  // a later query is running
        show(result, words);
        state.count = result.hits.length;
        state.ms = performance.now() - started;
        document.body.setAttribute("data-searched", query);
      });
    }).catch(function () {
      status.textContent = say("broken", {});
    });
  }

  function start() {
    var form = document.getElementById("search-form");
    var input = document.getElementById("q");
    var query = new URLSearchParams(location.search).get("q") || "";
    input.value = query;
    var timer = null;
    function search() {
      var q = input.value.trim();
      var url = new URL(location.href);
      if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
      history.replaceState(null, "", url);
      return run(q);
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); search(); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 120);
    });
    if (query) run(query);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
