// Every page: the theme toggle (remembered in localStorage), the reading-position bar of
// chapters and their table of contents' current section (`aria-current`), the popover a
// citation opens (from the sources the page embeds in <template id="cited-sources">), and
// the print button of the print view. No dependencies.
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
    btn.querySelector('.theme-label').textContent = dark ? 'Dark' : 'Light';
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
  // A citation opens a popover with its source; Escape or a click elsewhere closes it, and
  // Escape gives the focus back to the citation. Modified clicks follow the link.
  var store = document.getElementById('cited-sources');
  var pop = null;
  var opener = null;
  var closePop = function (refocus) {
    if (!pop) return;
    var a = opener;
    pop.parentNode.removeChild(pop);
    a.setAttribute('aria-expanded', 'false');
    pop = opener = null;
    if (refocus) a.focus();
  };
  var place = function (a) {
    var vw = document.documentElement.clientWidth;
    var op = pop.offsetParent || document.body;
    var base = op === document.body && getComputedStyle(op).position === 'static'
      ? { left: -window.scrollX, top: -window.scrollY } : op.getBoundingClientRect();
    var r = a.getBoundingClientRect();
    var left = Math.max(8, Math.min(r.left, vw - pop.offsetWidth - 8));
    pop.style.left = (left - base.left) + 'px';
    pop.style.top = (r.bottom - base.top + 4) + 'px';
  };
  var openPop = function (a) {
    var id = a.getAttribute('data-source');
    var card = store && store.content && store.content.querySelector('[data-source="' + CSS.escape(id) + '"]');
    if (!card) return false;
    closePop(false);
    opener = a;
    pop = document.createElement('span');
    pop.className = 'cite-pop';
    pop.id = 'cite-pop';
    pop.setAttribute('role', 'dialog');
    pop.setAttribute('aria-label', 'Source ' + id);
    pop.tabIndex = -1;
    pop.appendChild(card.cloneNode(true));
    var x = document.createElement('button');
    x.type = 'button'; x.className = 'cite-pop-close'; x.textContent = 'Close';
    x.addEventListener('click', function () { closePop(true); });
    pop.appendChild(x);
    a.insertAdjacentElement('afterend', pop);
    a.setAttribute('aria-expanded', 'true');
    a.setAttribute('aria-controls', 'cite-pop');
    place(a);
    pop.focus();
    return true;
  };
  if (store) {
    Array.prototype.forEach.call(document.querySelectorAll('a[data-source]'), function (a) {
      if (store.content.querySelector('[data-source="' + CSS.escape(a.getAttribute('data-source')) + '"]')) {
        a.removeAttribute('title');
        a.setAttribute('aria-expanded', 'false');
      }
    });
    document.addEventListener('click', function (e) {
      var a = e.target.closest && e.target.closest('a[data-source]');
      if (a && !(pop && pop.contains(a)) && e.button === 0 && !e.ctrlKey && !e.metaKey && !e.shiftKey && !e.altKey) {
        if (a === opener) { e.preventDefault(); closePop(false); return; }
        if (openPop(a)) e.preventDefault();
        return;
      }
      if (pop && !pop.contains(e.target)) closePop(false);
    });
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && pop) { e.preventDefault(); closePop(true); }
    });
    document.addEventListener('focusin', function (e) {
      if (pop && !pop.contains(e.target) && e.target !== opener) closePop(false);
    });
    window.addEventListener('resize', function () { if (pop) place(opener); });
  }
  var print = document.querySelector('[data-print]');
  if (print) print.addEventListener('click', function () { window.print(); });
})();
