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
  // Maps (src/maps/): a place, an event with its place, a chapter with `map` blocks.
  ['place with a map', 'places/hanoi/'], ['event with a map', 'events/1958-11-kim-il-sung-visits-north-vietnam/'],
  ['chapter with maps', 'chapters/hanoi-summit-2019/'],
  // A country shaded from its outline, and a province marked at its capital.
  ['country place with an outline', 'places/cambodia/'], ['event with a province', 'events/2019-02-26-kim-jong-un-arrives/'],
  // Listings split into numbered pages (`paginate`, 50 by default): the chapters' index,
  // and the second page of the documentary's longest term, with its pager.
  ['chapters', 'chapters/'], ['term-page-2', 'countries/vietnam/page/2/'],
  // The documentary in Vietnamese and Korean (issue 18): the same bars as the English pages.
  ['vi home', 'vi/'], ['vi chapter', 'vi/chapters/hanoi-summit-2019/'], ['vi timeline', 'vi/timeline/'],
  ['vi event', 'vi/events/1958-11-kim-il-sung-visits-north-vietnam/'], ['vi search', 'vi/search/'],
  ['vi person', 'vi/people/kim-il-sung/'],
  ['ko home', 'ko/'], ['ko chapter', 'ko/chapters/doi-moi/'], ['ko timeline', 'ko/timeline/'],
  ['ko event', 'ko/events/2019-02-26-kim-jong-un-arrives/'], ['ko sources', 'ko/sources/'],
  ['ko place', 'ko/places/hanoi/'],
];

test('maps: no sideways scroll at 320px, a text alternative, nothing shifts', { timeout: 120_000 }, () => withPage(browser, {}, async (page) => {
  await page.setViewportSize({ width: 320, height: 700 });
  await page.goto(`${base}chapters/hanoi-summit-2019/`);
  const maps = await page.$$eval('figure.map', (fs) => fs.map((f) => {
    const svg = f.querySelector('svg');
    const box = svg.getBoundingClientRect();
    return { label: svg.getAttribute('aria-label'), role: svg.getAttribute('role'), caption: f.querySelector('figcaption')?.textContent ?? '', w: box.width, h: box.height };
  }));
  assert.ok(maps.length >= 3, `${maps.length} maps`);
  for (const m of maps) {
    assert.equal(m.role, 'img');
    assert.match(m.label, /^Map: /);
    assert.match(m.caption, /Places: /);
    assert.ok(m.w <= 320 && m.h > 100, JSON.stringify(m));
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `scrolls sideways by ${overflow}px at 320px`);
}));

test('maps: a country is shaded, and a one-place map is drawn small without shifting', { timeout: 120_000 }, () => withPage(browser, {}, async (page) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${base}places/cambodia/`);
  const m = await page.$eval('figure.map', (f) => {
    const svg = f.querySelector('svg');
    const box = svg.getBoundingClientRect();
    const [, , vw, vh] = svg.getAttribute('viewBox').split(' ').map(Number);
    const fill = (sel) => getComputedStyle(f.querySelector(sel)).fill;
    return { small: f.classList.contains('small'), w: box.width, h: box.height, ratio: vh / vw, area: fill('.area'), land: fill('.land'), name: f.querySelector('.area-label')?.textContent, pins: f.querySelectorAll('.pin').length };
  });
  assert.ok(m.small && m.w <= 28 * 16 + 1 && m.w > 300, JSON.stringify(m));
  assert.ok(Math.abs(m.h - m.w * m.ratio) < 2, `the map's height follows its viewBox: ${JSON.stringify(m)}`);
  assert.notEqual(m.area, m.land);
  assert.equal(m.name, 'Cambodia');
  assert.equal(m.pins, 0);
  await page.setViewportSize({ width: 320, height: 700 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `scrolls sideways by ${overflow}px at 320px`);
}));

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
