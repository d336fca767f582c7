// The interactive timeline, over the page templates/timeline.html renders (which, without
// scripts, lists the eras with links to their pages of events). It owns: loading the
// events' index as the reader needs it (the page names the files, a run of events each:
// all of them up to LOAD_ALL events, otherwise those in view), the axis (eras as bands,
// each event a labelled marker laid out in rows without collisions, the rest in clusters
// that open as a list), the detail view of one event (its card, fetched from its era's
// page, with the neighbours on previous and next; a bottom sheet on a phone), direct
// manipulation (drag, swipe and pinch; Ctrl+wheel zooms about the pointer; the plain wheel
// scrolls the page), the filters and search (their state in the query string), story mode
// (?story=<chapter>: one chapter's events, slide by slide), deep links (#<event id>, with
// Back) and the keyboard (a roving tabindex over the markers and clusters).
(function () {
  'use strict';
  var D = document;
  var island = D.getElementById('timeline-data');
  var app = D.getElementById('timeline-app');
  if (!island || !app) return;
  var data = JSON.parse(island.textContent);
  // The labels, in the page's language (templates/timeline.html, from the catalogue).
  var L = JSON.parse((D.getElementById('timeline-text') || {}).textContent || '{}');
  var PR = new Intl.PluralRules(L.lang || 'en');
  function tr(k, a) {
    var m = L[k] || k;
    if (typeof m === 'object') m = m[PR.select(a.count)] || m.other;
    return m.replace(/\{(\w+)\}/g, function (_, n) {
      var v = a[n];
      return typeof v === 'number' ? String(v).replace(/\B(?=(\d{3})+$)/g, L.group || '') : v;
    });
  }
  var LOAD_ALL = 20000; // events loaded at once, at most (beyond it, those in view)
  var ROW = 30; // px between rows of markers
  var TOP = 30; // px above the first row (the era names)
  var $ = function (s) { return app.querySelector(s); };
  function el(tag, cls, text) {
    var e = D.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function fold(s) {
    return (s || '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
  }
  // Dates come as ISO 8601 with astronomical years ("-0489-09" is September 490 BCE), so
  // the axis is one count of years: the year y covers [y, y + 1).
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

  // ---- the index: runs of events, each loaded once
  var chunks = [];
  data.groups.forEach(function (g, gi) {
    g.chunks.forEach(function (c) {
      c.g = gi; c.y = yearOf(c.a); c.y2 = yearOf(c.b, true);
      chunks.push(c);
    });
  });
  var events = []; // loaded, in date order
  var byId = Object.create(null); // no prototype: #constructor names no event
  var loaded = 0;
  function load(c) {
    if (!c.p) {
      c.p = fetch(c.url).then(function (r) { return r.json(); }).then(function (rows) {
        rows.forEach(function (r) {
          var e = { id: r[0], d: r[1], e: r[2], t: r[3], dd: r[4], ch: r[5], x: r[6], m: r[7], w: r[8], p: r[9], g: c.g };
          e.y = yearOf(e.d); e.y2 = e.e ? yearOf(e.e, true) : e.y;
          e.lw = Math.min(e.t.length, 30) * 6.4 + 26;
          byId[e.id] = e; events.push(e);
        });
        c.done = true; loaded += rows.length;
        events.sort(function (a, b) { return a.y - b.y || (a.id < b.id ? -1 : 1); });
      });
    }
    return c.p;
  }
  // Loads what the view needs: every run when all fit, else the runs in view if they do.
  function loadNeeded() {
    var want = data.count <= LOAD_ALL || story ? chunks : chunks.filter(function (c) { return c.y2 >= view[0] && c.y <= view[1]; });
    var n = want.reduce(function (s, c) { return s + c.n; }, 0);
    if (n > LOAD_ALL && !story) return Promise.resolve();
    var todo = want.filter(function (c) { return !c.done; });
    if (!todo.length) return Promise.resolve();
    return Promise.all(todo.map(load)).then(function () { applyFilters(); });
  }

  // ---- the axis's extent: the eras and every run, padded so the ends' markers are whole
  var minY = Infinity; var maxY = -Infinity;
  chunks.forEach(function (c) { minY = Math.min(minY, c.y); maxY = Math.max(maxY, c.y2); });
  data.eras.forEach(function (r) { minY = Math.min(minY, yearOf(r.start)); maxY = Math.max(maxY, yearOf(r.end, true)); });
  if (!isFinite(minY)) return;
  var pad = Math.max((maxY - minY) * 0.03, 0.5);
  var full = [minY - pad, maxY + pad];
  var view = full.slice();

  // ---- controls
  var form = $('.tl-filters');
  var q = $('#tl-q');
  var count = $('.tl-count');
  var axis = $('.tl-axis');
  var bands = $('.tl-bands');
  var marks = $('.tl-marks');
  var ticks = $('.tl-ticks');
  var detail = $('#tl-detail');
  var range = $('.tl-range');
  var foldBtn = $('#tl-fold');
  var storySel = $('#tl-story');
  // The filters: each filter taxonomy (an event's `m` holds indexes into its menu), then
  // the chapter and the era (indexes too). A menu the template leaves out is dropped.
  var FILTERS = data.filters.map(function (name, k) {
    return [name, function (e, i) { return e.m[k].indexOf(i) >= 0; }];
  }).concat([
    ['chapter', function (e, i) { return e.ch === i; }],
    ['era', function (e, i) { return e.g === i; }],
  ]).filter(function (f) { return (f[2] = $('#tl-f-' + f[0])); });
  var chapterSel = $('#tl-f-chapter');
  if (storySel && chapterSel) {
    Array.prototype.slice.call(chapterSel.options, 1).forEach(function (o) { storySel.add(new Option(o.text, o.value)); });
  }
  var BTN = {
    'tl-zoom-in': function () { zoom(1 / 1.6); }, 'tl-zoom-out': function () { zoom(1.6); },
    'tl-pan-left': function () { pan(-0.25); }, 'tl-pan-right': function () { pan(0.25); },
    'tl-zoom-reset': function () { view = full.slice(); changed(); },
  };
  Object.keys(BTN).forEach(function (id) { $('#' + id).addEventListener('click', BTN[id]); });
  foldBtn.addEventListener('click', function () {
    var open = foldBtn.getAttribute('aria-expanded') !== 'true';
    foldBtn.setAttribute('aria-expanded', open);
    app.classList.toggle('tl-open', open);
  });

  // ---- filtering
  var visible = [];
  var story = null; // { ch: chapter index, slug }
  function readState() {
    var u = new URLSearchParams(location.search);
    FILTERS.forEach(function (f) {
      var v = u.get(f[0]) || '';
      f[2].value = Array.prototype.some.call(f[2].options, function (o) { return o.value === v; }) ? v : '';
    });
    q.value = u.get('q') || '';
    setStory(u.get('story'));
  }
  function writeState() {
    var u = new URLSearchParams();
    FILTERS.forEach(function (f) { if (f[2].value) u.set(f[0], f[2].value); });
    if (q.value.trim()) u.set('q', q.value.trim());
    if (story) u.set('story', story.slug);
    var s = u.toString();
    history.replaceState(history.state, '', location.pathname + (s ? '?' + s : '') + location.hash);
  }
  function setStory(slug) {
    var i = -1;
    if (slug && chapterSel) Array.prototype.forEach.call(chapterSel.options, function (o, k) { if (o.value === slug) i = k - 1; });
    story = i >= 0 ? { ch: i, slug: slug, name: chapterSel.options[i + 1].text } : null;
    if (storySel) storySel.value = story ? slug : '';
  }
  function applyFilters() {
    var words = fold(q.value).split(/\s+/).filter(Boolean);
    var active = FILTERS.filter(function (f) { return f[2].value; });
    visible = events.filter(function (e) {
      for (var i = 0; i < active.length; i++) if (!active[i][1](e, active[i][2].selectedIndex - 1)) return false;
      if (words.length) {
        if (!e.hay) e.hay = fold(e.t + ' ' + e.w + ' ' + e.dd);
        for (var j = 0; j < words.length; j++) if (e.hay.indexOf(words[j]) < 0) return false;
      }
      return true;
    });
    var n = active.length + (words.length ? 1 : 0);
    foldBtn.querySelector('.tl-active').textContent = n ? tr('active', { count: n }) : '';
    var all = loaded === data.count;
    var total = tr('events', { count: data.count });
    count.textContent = visible.length === events.length && all ? total
      : !loaded ? tr('unloaded', { total: total })
      : all ? tr('match', { shown: visible.length, total: total, count: visible.length })
      : tr('match-loaded', { shown: visible.length, loaded: loaded, count: visible.length });
    draw();
  }
  form.addEventListener('input', function (ev) {
    if (ev.target === storySel) { startStory(storySel.value); return; }
    applyFilters(); writeState();
  });
  form.addEventListener('submit', function (ev) { ev.preventDefault(); });
  $('#tl-clear').addEventListener('click', function () {
    FILTERS.forEach(function (f) { f[2].value = ''; });
    q.value = ''; applyFilters(); writeState();
  });

  // ---- drawing the axis
  var W = 0; // the axis's width, read again only when the window resizes
  function x(y) { return (y - view[0]) / (view[1] - view[0]) * W; }
  function draw() {
    W = W || axis.clientWidth || 800;
    var rows = Math.max(3, Math.floor((axis.clientHeight - TOP - 34) / ROW) || 5);
    bands.textContent = ''; ticks.textContent = '';
    var frag = D.createDocumentFragment();
    data.eras.forEach(function (r, i) {
      var a = x(yearOf(r.start)); var b = x(yearOf(r.end, true));
      if (b < 0 || a > W) return;
      var band = el('div', 'tl-band tl-band-' + (i % 4));
      var l = Math.max(a, 0); var w = Math.min(b, W) - l;
      band.style.left = l + 'px'; band.style.width = w + 'px';
      // Its name, or an abbreviation with the whole name as its title and label: a button
      // that shows the whole era.
      var name = fit(r.name, w - 12);
      if (name) {
        var btn = el('button', 'tl-era-name', name);
        btn.type = 'button'; btn.title = r.name;
        btn.setAttribute('aria-label', tr('show-era', { name: r.name }));
        btn.dataset.era = i;
        band.appendChild(btn);
      }
      frag.appendChild(band);
    });
    bands.appendChild(frag);
    drawTicks();
    drawMarks(rows);
  }
  // An era's name in `w` px: whole, else its first word, else its initials; never cut.
  var ctx = D.createElement('canvas').getContext('2d');
  function width(t) { ctx.font = '600 12px system-ui, sans-serif'; return ctx.measureText(t).width + 10; }
  function fit(name, w) {
    var words = name.split(/\s+/).filter(function (w) { return !/^(the|a|an|of|and|to|in|la|le|les|de|der|die|das)$/i.test(w); });
    if (!words.length) words = [name];
    var tries = [name, words[0] + '…', words.map(function (s) { return s.charAt(0).toUpperCase(); }).join('')];
    for (var i = 0; i < tries.length; i++) if (tries[i] && width(tries[i]) <= w) return tries[i];
    return '';
  }
  function drawTicks() {
    var span = view[1] - view[0];
    var step = tickStep(span, Math.max(3, W / 90));
    var ce = view[0] < 1 && view[1] > 1;
    for (var n = Math.ceil(labelOf(view[0]) / step) * step; n <= labelOf(view[1]); n += step) {
      if (n === 0 && step === 1) continue;
      var at = n < 0 ? n + 1 : Math.max(n, 1);
      var px = x(at);
      var tk = el('span', 'tl-tick', yearText(at, ce));
      // A tick near an end is aligned inside the axis, so its label is never cut.
      tk.style.left = px + 'px';
      if (px < 24) tk.style.transform = 'none';
      else if (px > W - 24) tk.style.transform = 'translateX(-100%)';
      ticks.appendChild(tk);
    }
  }
  // Markers in rows: each event takes the first row where its label fits, else a row where
  // its dot does; the rest join the cluster of their place, a button that opens them.
  var clusters = [];
  function drawMarks(rows) {
    marks.textContent = '';
    clusters = [];
    var ends = []; for (var r = 0; r < rows - 1; r++) ends.push(-1e9);
    var frag = D.createDocumentFragment(); var cl = null;
    for (var k = 0; k < visible.length; k++) {
      var e = visible[k];
      var px = x(e.y);
      if (px < -8 || px > W + 8) continue;
      var row = -1; var label = false;
      for (r = 0; r < ends.length; r++) if (ends[r] < px - 12 && px + e.lw <= W) { row = r; label = true; break; }
      if (row < 0) for (r = 0; r < ends.length; r++) if (ends[r] < px - 14) { row = r; break; }
      if (row < 0) {
        if (!cl || cl.px < px - 50) {
          cl = { px: px, list: [] };
          clusters.push(cl);
        }
        cl.list.push(e);
        continue;
      }
      ends[row] = px + (label ? e.lw : 14);
      frag.appendChild(marker(e, px, row, label));
    }
    clusters.forEach(function (c, i) {
      var b = el('button', 'tl-more', '+' + c.list.length);
      b.type = 'button'; b.tabIndex = -1; b.dataset.cluster = i;
      b.setAttribute('aria-label', tr('cluster', { count: c.list.length, date: c.list[0].dd }));
      b.style.left = Math.max(8, Math.min(c.px, W - 40)) + 'px'; b.style.top = (TOP + (rows - 1) * ROW) + 'px';
      c.b = b;
      frag.appendChild(b);
    });
    // Runs of events not loaded (on a very large timeline): bars, as tall as they hold
    // events, each a button that zooms in on its years.
    var bins = []; var bin = null;
    chunks.filter(function (c) { return !c.done; }).sort(function (a, b) { return a.y - b.y; }).forEach(function (c) {
      var a = x(c.y); var b = x(c.y2);
      if (b < 0 || a > W) return;
      if (bin && a < bin.b + 4 && bin.b - bin.a < 48) { bin.b = Math.max(bin.b, b); bin.y2 = Math.max(bin.y2, c.y2); bin.n += c.n; return; }
      bins.push(bin = { a: a, b: b, y: c.y, y2: c.y2, n: c.n });
    });
    var most = bins.reduce(function (m, r) { return Math.max(m, r.n); }, 1);
    bins.forEach(function (r) {
      var a = Math.max(r.a, 0); var w = Math.max(Math.min(r.b, W) - a, 30);
      a = Math.min(a, W - w);
      var h = 24 + Math.round(r.n / most * (ROW * (rows - 1) - 24));
      var s = el('button', 'tl-run', w >= 40 ? (r.n >= 1e3 ? (r.n / 1e3).toFixed(1) + 'k' : r.n) : '');
      s.type = 'button'; s.tabIndex = -1;
      s.setAttribute('aria-label', tr('run', { count: r.n, from: yearText(Math.floor(r.y)), to: yearText(Math.floor(r.y2)) }));
      s.dataset.run = JSON.stringify([r.y, r.y2]);
      s.style.left = a + 'px'; s.style.width = w + 'px'; s.style.height = h + 'px';
      s.style.top = (TOP + ROW * (rows - 1) - h) + 'px';
      frag.appendChild(s);
    });
    marks.appendChild(frag);
    rove(null);
    var a = Math.round(view[0]); var b = Math.round(view[1]);
    var d = L.date || {};
    range.textContent = b < 1 ? dt(d.years_bce, { from: String(1 - a), to: String(1 - b) })
      : a < 1 ? dt(d.span, { from: yearText(a), to: yearText(b, true) })
      : dt(b < CE_SHOWN_BELOW ? d.years_ce : d.years, { from: String(a), to: String(b) });
  }
  function marker(e, px, row, label) {
    var m = el('button', 'tl-mark' + (e.x ? ' is-disputed' : '') + (current === e ? ' is-current' : '') + (label ? '' : ' no-label'));
    m.type = 'button'; m.tabIndex = -1; m.dataset.id = e.id;
    m.title = e.dd + ': ' + e.t;
    m.style.left = px + 'px'; m.style.top = (TOP + row * ROW) + 'px';
    if (label) m.appendChild(el('span', 'tl-label', e.t));
    else m.setAttribute('aria-label', e.dd + ': ' + e.t);
    if (e.y2 > e.y) m.style.setProperty('--span', Math.max(0, Math.min(x(e.y2), W) - px) + 'px');
    return m;
  }
  function labelOf(y) { return y < 1 ? y - 1 : y; }
  var CE_SHOWN_BELOW = 1000;
  // A date pattern of the catalogue filled: the axis's years in the page's language.
  function dt(p, a) { return (p || '{from}–{to}').replace(/\{(\w+)\}/g, function (_, n) { return a[n]; }); }
  function yearText(y, ce) {
    var d = L.date || {};
    return dt(y < 1 ? d.year_bce : ce || y < CE_SHOWN_BELOW ? d.year_ce : d.year, { year: String(y < 1 ? 1 - y : y) });
  }
  function tickStep(span, max) {
    for (var s = 1; s < 1e7; s *= 10) {
      for (var k = 0; k < 3; k++) if (span / (s * [1, 2, 5][k]) <= max) return s * [1, 2, 5][k];
    }
    return 1e7;
  }

  // ---- zoom and pan
  function clamp() {
    var span = Math.max(Math.min(view[1] - view[0], full[1] - full[0]), 0.25);
    if (view[0] < full[0]) view[0] = full[0];
    view[1] = view[0] + span;
    if (view[1] > full[1]) { view[1] = full[1]; view[0] = full[1] - span; }
  }
  function changed() { clamp(); draw(); loadNeeded(); }
  function zoom(f, at) {
    var c = at != null ? at : current ? current.y : (view[0] + view[1]) / 2;
    view = [c - (c - view[0]) * f, c + (view[1] - c) * f];
    changed();
  }
  function pan(f) {
    var d = (view[1] - view[0]) * f;
    view = [view[0] + d, view[1] + d];
    changed();
  }
  function yAt(clientX) {
    var r = axis.getBoundingClientRect();
    return view[0] + (clientX - r.left) / r.width * (view[1] - view[0]);
  }
  // Ctrl+wheel (and a trackpad's pinch) zooms about the pointer, a sideways wheel pans;
  // the plain wheel is the page's.
  axis.addEventListener('wheel', function (ev) {
    if (ev.ctrlKey) { ev.preventDefault(); zoom(ev.deltaY > 0 ? 1.25 : 0.8, yAt(ev.clientX)); }
    else if (Math.abs(ev.deltaX) > Math.abs(ev.deltaY)) { ev.preventDefault(); pan(ev.deltaX / W); }
  }, { passive: false });
  // Dragging with a mouse, a pen or one finger pans; two fingers pinch about their middle.
  var ptrs = {}; var drag = null; var moved = false;
  axis.addEventListener('pointerdown', function (ev) {
    ptrs[ev.pointerId] = ev.clientX;
    var ids = Object.keys(ptrs);
    drag = { x: ev.clientX, view: view.slice(), d: ids.length === 2 ? Math.abs(ptrs[ids[0]] - ptrs[ids[1]]) : 0 };
    moved = false;
  });
  axis.addEventListener('pointermove', function (ev) {
    if (!drag || !(ev.pointerId in ptrs)) return;
    ptrs[ev.pointerId] = ev.clientX;
    var ids = Object.keys(ptrs);
    if (ids.length === 2 && drag.d) {
      var a = ptrs[ids[0]]; var b = ptrs[ids[1]];
      var d = Math.abs(a - b);
      if (d > 10) {
        var mid = yAt((a + b) / 2);
        view = [mid - (mid - view[0]) * drag.d / d, mid + (view[1] - mid) * drag.d / d];
        drag.d = d; moved = true; clamp(); draw();
      }
      return;
    }
    var dx = ev.clientX - drag.x;
    if (!moved && Math.abs(dx) < 6) return;
    if (!moved) axis.setPointerCapture(ev.pointerId);
    moved = true;
    var dy = dx / W * (drag.view[1] - drag.view[0]);
    view = [drag.view[0] - dy, drag.view[1] - dy];
    clamp(); draw();
  });
  function up(ev) {
    delete ptrs[ev.pointerId];
    if (!Object.keys(ptrs).length && drag) { drag = null; if (moved) loadNeeded(); }
  }
  axis.addEventListener('pointerup', up);
  axis.addEventListener('pointercancel', up);

  // ---- clicks and the keyboard on the axis
  axis.addEventListener('click', function (ev) {
    if (moved) { moved = false; ev.preventDefault(); return; }
    var b = ev.target.closest('button');
    if (!b) return;
    if (b.dataset.id) select(byId[b.dataset.id], true);
    else if (b.dataset.cluster) openCluster(clusters[+b.dataset.cluster], b);
    else if (b.dataset.run) { view = JSON.parse(b.dataset.run); changed(); }
    else if (b.dataset.era) { var r = data.eras[+b.dataset.era]; view = [yearOf(r.start), yearOf(r.end, true)]; changed(); }
  });
  // One button of the axis is in the tab order: the current event's, the focused, or the
  // first; the arrows move between all of them (markers, clusters, runs) in place order.
  function buttons() {
    return Array.prototype.slice.call(marks.querySelectorAll('button')).sort(function (a, b) { return parseFloat(a.style.left) - parseFloat(b.style.left); });
  }
  function rove(to) {
    var all = buttons();
    var keep = to || marks.querySelector('[tabindex="0"]') || (current && marks.querySelector('[data-id="' + cssId(current.id) + '"]')) || all[0];
    all.forEach(function (b) { b.tabIndex = b === keep ? 0 : -1; });
    axis.tabIndex = all.length ? -1 : 0;
  }
  function cssId(s) { return s.replace(/["\\]/g, '\\$&'); }
  axis.addEventListener('keydown', function (ev) {
    var b = ev.target.closest && ev.target.closest('.tl-marks button');
    var all = buttons(); var i = all.indexOf(b);
    var to = null;
    if (ev.key === 'ArrowRight') to = b ? all[i + 1] : null;
    else if (ev.key === 'ArrowLeft') to = b ? all[i - 1] : null;
    else if (ev.key === 'Home') to = all[0];
    else if (ev.key === 'End') to = all[all.length - 1];
    if (to) { ev.preventDefault(); rove(to); to.focus(); return; }
    if ((ev.key === 'ArrowRight' || ev.key === 'ArrowLeft') && (b || ev.target === axis)) {
      ev.preventDefault(); pan(ev.key === 'ArrowRight' ? 0.25 : -0.25);
      var next = buttons()[ev.key === 'ArrowRight' ? 'shift' : 'pop']();
      if (next) { rove(next); next.focus(); }
    }
  });
  D.addEventListener('keydown', function (ev) {
    if (ev.target.closest && ev.target.closest('input, select, textarea')) return;
    if (!app.contains(ev.target) && ev.target !== D.body) return;
    if (ev.key === '+' || ev.key === '=') { ev.preventDefault(); zoom(1 / 1.6); }
    else if (ev.key === '-' || ev.key === '_') { ev.preventDefault(); zoom(1.6); }
    else if (ev.key === 'Escape' && current) { ev.preventDefault(); close(); }
  });

  // A cluster opens as a list of its events, in one step.
  var pop = null;
  function openCluster(c, b) {
    closePop();
    pop = el('div', 'tl-pop');
    pop.setAttribute('role', 'dialog'); pop.setAttribute('aria-label', tr('list', { count: c.list.length }));
    var ul = el('ul');
    c.list.slice(0, 60).forEach(function (e) {
      var li = el('li'); var btn = el('button', 'tl-pick', e.dd + ': ' + e.t);
      btn.type = 'button'; btn.onclick = function () { closePop(); select(e, true); };
      li.appendChild(btn); ul.appendChild(li);
    });
    if (c.list.length > 60) {
      var z = el('button', 'tl-pick', tr('zoom-all', { count: c.list.length }));
      z.type = 'button'; z.onclick = function () { closePop(); view = [c.list[0].y - 0.5, c.list[c.list.length - 1].y + 0.5]; changed(); };
      ul.appendChild(z);
    }
    pop.appendChild(ul);
    pop.style.left = Math.min(c.px, W - 260) + 'px';
    pop.addEventListener('keydown', function (ev) {
      if (ev.key === 'Escape') { ev.stopPropagation(); closePop(); b.focus(); }
    });
    axis.parentNode.appendChild(pop);
    pop.querySelector('button').focus();
  }
  function closePop() { if (pop) { pop.remove(); pop = null; } }
  D.addEventListener('click', function (ev) { if (pop && !pop.contains(ev.target) && !ev.target.closest('.tl-more')) closePop(); });

  // ---- the detail view: the event's card, fetched from its era's page
  var current = null;
  var pages = {};
  function card(e) {
    var url = data.groups[e.g].pages[e.p];
    if (!pages[url]) {
      pages[url] = fetch(url).then(function (r) { return r.text(); })
        .then(function (t) { return new DOMParser().parseFromString(t, 'text/html'); });
    }
    return pages[url].then(function (doc) { return doc.getElementById(e.id); });
  }
  // The events prev/next step through: a story's, or those shown.
  function sequence() {
    return story ? events.filter(function (e) { return e.ch === story.ch; }) : visible;
  }
  function select(e, push, focus) {
    if (!e) return;
    closePop();
    if (!story && visible.indexOf(e) < 0) { FILTERS.forEach(function (f) { f[2].value = ''; }); q.value = ''; applyFilters(); writeState(); }
    current = e;
    if (push && location.hash !== '#' + e.id) history.pushState({ id: e.id }, '', location.pathname + location.search + '#' + e.id);
    if (e.y < view[0] || e.y > view[1]) { var s = view[1] - view[0]; view = [e.y - s / 2, e.y + s / 2]; clamp(); }
    draw();
    // An event inside a cluster is zoomed in on until its marker shows.
    var m; var n = 0;
    while (!(m = marks.querySelector('[data-id="' + cssId(e.id) + '"]')) && n++ < 16 && view[1] - view[0] > 0.3) {
      view = [e.y - (e.y - view[0]) / 2, e.y + (view[1] - e.y) / 2]; clamp(); draw();
    }
    if (m) rove(m);
    showDetail(e, focus);
    loadNeeded();
  }
  function showDetail(e, focus) {
    var seq = sequence(); var i = seq.indexOf(e);
    detail.textContent = '';
    detail.hidden = false;
    app.classList.add('tl-has-detail');
    var top = el('div', 'tl-detail-bar');
    if (story) {
      top.appendChild(el('p', 'tl-story-note', tr('story', { name: story.name, number: i + 1, count: seq.length })));
      var end = el('button', 'tl-btn', tr('end-story', {})); end.type = 'button'; end.onclick = endStory;
      top.appendChild(end);
    }
    var x = el('button', 'tl-btn tl-close', '×'); x.type = 'button';
    x.setAttribute('aria-label', tr('close', {})); x.title = tr('close', {}); x.onclick = close;
    top.appendChild(x);
    detail.appendChild(top);
    var body = el('div', 'tl-slide');
    body.appendChild(el('p', 'event-date', e.dd));
    body.appendChild(el('h2', 'tl-slide-title', e.t));
    detail.appendChild(body);
    var nav = el('nav', 'tl-steps'); nav.setAttribute('aria-label', tr('steps', {}));
    [[seq[i - 1], tr('prev', {}), 'tl-prev'], [seq[i + 1], tr('next', {}), 'tl-next']].forEach(function (s) {
      if (!s[0]) { nav.appendChild(el('span')); return; }
      var b = el('button', 'tl-step ' + s[2]); b.type = 'button';
      b.appendChild(el('span', 'tl-step-k', s[1]));
      b.appendChild(el('span', 'tl-step-t', s[0].dd + ': ' + s[0].t));
      b.onclick = function () { select(s[0], true, true); };
      nav.appendChild(b);
    });
    detail.appendChild(nav);
    detail.setAttribute('aria-label', e.t);
    detail.dataset.id = e.id;
    card(e).then(function (li) {
      if (current !== e || !li) return;
      body.innerHTML = li.innerHTML;
      // The card's heading is one level below the page's: here it heads the slide.
      var h3 = body.querySelector('h3.event-title');
      if (h3) {
        var h2 = el('h2', 'event-title tl-slide-title'); h2.id = h3.id;
        while (h3.firstChild) h2.appendChild(h3.firstChild);
        h3.replaceWith(h2);
      }
      var h = body.querySelector('.event-title');
      var a = h && h.querySelector('a');
      if (a) {
        var more = el('p', 'tl-more-link'); var link = el('a', '', tr('more', {}));
        link.href = a.getAttribute('href'); more.appendChild(link); body.appendChild(more);
      }
    }, function () {});
    if (focus) detail.focus({ preventScroll: true });
    // The detail and the axis together on screen: on a phone, the axis above the sheet.
    if (matchMedia('(max-width: 40rem)').matches) {
      var ar = axis.getBoundingClientRect();
      if (Math.abs(ar.top - 8) > 4) scrollBy(0, ar.top - 8);
      return;
    }
    var stage = detail.parentNode.getBoundingClientRect();
    if (stage.top < 0 || stage.bottom > innerHeight) stage.height < innerHeight ? detail.parentNode.scrollIntoView({ block: 'nearest' }) : detail.scrollIntoView({ block: 'start' });
  }
  function close() {
    if (!current) return;
    var e = current;
    current = null;
    detail.hidden = true;
    app.classList.remove('tl-has-detail');
    history.pushState({}, '', location.pathname + location.search);
    draw();
    var m = marks.querySelector('[data-id="' + cssId(e.id) + '"]');
    if (m) { rove(m); m.focus(); }
  }
  detail.addEventListener('keydown', function (ev) {
    if (ev.target.closest('a, button')) return;
    var b = ev.key === 'ArrowRight' ? '.tl-next' : ev.key === 'ArrowLeft' ? '.tl-prev' : null;
    if (b && detail.querySelector(b)) { ev.preventDefault(); detail.querySelector(b).click(); }
  });
  // On a phone the detail is a bottom sheet: a sideways swipe moves to the neighbour.
  var sw = null;
  detail.addEventListener('touchstart', function (ev) { sw = ev.touches.length === 1 ? [ev.touches[0].clientX, ev.touches[0].clientY] : null; }, { passive: true });
  detail.addEventListener('touchend', function (ev) {
    if (!sw) return;
    var t = ev.changedTouches[0]; var dx = t.clientX - sw[0]; var dy = t.clientY - sw[1];
    sw = null;
    if (Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy)) {
      var b = detail.querySelector(dx < 0 ? '.tl-next' : '.tl-prev');
      if (b) b.click();
    }
  });

  // ---- story mode: one chapter's events, in order, slide by slide
  function startStory(slug) {
    setStory(slug);
    writeState();
    if (!story) { endStory(); return; }
    loadNeeded().then(function () {
      var seq = sequence();
      if (seq.length) select(seq[0], true, true);
    });
  }
  function endStory() {
    story = null;
    if (storySel) storySel.value = '';
    writeState();
    if (current) showDetail(current);
  }

  // ---- deep links and Back. A malformed hash (#%E0%A4%A) names no event.
  function fromHash(focus) {
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (err) { id = ''; }
    if (!id) { if (current) { current = null; detail.hidden = true; app.classList.remove('tl-has-detail'); draw(); } return; }
    if (byId[id]) { select(byId[id], false, focus); return; }
    // Not loaded yet (a very large timeline): load the runs one after another until found.
    var todo = chunks.filter(function (c) { return !c.done; });
    (function next() {
      var c = todo.shift();
      if (!c) return;
      load(c).then(function () { if (byId[id]) { applyFilters(); select(byId[id], false, focus); } else next(); });
    })();
  }
  window.addEventListener('popstate', function () { fromHash(true); });
  window.addEventListener('hashchange', function () { if (!current || location.hash !== '#' + current.id) fromHash(false); });
  window.addEventListener('resize', function () { W = 0; draw(); });

  // An event's page links to ?event=<id> (the page does not hold every event's id): that
  // is the deep link #<id>, as shown in the address bar.
  var asked = new URLSearchParams(location.search);
  if (asked.get('event')) {
    var id = asked.get('event'); asked.delete('event');
    history.replaceState(null, '', location.pathname + (asked.toString() ? '?' + asked : '') + '#' + encodeURIComponent(id));
  }
  readState();
  applyFilters();
  loadNeeded().then(function () {
    if (location.hash) fromHash(true);
    else if (story) startStory(story.slug);
  });
  window.__timeline = {
    zoom: zoom, applyFilters: applyFilters, view: function () { return view.slice(); },
    shown: function () { return visible.length; }, ready: function () { return loadNeeded(); },
  };
})();
