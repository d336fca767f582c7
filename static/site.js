// Every page: the theme toggle (remembered in localStorage), the reading-position bar of
// chapters and their table of contents' current section (`aria-current`), and the print
// button of the print view; links to an event on the timeline (to its era's page
// without scripts, to the interactive timeline with them). No dependencies.
(function () {
  'use strict';
  var root = document.documentElement;
  var btn = document.querySelector('.theme-toggle');
  function current() {
    var t = root.getAttribute('data-theme');
    if (t) return t;
    return window.matchMedia && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
  function label() {
    if (!btn) return;
    var dark = current() === 'dark';
    btn.setAttribute('aria-pressed', String(dark));
    btn.querySelector('.theme-label').textContent = btn.getAttribute(dark ? 'data-dark' : 'data-light');
  }
  if (btn) {
    btn.addEventListener('click', function () {
      var next = current() === 'dark' ? 'light' : 'dark';
      root.setAttribute('data-theme', next);
      try { localStorage.setItem('theme', next); } catch (e) { /* private mode */ }
      label();
    });
    label();
  }
  var bar = document.querySelector('.reading-progress');
  var article = document.querySelector('.chapter .prose');
  if (bar && article) {
    var queued = false;
    var update = function () {
      queued = false;
      var r = article.getBoundingClientRect();
      var total = r.height - window.innerHeight;
      var done = total > 0 ? Math.min(1, Math.max(0, -r.top / total)) : 1;
      bar.style.transform = 'scaleX(' + done.toFixed(3) + ')';
    };
    window.addEventListener('scroll', function () {
      if (!queued) { queued = true; requestAnimationFrame(update); }
    }, { passive: true });
    update();
  }
  // The table of contents marks the section being read: the last heading above the
  // upper third of the window.
  var tocLinks = Array.prototype.slice.call(document.querySelectorAll('.toc a[href^="#"]'));
  var heads = tocLinks.map(function (a) { return document.getElementById(decodeURIComponent(a.hash.slice(1))); });
  if (tocLinks.length && window.IntersectionObserver) {
    var mark = function () {
      var at = -1;
      for (var i = 0; i < heads.length; i++) {
        if (heads[i] && heads[i].getBoundingClientRect().top < window.innerHeight / 3) at = i;
      }
      tocLinks.forEach(function (a, i) {
        if (i === at) a.setAttribute('aria-current', 'location'); else a.removeAttribute('aria-current');
      });
    };
    var seen = new IntersectionObserver(mark, { rootMargin: '0px 0px -66% 0px' });
    heads.forEach(function (h) { if (h) seen.observe(h); });
    mark();
  }
  // A link to an event on the timeline leads to its card on its era's page; with scripts,
  // to the event on the interactive timeline instead.
  Array.prototype.forEach.call(document.querySelectorAll('a[data-timeline-href]'), function (a) {
    a.href = a.getAttribute('data-timeline-href');
  });
  var print = document.querySelector('[data-print]');
  if (print) print.addEventListener('click', function () { window.print(); });
})();
