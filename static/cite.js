// The popover a citation opens (and any link to a source's entry on the sources page):
// the source's title, author, publisher and date, a link to the source when it has an
// address, and one to its entry (the citation's own link); drawn from the sources the page
// embeds, and only those (<template id="cited-sources">, templates/cited.html, which loads
// this script: each its title, a <br>, its author, publisher and date; `data-url`). Escape or
// a click elsewhere closes it, and Escape gives the focus back to the citation; a modified
// click follows the link, as does every click without this script. No dependencies.
(function () {
  'use strict';
  var store = document.getElementById('cited-sources');
  // The source a link names: its target's `#source-<id>` on a sources page (`sources/`,
  // `sources/page/3/`).
  var sourceOf = function (a) {
    var m = /(?:^|\/)sources\/(?:page\/\d+\/)?$/.test(a.pathname) && /^#source-(.+)$/.exec(a.hash);
    return m ? decodeURIComponent(m[1]) : null;
  };
  var card = function (a) {
    var id = sourceOf(a);
    return id === null ? null : store.content.querySelector('[data-source="' + CSS.escape(id) + '"]');
  };
  var el = function (tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  };
  // The labels, in the page's language: data attributes of templates/cited.html.
  var label = function (k) { return store.getAttribute('data-' + k) || k; };
  // The card of the source `s` (its embedded entry), for the citation `a`.
  var draw = function (s, a) {
    var lines = [''];
    Array.prototype.forEach.call(s.childNodes, function (n) {
      if (n.nodeName === 'BR') lines.push(''); else lines[lines.length - 1] += n.textContent;
    });
    var c = el('span', 'cite-card');
    var t = c.appendChild(el('span', 'cite-card-title'));
    t.appendChild(el('span', 'source-id', s.getAttribute('data-source')));
    t.appendChild(document.createTextNode(' ' + lines[0]));
    if (lines[1]) c.appendChild(el('span', 'cite-card-meta', lines[1]));
    var links = c.appendChild(el('span', 'cite-card-links'));
    var url = s.getAttribute('data-url');
    if (url) {
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
  var openPop = function (a) {
    var id = sourceOf(a);
    var found = card(a);
    if (!found) return false;
    closePop(false);
    opener = a;
    pop = document.createElement('span');
    pop.className = 'cite-pop';
    pop.id = 'cite-pop';
    pop.setAttribute('role', 'dialog');
    pop.setAttribute('aria-label', label('label').replace('{source}', id));
    pop.tabIndex = -1;
    pop.appendChild(draw(found, a));
    var x = document.createElement('button');
    x.type = 'button'; x.className = 'cite-pop-close'; x.textContent = label('close');
    x.addEventListener('click', function () { closePop(true); });
    pop.appendChild(x);
    a.insertAdjacentElement('afterend', pop);
    a.setAttribute('aria-expanded', 'true');
    a.setAttribute('aria-controls', 'cite-pop');
    place(a);
    pop.focus();
    return true;
  };
  if (store && store.content) {
    Array.prototype.forEach.call(document.querySelectorAll('a[href*="#source-"]'), function (a) {
      if (card(a)) {
        a.removeAttribute('title');
        a.setAttribute('aria-expanded', 'false');
      }
    });
    document.addEventListener('click', function (e) {
      var a = e.target.closest && e.target.closest('a[href*="#source-"]');
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
})();
