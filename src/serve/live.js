// Live reload for `docsite serve` (served at /__docsite/live.js, never published).
// Long-polls the server for a new build: reloads the page, swaps the stylesheets when only
// CSS changed, or shows the build error over the page until it is fixed.
(function () {
  'use strict';
  var me = document.currentScript;
  var v = me ? Number(me.getAttribute('data-v')) : -1;
  var box = null;
  // The page's scripts run again after each body swap (below), and the listeners they add
  // to window and document (a scroll handler, a keydown) would pile up, one more set per
  // swap. Those added since this script started are recorded, and removed before the
  // scripts run again. (Listeners added before it, by the first run, cannot be: at most
  // that one stale set stays, bound to the replaced body.)
  // (A listener the page removes itself is dropped from the record too, so that adding
  // and removing one over and over does not grow it.)
  var added = [];
  function capture(options) {
    return typeof options === 'boolean' ? options : Boolean(options && options.capture);
  }
  function recorded(target, type, fn, options) {
    for (var i = 0; i < added.length; i++) {
      var a = added[i];
      if (a[0] === target && a[1] === type && a[2] === fn && capture(a[3]) === capture(options)) return i;
    }
    return -1;
  }
  [window, document].forEach(function (target) {
    var add = target.addEventListener;
    var remove = target.removeEventListener;
    target.addEventListener = function (type, fn, options) {
      if (recorded(target, type, fn, options) < 0) added.push([target, type, fn, options]);
      return add.call(this, type, fn, options);
    };
    target.removeEventListener = function (type, fn, options) {
      var i = recorded(target, type, fn, options);
      if (i >= 0) added.splice(i, 1);
      return remove.call(this, type, fn, options);
    };
  });
  function forgetListeners() {
    added.splice(0).forEach(function (a) { a[0].removeEventListener(a[1], a[2], a[3]); });
  }
  function overlay(text) {
    if (!box) {
      box = document.createElement('div');
      box.id = 'docsite-error';
      box.setAttribute('role', 'alert');
      box.style.cssText = 'position:fixed;inset:0;z-index:2147483647;background:rgba(20,0,0,.88);color:#fff;' +
        'overflow:auto;padding:2rem;font:14px/1.5 ui-monospace,monospace';
      var h = document.createElement('p');
      h.textContent = 'The build failed. The page below is the last good build; fix the error and save.';
      h.style.cssText = 'font:600 16px system-ui,sans-serif;margin:0 0 1rem';
      var pre = document.createElement('pre');
      pre.style.cssText = 'white-space:pre-wrap;margin:0';
      box.appendChild(h);
      box.appendChild(pre);
      document.body.appendChild(box);
    }
    box.lastChild.textContent = text;
  }
  function swapCss(n) {
    Array.prototype.forEach.call(document.querySelectorAll('link[rel="stylesheet"]'), function (l) {
      var u = new URL(l.href);
      u.searchParams.set('v', n);
      l.href = u.href;
    });
  }
  // A new build replaces the page's body in place: no stylesheet or script is fetched
  // again and the reader keeps their scroll position. When the head changed in anything
  // but the title (a new stylesheet, say), the page reloads instead.
  function heads(doc) {
    return Array.prototype.map.call(doc.head.querySelectorAll('link, meta, style, script'), function (n) {
      return n.outerHTML;
    }).join('\n');
  }
  function swapPage(n) {
    fetch(location.href, { cache: 'no-store' })
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        if (heads(doc) !== heads(document)) { location.reload(); return; }
        var x = window.scrollX; var y = window.scrollY;
        document.title = doc.title;
        document.body.replaceWith(document.adoptNode(doc.body));
        box = null;
        forgetListeners();
        // Scripts inserted by the parser above do not run: recreate them (but not this one).
        Array.prototype.forEach.call(document.body.querySelectorAll('script'), function (old) {
          if ((old.getAttribute('src') || '').indexOf('/__docsite/') === 0) { old.remove(); return; }
          var s = document.createElement('script');
          Array.prototype.forEach.call(old.attributes, function (a) { s.setAttribute(a.name, a.value); });
          s.async = false;
          s.text = old.text;
          old.replaceWith(s);
        });
        window.scrollTo(x, y);
        document.dispatchEvent(new CustomEvent('docsite:updated', { detail: { v: n } }));
      })
      .catch(function () { location.reload(); });
  }
  function poll(first) {
    fetch('/__docsite/poll' + (first ? '' : '?v=' + v), { cache: 'no-store' })
      .then(function (r) { return r.json(); })
      .then(function (m) {
        if (m.error) overlay(m.error);
        else if (m.v !== v && !first) {
          if (m.kind === 'css' && !box) swapCss(m.v);
          else { swapPage(m.v); }
        } else if (first && m.v !== v) { location.reload(); return; }
        v = m.v;
        poll(false);
      })
      .catch(function () { setTimeout(function () { poll(true); }, 500); });
  }
  poll(true);
})();
