// The interactive timeline: progressive enhancement over the static list of
// templates/timeline.html. It owns the proportional axis (eras as bands, events placed by
// date and stacked in lanes), zoom and pan (buttons, keys, wheel, pinch), the filters and
// search (state kept in the query string), deep links (#<event id>, with Back), and
// keyboard navigation between events. The focusable element for an event is always its
// own <li id="<event id>"> of the list, so native fragment links and this script agree.
(function () {
  'use strict';
  var island = document.getElementById('timeline-data');
  var app = document.getElementById('timeline-app');
  var list = document.getElementById('tl-list');
  if (!island || !app || !list) return;
  var data = JSON.parse(island.textContent);
  var events = data.events;
  // No prototype: a hash such as #constructor or #__proto__ names no event.
  var byId = Object.create(null);
  if (events.length > 400) list.classList.add('tl-many');
  var MAX_LANES = 5;

  // Dates come as ISO 8601 with astronomical years ("-0489-09" is September 490 BCE, "0000"
  // is 1 BCE), so the axis is one continuous count of years: the year y covers [y, y + 1).
  function yearOf(iso, end) {
    var neg = iso.charAt(0) === '-';
    var p = (neg ? iso.slice(1) : iso).split('-').map(Number);
    if (neg) p[0] = -p[0];
    if (end) {
      if (p.length === 1) return p[0] + 1;
      if (p.length === 2) return p[0] + p[1] / 12;
    }
    return p[0] + ((p[1] || 1) - 1) / 12 + ((p[2] || 1) - 1) / 365;
  }
  function fold(s) {
    return (s || '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }

  events.forEach(function (e, i) {
    e.i = i;
    e.y = yearOf(e.d);
    e.y2 = e.e ? yearOf(e.e, true) : e.y;
    e.li = document.getElementById(e.id);
    e.hay = fold(e.t + ' ' + e.s);
    byId[e.id] = e;
    if (e.li) {
      e.li.tabIndex = -1;
      e.li.setAttribute('aria-label', e.dd + ': ' + e.t);
    }
  });
  var minY = Infinity; var maxY = -Infinity;
  events.forEach(function (e) { minY = Math.min(minY, e.y); maxY = Math.max(maxY, e.y2); });
  data.eras.forEach(function (r) { minY = Math.min(minY, yearOf(r.start)); maxY = Math.max(maxY, yearOf(r.end, true)); });
  if (!isFinite(minY)) return;
  var full = [Math.floor(minY) - 1, Math.ceil(maxY) + 1];
  var view = full.slice();

  // ---- the controls (rendered by the template; see templates/timeline.html)
  // The filters: the site's filter taxonomies, named in the data (each event's terms of
  // them are in its `m`, by name), then the chapter and the era. Each is [name, terms of e].
  var FILTERS = (data.filters || []).map(function (name) {
    return [name, function (e) { return (e.m && Object.prototype.hasOwnProperty.call(e.m, name) && e.m[name]) || []; }];
  }).concat([
    ['chapter', function (e) { return [e.ch]; }],
    ['era', function (e) { return [e.er]; }],
  ]);
  var $ = function (sel) { return app.querySelector(sel); };
  var form = $('.tl-filters');
  // A filter whose menu the template leaves out is absent: it is dropped here, so no state,
  // URL parameter or clear step ever refers to it.
  var selects = Object.create(null);
  FILTERS = FILTERS.filter(function (f) { return (selects[f[0]] = $('#tl-f-' + f[0])); });
  var q = $('#tl-q');
  var count = $('.tl-count');
  var range = $('.tl-range');
  var axis = $('.tl-axis');
  var bands = $('.tl-bands');
  var marks = $('.tl-marks');
  var ticks = $('.tl-ticks');
  var BTN = {
    'tl-zoom-in': function () { zoom(1 / 1.6); }, 'tl-zoom-out': function () { zoom(1.6); },
    'tl-pan-left': function () { pan(-0.25); }, 'tl-pan-right': function () { pan(0.25); },
    'tl-zoom-reset': function () { view = full.slice(); draw(); },
  };
  Object.keys(BTN).forEach(function (id) { $('#' + id).addEventListener('click', BTN[id]); });

  // ---- filtering
  var visible = events.slice();
  function readState() {
    var u = new URLSearchParams(location.search);
    FILTERS.forEach(function (f) {
      var v = u.get(f[0]) || '';
      selects[f[0]].value = Array.prototype.some.call(selects[f[0]].options, function (o) { return o.value === v; }) ? v : '';
    });
    q.value = u.get('q') || '';
  }
  function writeState() {
    var u = new URLSearchParams();
    FILTERS.forEach(function (f) { if (selects[f[0]].value) u.set(f[0], selects[f[0]].value); });
    if (q.value.trim()) u.set('q', q.value.trim());
    var s = u.toString();
    history.replaceState(history.state, '', location.pathname + (s ? '?' + s : '') + location.hash);
  }
  function applyFilters() {
    var words = fold(q.value).split(/\s+/).filter(Boolean);
    var active = FILTERS.filter(function (f) { return selects[f[0]].value; });
    visible = events.filter(function (e) {
      for (var i = 0; i < active.length; i++) if (active[i][1](e).indexOf(selects[active[i][0]].value) < 0) return false;
      for (var j = 0; j < words.length; j++) if (e.hay.indexOf(words[j]) < 0) return false;
      return true;
    });
    var shown = {}; var eras = {};
    visible.forEach(function (e) { shown[e.id] = 1; eras[e.er] = 1; });
    // Only touch what changes: with thousands of events, DOM writes are the cost.
    events.forEach(function (e) { if (e.li && e.li.hidden === !!shown[e.id]) e.li.hidden = !shown[e.id]; });
    Array.prototype.forEach.call(list.querySelectorAll('.tl-era'), function (g) {
      var hide = !eras[g.id.slice(4)];
      if (g.hidden !== hide) g.hidden = hide;
    });
    count.textContent = visible.length === events.length ? 'All ' + events.length + ' events'
      : visible.length + ' of ' + events.length + ' events match';
    draw();
  }
  form.addEventListener('input', function () { applyFilters(); writeState(); });
  form.addEventListener('submit', function (ev) { ev.preventDefault(); });
  $('#tl-clear').addEventListener('click', function () {
    FILTERS.forEach(function (f) { selects[f[0]].value = ''; });
    q.value = ''; applyFilters(); writeState();
  });

  // ---- the axis
  function x(y) { return (y - view[0]) / (view[1] - view[0]) * 100; }
  // The axis width is read only when the window resizes, so that a redraw after a filter
  // change never forces a layout of the whole list in the middle of the script.
  var axisWidth = 0;
  function draw() {
    var w = axisWidth || (axisWidth = axis.clientWidth) || 800;
    bands.textContent = ''; marks.textContent = ''; ticks.textContent = '';
    data.eras.forEach(function (r, i) {
      var a = x(yearOf(r.start)); var b = x(yearOf(r.end, true));
      if (b < 0 || a > 100) return;
      var band = el('div', { class: 'tl-band tl-band-' + (i % 4) });
      band.style.left = Math.max(a, 0) + '%';
      band.style.width = (Math.min(b, 100) - Math.max(a, 0)) + '%';
      band.appendChild(el('span', {}, r.name));
      bands.appendChild(band);
    });
    var span = view[1] - view[0];
    var step = tickStep(span, Math.max(4, w / 90));
    var ce = view[0] < 1 && view[1] > 1;
    // Ticks fall on round years of the historians' count (500 BCE, 400 BCE … 100 CE), which
    // has no year 0: the label n < 0 is the year |n| BCE, at axis position n + 1, and the
    // round number 0 stands for 1 CE (the boundary), unless a tick per year shows it anyway.
    for (var n = Math.ceil(labelOf(view[0]) / step) * step; n <= labelOf(view[1]); n += step) {
      if (n === 0 && step === 1) continue;
      var at = n < 0 ? n + 1 : Math.max(n, 1);
      var tk = el('span', { class: 'tl-tick' }, yearText(at, ce));
      tk.style.left = x(at) + '%';
      ticks.appendChild(tk);
    }
    var lanes = []; var frag = document.createDocumentFragment(); var overflow = null;
    var gap = 26 / w * 100;
    for (var k = 0; k < visible.length; k++) {
      var e = visible[k];
      var px = x(e.y);
      if (px < -2 || px > 102) continue;
      var lane = 0;
      while (lane < lanes.length && lanes[lane] > px - gap) lane++;
      if (lane >= MAX_LANES) {
        if (!overflow || overflow.px < px - gap) {
          overflow = { px: px, n: 0, node: el('button', { class: 'tl-more', type: 'button', tabindex: '-1' }) };
          overflow.node.style.left = px + '%';
          overflow.node.dataset.y = e.y;
          frag.appendChild(overflow.node);
        }
        overflow.n++;
        overflow.node.textContent = '+' + overflow.n;
        continue;
      }
      lanes[lane] = px;
      var m = el('button', { class: 'tl-mark' + (e.x ? ' is-disputed' : '') + (e.id === current ? ' is-current' : ''), type: 'button', tabindex: '-1', 'data-id': e.id, title: e.dd + ': ' + e.t });
      m.style.left = px + '%';
      m.style.top = (lane * 30 + 34) + 'px';
      if (e.y2 > e.y) m.style.setProperty('--span', Math.max(0, (x(e.y2) - px) / 100 * w) + 'px');
      frag.appendChild(m);
    }
    marks.appendChild(frag);
    var a = Math.round(view[0]); var b = Math.round(view[1]);
    range.textContent = b < 1 ? (1 - a) + '–' + (1 - b) + ' BCE'
      : a < 1 ? yearText(a) + ' – ' + yearText(b, true)
      : b < CE_SHOWN_BELOW ? a + '–' + b + ' CE' : a + '–' + b;
  }
  // The year of axis position y in the historians' count: 1 CE is 1, 1 BCE is -1.
  function labelOf(y) { return y < 1 ? y - 1 : y; }
  // Years from 1 CE below this carry their era, as on the pages ("14 CE", "14–68 CE"):
  // without it, a three-digit or smaller number does not read as a year.
  var CE_SHOWN_BELOW = 1000;
  // An axis year as text: "1957", "490 BCE", "30 CE" (below 1000 CE), or "1957 CE" when ce
  // asks for the era.
  function yearText(y, ce) {
    return y < 1 ? (1 - y) + ' BCE' : y + (ce || y < CE_SHOWN_BELOW ? ' CE' : '');
  }
  // The smallest round step (1, 2 or 5 times a power of ten) that puts at most max ticks
  // on a span of years.
  function tickStep(span, max) {
    for (var s = 1; s < 1e7; s *= 10) {
      for (var k = 0; k < 3; k++) if (span / (s * [1, 2, 5][k]) <= max) return s * [1, 2, 5][k];
    }
    return 1e7;
  }
  function clamp() {
    var span = Math.min(view[1] - view[0], full[1] - full[0]);
    span = Math.max(span, 0.5);
    if (view[0] < full[0]) view[0] = full[0];
    view[1] = view[0] + span;
    if (view[1] > full[1]) { view[1] = full[1]; view[0] = full[1] - span; }
  }
  function zoom(f, at) {
    var c = at != null ? at : (current ? byId[current].y : (view[0] + view[1]) / 2);
    view = [c - (c - view[0]) * f, c + (view[1] - c) * f];
    clamp(); draw();
  }
  function pan(f) {
    var d = (view[1] - view[0]) * f;
    view = [view[0] + d, view[1] + d];
    clamp(); draw();
  }
  function reveal(e) {
    if (e.y < view[0] || e.y > view[1]) {
      var span = view[1] - view[0];
      view = [e.y - span / 2, e.y + span / 2];
      clamp();
    }
    draw();
  }
  marks.addEventListener('click', function (ev) {
    var b = ev.target.closest('button');
    if (!b) return;
    if (b.classList.contains('tl-more')) { zoom(1 / 2.5, +b.dataset.y); return; }
    select(b.getAttribute('data-id'), true);
  });
  axis.addEventListener('keydown', function (ev) {
    if (ev.target !== axis) return;
    var k = { ArrowLeft: function () { pan(-0.2); }, ArrowRight: function () { pan(0.2); } }[ev.key];
    if (k) { ev.preventDefault(); k(); }
  });
  axis.addEventListener('wheel', function (ev) {
    ev.preventDefault();
    var r = axis.getBoundingClientRect();
    var at = view[0] + (ev.clientX - r.left) / r.width * (view[1] - view[0]);
    if (Math.abs(ev.deltaX) > Math.abs(ev.deltaY)) pan(ev.deltaX / r.width);
    else zoom(ev.deltaY > 0 ? 1.25 : 0.8, at);
  }, { passive: false });
  var pinch = null;
  axis.addEventListener('touchstart', function (ev) {
    if (ev.touches.length === 2) pinch = Math.abs(ev.touches[0].clientX - ev.touches[1].clientX);
  }, { passive: true });
  axis.addEventListener('touchmove', function (ev) {
    if (pinch && ev.touches.length === 2) {
      var d = Math.abs(ev.touches[0].clientX - ev.touches[1].clientX);
      if (d > 0 && Math.abs(d - pinch) > 12) { zoom(pinch / d); pinch = d; }
      ev.preventDefault();
    }
  }, { passive: false });
  axis.addEventListener('touchend', function () { pinch = null; });

  // ---- selection, deep links and keyboard
  var current = null;
  function select(id, push, noFocus) {
    var e = byId[id];
    if (!e || !e.li) return;
    if (e.li.hidden) { FILTERS.forEach(function (f) { selects[f[0]].value = ''; }); q.value = ''; applyFilters(); writeState(); }
    if (current && byId[current].li) byId[current].li.classList.remove('is-open');
    current = id;
    e.li.classList.add('is-open');
    if (push && location.hash !== '#' + id) history.pushState({ id: id }, '', location.pathname + location.search + '#' + id);
    reveal(e);
    if (!noFocus) e.li.focus();
  }
  function close() {
    if (!current) return;
    var e = byId[current];
    e.li.classList.remove('is-open');
    current = null;
    draw();
    history.pushState({}, '', location.pathname + location.search);
    e.li.focus();
  }
  list.addEventListener('keydown', function (ev) {
    var li = ev.target.closest && ev.target.closest('.tl-event');
    if (!li || ev.target !== li) return;
    var i = visible.indexOf(byId[li.id]);
    var go = null;
    if (ev.key === 'ArrowRight' || ev.key === 'ArrowDown') go = visible[i + 1];
    else if (ev.key === 'ArrowLeft' || ev.key === 'ArrowUp') go = visible[i - 1];
    else if (ev.key === 'Home') go = visible[0];
    else if (ev.key === 'End') go = visible[visible.length - 1];
    else if (ev.key === 'Enter') { ev.preventDefault(); select(li.id, true); return; }
    else if (ev.key === 'Escape') { ev.preventDefault(); close(); return; }
    if (go) { ev.preventDefault(); focusEvent(go); }
  });
  function focusEvent(e) {
    roving(e);
    e.li.focus();
    reveal(e);
  }
  function roving(e) {
    events.forEach(function (x) { if (x.li) x.li.tabIndex = -1; });
    if (e && e.li) e.li.tabIndex = 0;
  }
  list.addEventListener('click', function (ev) {
    var li = ev.target.closest('.tl-event');
    if (li && !ev.target.closest('a')) select(li.id, true);
  });
  list.addEventListener('focusin', function (ev) {
    var li = ev.target.closest && ev.target.closest('.tl-event');
    if (li && byId[li.id]) { roving(byId[li.id]); markCurrent(li.id); }
  });
  function markCurrent(id) {
    Array.prototype.forEach.call(marks.querySelectorAll('.is-focus'), function (m) { m.classList.remove('is-focus'); });
    var m = marks.querySelector('[data-id="' + id + '"]');
    if (m) m.classList.add('is-focus');
  }
  document.addEventListener('keydown', function (ev) {
    if (ev.target.closest && ev.target.closest('input, select, textarea')) return;
    if (!app.contains(ev.target) && !list.contains(ev.target) && ev.target !== document.body) return;
    if (ev.key === '+' || ev.key === '=') { ev.preventDefault(); zoom(1 / 1.6); }
    else if (ev.key === '-' || ev.key === '_') { ev.preventDefault(); zoom(1.6); }
  });
  // A malformed hash (#%E0%A4%A) names no event: decodeURIComponent would throw and stop
  // the timeline from starting.
  function fromHash(push) {
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { id = ''; }
    if (byId[id]) select(id, push);
    else if (current) { byId[current].li.classList.remove('is-open'); current = null; draw(); }
  }
  window.addEventListener('popstate', function () { fromHash(false); });
  window.addEventListener('hashchange', function () { fromHash(false); });
  window.addEventListener('resize', function () { axisWidth = 0; draw(); });

  readState();
  applyFilters();
  roving(visible[0]);
  if (location.hash) fromHash(false);
  window.__timeline = { zoom: zoom, applyFilters: applyFilters, view: function () { return view.slice(); } };
})();
