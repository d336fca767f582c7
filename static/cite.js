// The popover a citation opens (and any link to a source's entry on the sources page):
// the source's title, author, publisher and date, a link to the source when it has an
// address, and one to its entry (the citation's own link). What it shows is fetched, the
// first time a reader opens a source of that sources page, from the popover data beside
// the page the link names (`popovers.json` in its folder: `sources/popovers.json`,
// `sources/page/3/popovers.json`, src/render/popovers.rs), so that a sub-path and each
// language's own sources pages need nothing more; the file holds the popover's words in
// that page's language too. Escape or a click elsewhere closes it, and Escape
// gives the focus back to the citation; a modified click follows the link, as does every
// click without this script, and one whose data cannot be fetched. No dependencies.
(function () {
  'use strict';
  // The source a link names: its target's `#source-<id>` on a sources page (`sources/`,
  // `sources/page/3/`).
  var sourceOf = function (a) {
    // Only this site's sources pages: a link elsewhere is never fetched from.
    var m = a.origin === window.location.origin && /(?:^|\/)sources\/(?:page\/\d+\/)?$/.test(a.pathname) && /^#source-(.+)$/.exec(a.hash);
    return m ? decodeURIComponent(m[1]) : null;
  };
  // The popover data of the sources page a link names, fetched once: a promise of the
  // object (null when the fetch or its JSON failed; `failed` then holds its address).
  var files = {};
  var failed = {};
  var fileOf = function (a) { return new URL('popovers.json', a.href).href; };
  var load = function (file) {
    if (!files[file]) {
      files[file] = fetch(file).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      }).catch(function () { failed[file] = true; return null; });
    }
    return files[file];
  };
  var el = function (tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  };
  // The popover's words, in the page's language (`words` of the data file).
  var words = {};
  var label = function (k) { return typeof words[k] === 'string' ? words[k] : k; };
  // The card of the source `id` (`s`, its popover data: title, meta, url), for the citation `a`.
  var draw = function (id, s, a) {
    var c = el('span', 'cite-card');
    var t = c.appendChild(el('span', 'cite-card-title'));
    t.appendChild(el('span', 'source-id', id));
    t.appendChild(document.createTextNode(' ' + s.title));
    if (s.meta) c.appendChild(el('span', 'cite-card-meta', s.meta));
    var links = c.appendChild(el('span', 'cite-card-links'));
    var url = s.url;
    if (typeof url === 'string' && /^https?:/i.test(url)) {
      var out = links.appendChild(el('a', '', label('read')));
      out.href = url; out.rel = 'noopener';
      links.appendChild(document.createTextNode(' · '));
    }
    links.appendChild(el('a', '', label('on'))).href = a.getAttribute('href');
    return c;
  };
  var pop = null;
  var opener = null;
  var closePop = function (refocus) {
    if (!pop) return;
    var a = opener;
    pop.parentNode.removeChild(pop);
    a.setAttribute('aria-expanded', 'false');
    a.removeAttribute('aria-controls');
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
  // Opens the popover of the source `id` (its data `s`) under the citation `a`.
  var openPop = function (a, id, s) {
    closePop(false);
    opener = a;
    pop = document.createElement('span');
    pop.className = 'cite-pop';
    pop.id = 'cite-pop';
    pop.setAttribute('role', 'dialog');
    pop.setAttribute('aria-label', label('label').replace('{source}', id));
    pop.tabIndex = -1;
    pop.appendChild(draw(id, s, a));
    var x = document.createElement('button');
    x.type = 'button'; x.className = 'cite-pop-close'; x.textContent = label('close');
    x.addEventListener('click', function () { closePop(true); });
    pop.appendChild(x);
    a.insertAdjacentElement('afterend', pop);
    a.setAttribute('aria-expanded', 'true');
    a.setAttribute('aria-controls', 'cite-pop');
    place(a);
    pop.focus();
  };
  // The citation whose data is on its way: only the last one clicked opens.
  var pending = null;
  // A click on the citation `a`, naming the source `id`: its popover once its data is in,
  // or, when the data cannot be had, the link followed after all.
  var open = function (a, id) {
    var file = fileOf(a);
    pending = a;
    load(file).then(function (data) {
      if (pending !== a) return;
      pending = null;
      var all = data && data.sources;
      var s = all && Object.prototype.hasOwnProperty.call(all, id) ? all[id] : null;
      if (s && typeof s.title === 'string') {
        words = data.words || {};
        openPop(a, id, s);
      }
      else window.location.assign(a.href);
    });
  };
  if (window.fetch && window.URL) {
    Array.prototype.forEach.call(document.querySelectorAll('a[href*="#source-"]'), function (a) {
      if (sourceOf(a) !== null) {
        a.removeAttribute('title');
        a.setAttribute('aria-expanded', 'false');
      }
    });
    document.addEventListener('click', function (e) {
      var a = e.target.closest && e.target.closest('a[href*="#source-"]');
      if (a && !(pop && pop.contains(a)) && e.button === 0 && !e.ctrlKey && !e.metaKey && !e.shiftKey && !e.altKey) {
        if (a === opener) { e.preventDefault(); closePop(false); return; }
        var id = sourceOf(a);
        if (id === null || failed[fileOf(a)]) return;
        e.preventDefault();
        open(a, id);
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
})();
