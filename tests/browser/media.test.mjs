// Media (issue 14) in a real browser, on the fixture site tests/fixtures/media/site (over
// build/minimal) served under a sub-path: the event's image loads as WebP at its size
// with no layout shift, the remote video's facade makes no request to the provider (the
// request log holds only the site's own address), nothing scrolls sideways at 320 px, and
// axe finds nothing in the light or the dark theme; Lighthouse gives the event page 100 in
// Accessibility, Best Practices and SEO (Performance is printed: bench/ holds timings).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, fixtureSite, buildSite, serveDir, launch, withPage, axe, shot, removeDir } from './lib.mjs';
import { lighthouseScores, launchLighthouseChrome } from './lighthouse.mjs';

const TEST = { timeout: 120_000 };
const PAGES = ['events/1957-07-ho-visit/', 'chapters/alliance/'];

let root; let dir; let server; let browser;
before(async () => {
  root = fixtureSite('build/minimal');
  cpSync(join(REPO, 'tests/fixtures/media/site/content'), join(root, 'content'), { recursive: true });
  dir = buildSite({ root, baseUrl: 'http://127.0.0.1/sub/' });
  server = await serveDir(dir, '/sub/');
  browser = await launch();
}, { timeout: 300_000 });
after(async () => {
  await browser?.close();
  await server?.close();
  removeDir(dir);
  removeDir(root);
}, { timeout: 60_000 });

/** Opens `path` at `width`, recording every request and the layout shifts. */
function open(path, width, fn, scheme = 'light') {
  return withPage(browser, { viewport: { width, height: 900 }, colorScheme: scheme }, async (page, errors) => {
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.addInitScript(() => {
      window.__shift = 0;
      // Shifts of the page's own elements; Chromium's <audio> controls lay out their inner
      // parts (a shadow tree, whose sources have no node) once the element has loaded.
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) if (!e.hadRecentInput && e.sources.some((x) => x.node)) window.__shift += e.value;
      })
        .observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(server.url + path, { waitUntil: 'load' });
    return fn(page, errors, requests);
  });
}

test('the event\'s image loads as WebP at its size, with no layout shift', TEST, () => open(PAGES[0], 1280, async (page, errors) => {
  const img = await page.$eval('.media-list img', (i) => ({ src: i.currentSrc, w: i.naturalWidth, lazy: i.loading, box: i.getBoundingClientRect().width }));
  assert.match(img.src, /\/sub\/media\/img\/[0-9a-f]{16}-\d+\.webp$/);
  assert.ok(img.w >= 480, JSON.stringify(img));
  assert.notEqual(img.lazy, 'lazy');
  await page.evaluate(() => new Promise((r) => setTimeout(r, 500)));
  assert.equal(await page.evaluate(() => window.__shift), 0);
  assert.deepEqual(errors, []);
}));

test('the remote video\'s facade requests nothing from the provider', TEST, () => open(PAGES[1], 1280, async (page, errors, requests) => {
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.evaluate(() => new Promise((r) => setTimeout(r, 500)));
  const foreign = requests.filter((u) => !u.startsWith(server.url.replace(/\/sub\/$/, '/')));
  assert.deepEqual(foreign, []);
  assert.equal(await page.$eval('.facade', (a) => a.href), 'https://www.youtube.com/watch?v=abc123');
  assert.equal(await page.$$eval('iframe', (l) => l.length), 0);
  await shot(page, 'media-chapter-1280');
  assert.deepEqual(errors, []);
}));

for (const path of PAGES) {
  test(`${path}: no sideways scroll at 320 px; axe finds nothing, light and dark`, TEST, async () => {
    for (const scheme of ['light', 'dark']) {
      await open(path, 320, async (page, errors) => {
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${scheme}: scrolls sideways`);
        assert.deepEqual(await axe(page), [], scheme);
        assert.deepEqual(errors, []);
      }, scheme);
    }
  });
}

test('lighthouse on the event page with an image', { timeout: 300_000 }, async () => {
  const chrome = await launchLighthouseChrome();
  try {
    const { scores: s, metrics, failing } = await lighthouseScores(chrome, server.url + PAGES[0]);
    console.log(`lighthouse event with an image: performance=${s.performance} accessibility=${s.accessibility} best-practices=${s['best-practices']} seo=${s.seo}`);
    console.log(`lighthouse event with an image: ${metrics}`);
    assert.equal(s.accessibility, 100, failing('accessibility').join('\n'));
    assert.equal(s['best-practices'], 100, failing('best-practices').join('\n'));
    assert.equal(s.seo, 100, failing('seo').join('\n'));
  } finally {
    await chrome.kill();
  }
});
