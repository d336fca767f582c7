// The search page: loads search.json (chapters by section, events, registry entries) and
// finds entries containing every word of the query, accents ignored ("Sao" finds
// "São"). The facets (a menu per filter taxonomy, `data-facet`) keep only the events
// carrying the chosen terms (each event's terms are its `m`), and list them all when there
// is no query. Results are plain links, so Tab and Enter are all a keyboard needs; the
// query and the facets live in the address (?q=&people=…) so a search can be shared. No
// dependencies.
(function () {
  'use strict';
  var script = document.currentScript;
  var input = document.getElementById('q');
  var list = document.getElementById('search-results');
  var status = document.getElementById('search-status');
  var form = input && input.form;
  if (!input || !list) return;
  var docs = null;
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
  function render(q) {
    list.textContent = '';
    var words = fold(q).split(/\s+/).filter(Boolean);
    var picks = chosen();
    if (!words.length && !picks.length) { status.textContent = ''; return; }
    var hits = [];
    for (var i = 0; i < docs.length; i++) {
      var d = docs[i];
      if (picks.length && !carries(d, picks)) continue;
      var title = fold(d.t);
      var hay = d._h || (d._h = fold(d.t + ' ' + d.x + ' ' + (d.f || '')));
      var ok = true; var score = 0;
      for (var w = 0; w < words.length; w++) {
        if (hay.indexOf(words[w]) < 0) { ok = false; break; }
        if (title.indexOf(words[w]) >= 0) score += 10;
      }
      if (ok) hits.push([score + (d.k === 'Event' ? 1 : 0), i]);
    }
    hits.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    var frag = document.createDocumentFragment();
    hits.slice(0, 50).forEach(function (h) {
      var d = docs[h[1]];
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = d.u; a.textContent = d.t;
      var kind = document.createElement('span');
      kind.className = 'kind'; kind.textContent = d.k;
      var p = document.createElement('p');
      p.textContent = excerpt(d.x, words);
      li.appendChild(kind); li.appendChild(a); li.appendChild(p);
      frag.appendChild(li);
    });
    list.appendChild(frag);
    status.textContent = hits.length === 0 ? 'No results.' : hits.length + (hits.length === 1 ? ' result' : ' results') + (hits.length > 50 ? ', showing the first 50.' : '.');
  }
  function excerpt(text, words) {
    var f = fold(text);
    var at = words.length ? f.indexOf(words[0]) : 0;
    var start = Math.max(0, at - 60);
    var s = text.slice(start, start + 200);
    return (start > 0 ? '… ' : '') + s + (start + 200 < text.length ? ' …' : '');
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
    docs = d;
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
