// The search page: loads search.json (chapters by section, events, people, places) and
// finds entries containing every word of the query, accents ignored ("Sao" finds
// "São"). Results are plain links, so Tab and Enter are all a keyboard needs; the query
// lives in the address (?q=) so a search can be shared. No dependencies.
(function () {
  'use strict';
  var script = document.currentScript;
  var input = document.getElementById('q');
  var list = document.getElementById('search-results');
  var status = document.getElementById('search-status');
  var form = input && input.form;
  if (!input || !list) return;
  var docs = null;
  function fold(s) {
    return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
  }
  function render(q) {
    list.textContent = '';
    var words = fold(q).split(/\s+/).filter(Boolean);
    if (!words.length) { status.textContent = ''; return; }
    var hits = [];
    for (var i = 0; i < docs.length; i++) {
      var d = docs[i];
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
    var at = f.indexOf(words[0]);
    var start = Math.max(0, at - 60);
    var s = text.slice(start, start + 200);
    return (start > 0 ? '… ' : '') + s + (start + 200 < text.length ? ' …' : '');
  }
  function run() {
    var q = input.value.trim();
    var url = new URL(location.href);
    if (q) url.searchParams.set('q', q); else url.searchParams.delete('q');
    history.replaceState(null, '', url);
    if (docs) render(q);
  }
  fetch(script.getAttribute('data-index')).then(function (r) { return r.json(); }).then(function (d) {
    docs = d;
    var q = new URL(location.href).searchParams.get('q');
    if (q) { input.value = q; render(q); }
  }).catch(function () { status.textContent = 'The search index could not be loaded.'; });
  var timer;
  input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(run, 80); });
  if (form) form.addEventListener('submit', function (e) { e.preventDefault(); run(); });
})();
