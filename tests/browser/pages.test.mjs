// The documentary's main pages in a real browser: no console errors, no axe-core
// violations in the light or the dark theme, and screenshots at phone and desktop widths in target/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildSite, serveDir, launch, withPage, axe, shot, removeDir } from './lib.mjs';

let server; let browser; let base; let dir;
before(async () => {
  dir = buildSite({ baseUrl: 'http://127.0.0.1/distant-comrades/' });
  server = await serveDir(dir, '/distant-comrades/');
  base = server.url;
  browser = await launch();
}, { timeout: 300_000 });
after(async () => {
  await browser?.close();
  await server?.close();
  removeDir(dir);
}, { timeout: 60_000 });

const PAGES = [
  ['home', ''], ['chapter', 'chapter'], ['event', 'event'], ['sources', 'sources/'], ['search', 'search/'], ['print', 'print/'],
  ['people', 'people/'], ['places', 'places/'], ['tags', 'tags/'], ['countries', 'countries/'],
  ['timeline-era', 'era'], ['person', 'people/kim-il-sung/'], ['tag', 'tags/summit/'], ['404', 'no-such-page/'],
];

for (const [name, path] of PAGES) {
  test(`${name} page: no console errors, no axe violations, screenshots`, { timeout: 120_000 }, (t) => withPage(browser, {}, async (page, errors) => {
    let url = base + path;
    // The first chapter and the first event, whatever the content names them: both lists
    // are in the pages' HTML, so they are looked up once the page has loaded, without waiting.
    const first = { chapter: ['', '.chapter-link'], era: ['timeline/', '.tl-era a'], event: ['timeline/', '.tl-era a', '.tl-event h3 a'] }[path];
    if (first) {
      url = base + first[0];
      for (const sel of first.slice(1)) {
        await page.goto(url);
        const link = await page.$(sel);
        if (!link) { t.skip(`the documentary has no ${path} yet`); return; }
        url = new URL(await link.getAttribute('href'), url).href;
      }
    }
    const res = await page.goto(url);
    assert.equal(res.status(), name === '404' ? 404 : 200);
    for (const [w, h] of [[375, 812], [1280, 900]]) {
      await page.setViewportSize({ width: w, height: h });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name} scrolls sideways by ${overflow}px at ${w}px`);
      await shot(page, `${name}-${w}`);
    }
    const violations = await axe(page);
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
    // The dark theme too: its colours are set apart, and a rule can outrank one of them.
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await axe(page);
    assert.deepEqual(dark, [], `dark: ${JSON.stringify(dark, null, 2)}`);
    assert.deepEqual(errors.filter((e) => !/404/.test(e)), []);
  }));
}
