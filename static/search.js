// The search page: loads the head of the index (search.json: the word list, the aliases,
// where each part is), then, for a query, the shards holding the postings of the words it
// stands for (search/w<n>.json) and the chunks holding the docs it shows (search/d<n>.json):
// a first search downloads a bounded amount however large the site. Forgiving: accents
// are ignored ("Sao" finds "São"), a word matches the words it begins ("pilot" finds
// "pilots"), those sharing its stem ("piloted" finds "pilots") and, from four letters,
// those one typo away (two from eight letters: "Lisbn", "Lsibon" find "Lisbon"); a word
// found nowhere may be two joined ("newyork"); a doc's other names (its aliases: "UN")
// find it first, and a one-word alias finds the docs that name what it stands
// for. Matches are marked (<mark>) in the title and in an excerpt cut at word boundaries
// around the first. The facets (a menu per filter taxonomy, `data-facet`) keep only the
// events carrying the chosen terms (the pseudo-words `=<taxonomy>=<term>`), and list them
// all when there is no query. Results are plain links, so Tab and Enter are all a keyboard
// needs; the query and the facets live in the address (?q=&people=…) so a search can be
// shared. No dependencies.
//
// Languages: the head names the index's (`lang`), and a query is read into words exactly
// as src/render/search_index/words.rs reads the docs: Latin letters lose their accents and
// đ becomes d ("tieng viet" finds "Tiếng Việt"), Hangul is composed however it was typed
// and read as pairs of syllables ("국어" finds "한국어", "학교" finds "학교에서"; a lone
// syllable finds the pairs holding it), as are Han and kana. Stems are English only; typos are forgiven
// per language (in `vi`, whose syllables are short, only from six letters; never in
// Hangul). Where the index holds words in a row (`pairs`: `vi`), docs holding a
// query's words as a phrase rank first.
(function () {
  'use strict';
  var script = document.currentScript;
  var input = document.getElementById('q');
  var list = document.getElementById('search-results');
  var status = document.getElementById('search-status');
  var form = input && input.form;
  if (!input || !list) return;
  // The labels, in the page's language (templates/search.html, from the catalogue).
  var L = JSON.parse((document.getElementById('search-text') || {}).textContent || '{}');
  var PR = new Intl.PluralRules(L.lang || 'en');
  function tr(k, a) {
    var m = L[k] == null ? k : L[k];
    if (typeof m === 'object') m = m[PR.select(a.count)] || m.other;
    return m.replace(/\{(\w+)\}/g, function (_, n) {
      var v = a[n];
      return typeof v === 'number' ? String(v).replace(/\B(?=(\d{3})+$)/g, L.group || '') : v;
    });
  }
  var PAGE = 20; // results shown at first, and added by "Show more"
  var WORD = /[\p{L}\p{N}\p{M}]+/gu;
  // The scripts written without spaces between words, as words.rs lists them.
  var CJK = '\uac00-\ud7a3\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}';
  var IS_CJK = new RegExp('^[' + CJK + ']', 'u');
  var SEG = new RegExp('[' + CJK + ']+|[^' + CJK + ']+', 'gu');
  var RUN = new RegExp('[' + CJK + ']+', 'gu');
  var JAMO = /[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\ud7b0-\ud7ff]/g;
  var lang = 'en'; // the index's language, from its head
  var indexUrl = new URL(script.getAttribute('data-index'), location.href);
  var head = null;
  var vocab = null; // every word of the index but the facets' pseudo-words
  var stems = null; // each word's stem, in the same order (English only)
  var place = null; // word -> its number in head.words
  var parts = new Map(); // 'w3', 'd7' -> the promise of that part
  var decoded = new Map(); // word -> its postings [all, title, aliases], as arrays
  var shown = PAGE;
  var seq = 0;
  var more = document.createElement('button');
  more.type = 'button'; more.className = 'search-more'; more.hidden = true;
  list.parentNode.insertBefore(more, list.nextSibling);
  var facets = Array.prototype.slice.call(document.querySelectorAll('select[data-facet]'));
  // The chosen facets, as pseudo-words.
  function chosen() {
    return facets.filter(function (f) { return f.value; }).map(function (f) { return '=' + f.getAttribute('data-facet') + '=' + f.value; });
  }
  // Latin, Greek and Cyrillic letters without their accents, Hangul composed, lowercase.
  function fold(s) {
    return s.normalize('NFKD').replace(/[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g, '')
      .replace(/[đĐ]/g, 'd').normalize('NFC').toLowerCase();
  }
  // The words of `s`, each as [word, whether it follows the one before with only spaces or
  // hyphens between]; a CJK run as its pairs of characters.
  function read(s) {
    var t = fold(s).replace(JAMO, '.');
    var out = []; var joined = false; var at = 0; var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(t))) {
      if (!/^[\s-]*$/.test(t.slice(at, m.index))) joined = false;
      at = m.index + m[0].length;
      m[0].match(SEG).forEach(function (seg) {
        if (!IS_CJK.test(seg)) { out.push([seg, joined]); joined = true; return; }
        var cs = Array.from(seg);
        if (cs.length === 1) out.push([seg, false]);
        for (var i = 0; i + 1 < cs.length; i++) out.push([cs[i] + cs[i + 1], false]);
        joined = false;
      });
    }
    return out;
  }
  // A rough English stem: "piloted", "pilots", "piloting" → "pilot".
  function stem(w) {
    if (w.length <= 4 || /ss$/.test(w)) return w;
    var m = /^(.{3,}?)(ings?|ed|es|ers?|ions?|ly|s)$/.exec(w);
    return m ? m[1] : w;
  }
  // How many typos a word of `n` letters forgives.
  function typos(n) { return lang === 'vi' ? (n >= 6 ? 1 : 0) : n >= 8 ? 2 : n >= 4 ? 1 : 0; }
  // Optimal string alignment distance, or more than `k` once it must be.
  function distance(a, b, k) {
    if (Math.abs(a.length - b.length) > k) return k + 1;
    var prev2 = null; var prev = []; var cur;
    for (var j = 0; j <= b.length; j++) prev[j] = j;
    for (var i = 1; i <= a.length; i++) {
      cur = [i];
      var low = i;
      for (j = 1; j <= b.length; j++) {
        var c = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) c = Math.min(c, prev2[j - 2] + 1);
        cur[j] = c;
        if (c < low) low = c;
      }
      if (low > k) return k + 1;
      prev2 = prev; prev = cur;
    }
    return prev[b.length];
  }
  function part(name) {
    if (!parts.has(name)) {
      parts.set(name, fetch(new URL('search/' + name + '.json', indexUrl)).then(function (r) {
        if (!r.ok) throw new Error(name);
        return r.json();
      }));
    }
    return parts.get(name);
  }
  // The shard holding `word`: the last whose first word is at or before it.
  function shardOf(word) {
    var i = place.get(first(word)); var lo = 0; var hi = head.shards.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (head.shards[mid] <= i) lo = mid; else hi = mid - 1;
    }
    return 'w' + lo;
  }
  function gaps(s) {
    var out = []; var n = 0;
    if (s) s.split(',').forEach(function (g) { n += parseInt(g, 36); out.push(n); });
    return out;
  }
  // The first word of a key: two words in a row (`tieng viet`) are in the first one's shard.
  function first(w) { var sp = w.indexOf(' '); return sp < 0 ? w : w.slice(0, sp); }
  // Loads the postings of `ws` (words of the index, or two in a row) into `decoded`.
  function load(ws) {
    var need = ws.filter(function (w) { return place.has(first(w)) && !decoded.has(w); });
    var shards = Array.from(new Set(need.map(shardOf)));
    return Promise.all(shards.map(part)).then(function (got) {
      got.forEach(function (sh) {
        need.forEach(function (w) { if (sh[w] && !decoded.has(w)) decoded.set(w, sh[w].map(gaps)); });
      });
    });
  }
  function post(w, n) { var p = decoded.get(w); return p ? p[n] : []; }
  function both(a, b) {
    var s = new Set(b);
    return a.filter(function (i) { return s.has(i); });
  }
  // What a query word stands for: the words of the index it matches, each with its
  // weight (itself 3, a word it begins or sharing its stem 2, a typo or two away 1; at
  // most 40, the best), the name a one-word alias stands for, and two words it may join.
  function expand(q, last) {
    var found = [];
    var cjk = IS_CJK.test(q);
    var one = cjk && Array.from(q).length === 1; // a lone CJK character: the pairs holding it
    var k = cjk ? 0 : typos(q.length);
    var qs = stems && stem(q);
    for (var i = 0; i < vocab.length; i++) {
      var t = vocab[i];
      var wgt = t === q ? 3 : 0;
      if (!wgt && t.lastIndexOf(q, 0) === 0 && (q.length >= 3 || last || cjk)) wgt = 2;
      if (!wgt && one && t.indexOf(q) > 0) wgt = 2;
      if (!wgt && stems && q.length >= 4 && stems[i] === qs) wgt = 2;
      if (!wgt && k && distance(q, t, k) <= k) wgt = 1;
      if (wgt) found.push([t, wgt]);
    }
    found.sort(function (a, b) { return b[1] - a[1] || a[0].length - b[0].length; });
    var u = { q: q, words: new Map(found.slice(0, one ? 200 : 40)), alias: head.aliases[q] || null, split: null };
    if (!u.words.size && !cjk) {
      for (var cut = 2; cut <= q.length - 2 && !u.split; cut++) {
        if (place.has(q.slice(0, cut)) && place.has(q.slice(cut))) u.split = [q.slice(0, cut), q.slice(cut)];
      }
    }
    return u;
  }
  function needs(u) {
    return Array.from(u.words.keys()).concat(u.alias || [], u.split || [], [u.q]);
  }
  // One query word's docs, each with its best weight plus 10 for each title match and 30
  // when it is one of the doc's aliases; `marks` collects the words matched.
  function scored(u, marks) {
    var found = new Map();
    var add = function (i, w) { found.set(i, Math.max(found.get(i) || 0, w)); };
    u.words.forEach(function (w, t) {
      if (post(t, 0).length) marks.add(t);
      post(t, 0).forEach(function (i) { add(i, w); });
    });
    var all = function (ws) { return ws.map(function (w) { return post(w, 0); }).reduce(both); };
    if (u.alias) { u.alias.forEach(function (t) { marks.add(t); }); all(u.alias).forEach(function (i) { add(i, 3); }); }
    if (u.split && !found.size) { u.split.forEach(function (t) { marks.add(t); }); all(u.split).forEach(function (i) { add(i, 2); }); }
    var bonus = function (ws, n) {
      ws.forEach(function (t) { post(t, 1).forEach(function (i) { if (found.has(i)) found.set(i, found.get(i) + n); }); });
    };
    bonus(Array.from(u.words.keys()).concat(u.alias || [], u.split || []), 10);
    post(u.q, 2).forEach(function (i) { if (found.has(i)) found.set(i, found.get(i) + 30); });
    return found;
  }
  // The docs matching every query word and the facets, best first, as [score, doc]; 30
  // more for each two query words in a row (`rows`, `a b`) that a doc holds in a row.
  function find(qs, rows, picks, marks) {
    var units = qs.map(function (q, n) { return expand(q, n === qs.length - 1); });
    var ws = picks.concat(rows);
    units.forEach(function (u) { ws = ws.concat(needs(u)); });
    return load(ws).then(function () {
      var keep = picks.length ? picks.map(function (p) { return post(p, 0); }).reduce(both) : null;
      if (!units.length) return keep.map(function (i) { return [0, i]; });
      var maps = units.map(function (u) { return scored(u, marks); });
      maps.sort(function (a, b) { return a.size - b.size; });
      var ok = keep && new Set(keep);
      var hits = [];
      maps[0].forEach(function (w, i) {
        if (ok && !ok.has(i)) return;
        var score = w;
        for (var m = 1; m < maps.length; m++) {
          var x = maps[m].get(i);
          if (!x) return;
          score += x;
        }
        hits.push([score, i]);
      });
      rows.map(function (r) { return new Set(post(r, 0)); }).forEach(function (s) {
        hits.forEach(function (h) { if (s.has(h[1])) h[0] += 30; });
      });
      hits.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
      return hits;
    });
  }
  // The docs `ids`, from their chunks.
  function docs(ids) {
    var names = Array.from(new Set(ids.map(function (i) { return 'd' + Math.floor(i / head.chunk); })));
    return Promise.all(names.map(part)).then(function () {
      return Promise.all(ids.map(function (i) {
        return part('d' + Math.floor(i / head.chunk)).then(function (c) { return c[i % head.chunk]; });
      }));
    });
  }
  // What of the word `w` to mark, as [from, to], or null: all of it when it is one of
  // `hl.words` (the words matched), else the first of the query's CJK runs (`hl.runs`) it
  // holds ("국어" in "한국어로").
  function hitIn(w, hl) {
    if (hl.words.has(fold(w))) return [0, w.length];
    for (var i = 0; i < hl.runs.length; i++) {
      var at = w.indexOf(hl.runs[i]);
      if (at >= 0) return [at, at + hl.runs[i].length];
    }
    return null;
  }
  // `text` into `el`, what `hl` matches in a <mark>.
  function marked(el, text, hl) {
    var at = 0; var m; var h;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      if (!(h = hitIn(m[0], hl))) continue;
      el.appendChild(document.createTextNode(text.slice(at, m.index + h[0])));
      var mk = document.createElement('mark');
      mk.textContent = m[0].slice(h[0], h[1]);
      el.appendChild(mk);
      at = m.index + h[1];
    }
    el.appendChild(document.createTextNode(text.slice(at)));
  }
  // About 220 characters of `text` around its first match, cut at spaces (or, in a text
  // without them, between characters, never inside one).
  function excerpt(text, hl) {
    var first = 0; var m; var h;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) if ((h = hitIn(m[0], hl))) { first = m.index + h[0]; break; }
    var start = Math.max(0, Math.min(first - 70, text.length - 220));
    if (start > 0) {
      var sp = text.slice(start, first).search(/\s/);
      start = sp < 0 ? first : start + sp + 1;
    }
    var end = Math.min(text.length, start + 220);
    if (end < text.length) {
      var back = text.slice(0, end).search(/\s\S*$/);
      if (back > first) end = back;
      while (end > first && /[\p{M}\udc00-\udfff]/u.test(text.charAt(end))) end--;
    }
    return (start > 0 ? '… ' : '') + text.slice(start, end).trim() + (end < text.length ? ' …' : '');
  }
  function show(hits, got, hl) {
    var frag = document.createDocumentFragment();
    got.forEach(function (d) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = d.u; marked(a, d.t, hl);
      var kind = document.createElement('span');
      kind.className = 'kind'; kind.textContent = L['kind-' + d.k] || d.k;
      var p = document.createElement('p');
      var text = d.x || (d.a ? tr('also', { names: d.a.join(', ') }) : '');
      marked(p, excerpt(text, hl), hl);
      li.appendChild(kind); li.appendChild(a); li.appendChild(p);
      frag.appendChild(li);
    });
    list.textContent = '';
    list.appendChild(frag);
    var n = hits.length;
    status.textContent = n === 0 ? tr('none', {}) : tr('results', { count: n }) + (n > got.length ? tr('first', { count: got.length }) : tr('end', {}));
    more.hidden = n <= got.length;
    more.textContent = tr('more', { count: Math.min(PAGE, n - got.length) });
  }
  function render(q) {
    var mine = ++seq;
    var rd = read(q);
    var qs = rd.map(function (w) { return w[0]; });
    var rows = [];
    if (head.pairs) rd.forEach(function (w, n) { if (w[1]) rows.push(qs[n - 1] + ' ' + w[0]); });
    var picks = chosen();
    if (!qs.length && !picks.length) { list.textContent = ''; status.textContent = ''; more.hidden = true; return Promise.resolve(); }
    var hl = { words: new Set(), runs: (fold(q).match(RUN) || []).sort(function (a, b) { return b.length - a.length; }) };
    return find(qs, rows, picks, hl.words).then(function (hits) {
      var ids = hits.slice(0, shown).map(function (h) { return h[1]; });
      return docs(ids).then(function (got) { if (mine === seq) show(hits, got, hl); });
    }).catch(function () { if (mine === seq) status.textContent = tr('failed', {}); });
  }
  function run() {
    var q = input.value.trim();
    var url = new URL(location.href);
    if (q) url.searchParams.set('q', q); else url.searchParams.delete('q');
    facets.forEach(function (f) {
      var name = f.getAttribute('data-facet');
      if (f.value) url.searchParams.set(name, f.value); else url.searchParams.delete(name);
    });
    history.replaceState(null, '', url);
    shown = PAGE;
    if (head) render(q);
  }
  more.addEventListener('click', function () {
    var from = shown;
    shown += PAGE;
    render(input.value.trim()).then(function () {
      var next = list.children[from] && list.children[from].querySelector('a');
      if (next) next.focus();
    });
  });
  fetch(indexUrl).then(function (r) { return r.json(); }).then(function (h) {
    head = h;
    place = new Map();
    h.words.forEach(function (w, i) { place.set(w, i); });
    vocab = h.words.filter(function (w) { return w[0] !== '='; });
    lang = h.lang || 'en';
    stems = lang === 'en' ? vocab.map(stem) : null;
    var params = new URL(location.href).searchParams;
    facets.forEach(function (f) {
      var v = params.get(f.getAttribute('data-facet')) || '';
      f.value = Array.prototype.some.call(f.options, function (o) { return o.value === v; }) ? v : '';
    });
    var q = params.get('q') || '';
    input.value = q;
    render(q);
  }).catch(function () { status.textContent = tr('failed', {}); });
  var timer;
  input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(run, 80); });
  facets.forEach(function (f) { f.addEventListener('change', run); });
  if (form) form.addEventListener('submit', function (e) { e.preventDefault(); run(); });
})();
