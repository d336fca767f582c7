// The search page: loads search.json (chapters by section, events, registry entries, the
// terms of free taxonomies) and finds the docs holding every word of the query. Forgiving:
// accents are ignored ("Sao" finds "São"), a word matches the words it begins
// ("pilot" finds "pilots"), those sharing its stem ("piloted" finds "pilots") and, from
// four letters, those one typo away (two from eight letters: "Hanoy", "Hanio" find
// "Hanoi"); a word found nowhere may be two joined ("doimoi", "jongun"); a doc's other
// names (`a`, its aliases: "DPRK") find it, and a one-word alias finds the docs that name
// what it stands for. Matches are marked (<mark>) in the title and in an excerpt cut at
// word boundaries around the first. The facets (a menu per filter taxonomy,
// `data-facet`) keep only the events carrying the chosen terms (each event's terms are its
// `m`), and list them all when there is no query. Results are plain links, so Tab and Enter
// are all a keyboard needs; the query and the facets live in the address (?q=&people=…)
// so a search can be shared. No dependencies.
(function () {
  'use strict';
  var script = document.currentScript;
  var input = document.getElementById('q');
  var list = document.getElementById('search-results');
  var status = document.getElementById('search-status');
  var form = input && input.form;
  if (!input || !list) return;
  var SHOWN = 50;
  var WORD = /[\p{L}\p{N}]+/gu;
  var docs = null;
  var postings = null; // folded word -> the docs holding it, ascending, each once
  var vocab = null; // every folded word
  var stems = null; // each word's stem, in the same order
  var aliases = null; // folded one-word alias -> the folded name it stands for
  var facets = Array.prototype.slice.call(document.querySelectorAll('select[data-facet]'));
  // The chosen facets, as [name, term id] pairs.
  function chosen() {
    return facets.filter(function (f) { return f.value; }).map(function (f) { return [f.getAttribute('data-facet'), f.value]; });
  }
  function carries(d, picks) {
    for (var i = 0; i < picks.length; i++) {
      var terms = d.m && Object.prototype.hasOwnProperty.call(d.m, picks[i][0]) ? d.m[picks[i][0]] : [];
      if (terms.indexOf(picks[i][1]) < 0) return false;
    }
    return true;
  }
  function fold(s) {
    return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
  }
  function words(s) { return fold(s).match(WORD) || []; }
  // A rough English stem: "piloted", "pilots", "piloting" → "pilot".
  function stem(w) {
    if (w.length <= 4 || /ss$/.test(w)) return w;
    var m = /^(.{3,}?)(ings?|ed|es|ers?|ions?|ly|s)$/.exec(w);
    return m ? m[1] : w;
  }
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
  function load(d) {
    docs = d; postings = new Map(); aliases = new Map();
    for (var i = 0; i < docs.length; i++) {
      var doc = docs[i];
      var ws = words(doc.t + ' ' + doc.x + ' ' + (doc.a || []).join(' '));
      for (var w = 0; w < ws.length; w++) {
        var p = postings.get(ws[w]);
        if (!p) postings.set(ws[w], [i]); else if (p[p.length - 1] !== i) p.push(i);
      }
      (doc.a || []).forEach(function (a) {
        var aw = words(a);
        if (aw.length === 1) aliases.set(aw[0], words(doc.t));
      });
    }
    vocab = Array.from(postings.keys());
    stems = vocab.map(stem);
  }
  // The words of the index a query word `q` stands for, each with its weight: itself (3),
  // a word it begins or sharing its stem (2), a word a typo or two away (1).
  function expand(q, last) {
    var out = new Map();
    var k = q.length >= 8 ? 2 : q.length >= 4 ? 1 : 0;
    var qs = stem(q);
    for (var i = 0; i < vocab.length; i++) {
      var t = vocab[i];
      var wgt = t === q ? 3 : 0;
      if (!wgt && t.lastIndexOf(q, 0) === 0 && (q.length >= 3 || last)) wgt = 2;
      if (!wgt && q.length >= 4 && stems[i] === qs) wgt = 2;
      if (!wgt && k && distance(q, t, k) <= k) wgt = 1;
      if (wgt) out.set(t, wgt);
    }
    return out;
  }
  // The docs holding every word of `ws` next to each other (a name: "north korea").
  function phrase(ws) {
    var hits = null;
    ws.forEach(function (w) {
      var p = new Set(postings.get(w) || []);
      hits = hits ? hits.filter(function (i) { return p.has(i); }) : Array.from(p);
    });
    var joined = ' ' + ws.join(' ') + ' ';
    return (hits || []).filter(function (i) {
      var d = docs[i];
      return (' ' + words(d.t + ' ' + d.x).join(' ') + ' ').indexOf(joined) >= 0;
    });
  }
  // One query word: the docs it finds, each with its best weight; `marks` collects the
  // index's words that it matched, for the highlights.
  function unit(q, last, marks) {
    var found = new Map();
    var add = function (i, w) { if (!(found.get(i) >= w)) found.set(i, w); };
    expand(q, last).forEach(function (w, t) {
      marks.add(t);
      postings.get(t).forEach(function (i) { add(i, w); });
    });
    if (aliases.has(q)) {
      var name = aliases.get(q);
      name.forEach(function (t) { marks.add(t); });
      phrase(name).forEach(function (i) { add(i, 3); });
    }
    if (!found.size) {
      // Two words written as one: "doimoi", "jongun".
      for (var cut = 2; cut <= q.length - 2; cut++) {
        var a = q.slice(0, cut); var b = q.slice(cut);
        if (postings.has(a) && postings.has(b)) {
          var both = phrase([a, b]);
          if (both.length) { marks.add(a); marks.add(b); both.forEach(function (i) { add(i, 2); }); break; }
        }
      }
    }
    return found;
  }
  // The docs matching every query word and the facets, best first.
  function find(qs, picks, marks) {
    var hits = [];
    if (!qs.length) {
      for (var i = 0; i < docs.length; i++) if (carries(docs[i], picks)) hits.push([0, i]);
      return hits;
    }
    var units = qs.map(function (q, n) { return unit(q, n === qs.length - 1, marks); });
    units.sort(function (a, b) { return a.size - b.size; });
    units[0].forEach(function (w, i) {
      if (picks.length && !carries(docs[i], picks)) return;
      var score = w;
      for (var u = 1; u < units.length; u++) {
        var x = units[u].get(i);
        if (!x) return;
        score += x;
      }
      var title = words(docs[i].t);
      for (var t = 0; t < title.length; t++) if (marks.has(title[t])) score += 10;
      // The doc a query word names by one of its aliases comes first.
      var named = words((docs[i].a || []).join(' '));
      for (t = 0; t < qs.length; t++) if (named.indexOf(qs[t]) >= 0) score += 30;
      hits.push([score + (docs[i].k === 'Event' ? 1 : 0), i]);
    });
    hits.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    return hits;
  }
  // `text` into `el`, each word of `marks` in a <mark>.
  function marked(el, text, marks) {
    var at = 0; var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      if (!marks.has(fold(m[0]))) continue;
      el.appendChild(document.createTextNode(text.slice(at, m.index)));
      var mk = document.createElement('mark');
      mk.textContent = m[0];
      el.appendChild(mk);
      at = m.index + m[0].length;
    }
    el.appendChild(document.createTextNode(text.slice(at)));
  }
  // About 220 characters of `text` around its first marked word, cut at spaces.
  function excerpt(text, marks) {
    var first = 0; var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) if (marks.has(fold(m[0]))) { first = m.index; break; }
    var start = Math.max(0, first - 70);
    if (start > 0) {
      var sp = text.slice(start, first).search(/\s/);
      start = sp < 0 ? first : start + sp + 1;
    }
    var end = Math.min(text.length, start + 220);
    if (end < text.length) {
      var back = text.slice(0, end).search(/\s\S*$/);
      if (back > first) end = back;
    }
    return (start > 0 ? '… ' : '') + text.slice(start, end).trim() + (end < text.length ? ' …' : '');
  }
  function render(q) {
    list.textContent = '';
    var qs = words(q);
    var picks = chosen();
    if (!qs.length && !picks.length) { status.textContent = ''; return; }
    var marks = new Set();
    var hits = find(qs, picks, marks);
    var frag = document.createDocumentFragment();
    hits.slice(0, SHOWN).forEach(function (h) {
      var d = docs[h[1]];
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = d.u; marked(a, d.t, marks);
      var kind = document.createElement('span');
      kind.className = 'kind'; kind.textContent = d.k;
      var p = document.createElement('p');
      var text = d.x || (d.a ? 'Also called ' + d.a.join(', ') + '.' : '');
      marked(p, excerpt(text, marks), marks);
      li.appendChild(kind); li.appendChild(a); li.appendChild(p);
      frag.appendChild(li);
    });
    list.appendChild(frag);
    status.textContent = hits.length === 0 ? 'No results.' : hits.length + (hits.length === 1 ? ' result' : ' results') + (hits.length > SHOWN ? ', showing the first ' + SHOWN + '.' : '.');
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
    if (docs) render(q);
  }
  fetch(script.getAttribute('data-index')).then(function (r) { return r.json(); }).then(function (d) {
    load(d);
    var params = new URL(location.href).searchParams;
    facets.forEach(function (f) {
      var v = params.get(f.getAttribute('data-facet')) || '';
      f.value = Array.prototype.some.call(f.options, function (o) { return o.value === v; }) ? v : '';
    });
    var q = params.get('q') || '';
    input.value = q;
    render(q);
  }).catch(function () { status.textContent = 'The search index could not be loaded.'; });
  var timer;
  input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(run, 80); });
  facets.forEach(function (f) { f.addEventListener('change', run); });
  if (form) form.addEventListener('submit', function (e) { e.preventDefault(); run(); });
})();
