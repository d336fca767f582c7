// The documentary in its three languages (English at the root, Vietnamese under /vi/,
// Korean under /ko/): the header's language switcher leads to the same page in the other
// language (an event, a numbered page), and the Vietnamese timeline and search work with
// their own data, their links staying under /vi/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { servedDocumentary, withPage } from './lib.mjs';

const TEST = { timeout: 120_000 };
const EVENT = 'events/1957-07-ho-chi-minh-visits-north-korea/';

let site; let browser; let base;
before(async () => {
  site = await servedDocumentary();
  ({ browser } = site);
  base = site.url;
}, { timeout: 600_000 });
after(() => site?.close(), { timeout: 60_000 });

/** The switcher's links: code, name, path and whether it is the current language. */
const switcher = (page) => page.$$eval('.languages a', (l) => l.map((a) => ({
  lang: a.getAttribute('lang'), hreflang: a.getAttribute('hreflang'), name: a.textContent,
  path: new URL(a.href).pathname, current: a.getAttribute('aria-current') === 'page',
})));

test('the switcher keeps the reader on the same page in each language', TEST, () => withPage(browser, {}, async (page, errors) => {
  await page.goto(base + EVENT);
  let links = await switcher(page);
  assert.deepEqual(links.map((l) => [l.lang, l.path, l.current]), [
    ['en', '/' + EVENT, true], ['vi', '/vi/' + EVENT, false], ['ko', '/ko/' + EVENT, false]]);
  assert.ok(links.every((l) => l.lang === l.hreflang));
  await page.goto(new URL(links[1].path, base).href);
  assert.equal(await page.$eval('html', (h) => h.lang), 'vi');
  links = await switcher(page);
  assert.equal(links.find((l) => l.current).name, 'Tiếng Việt');
  assert.equal(links[0].path, '/' + EVENT);
  // The alternates name every language's page, absolute.
  const alternates = await page.$$eval('link[rel="alternate"][hreflang]', (l) => l.map((x) => [x.hreflang, new URL(x.href).pathname]));
  assert.deepEqual(alternates, [['en', '/' + EVENT], ['vi', '/vi/' + EVENT], ['ko', '/ko/' + EVENT], ['x-default', '/' + EVENT]]);
  // Every link of the page's header leads to a Vietnamese page.
  const nav = await page.$$eval('.site-nav a', (l) => l.map((a) => new URL(a.href).pathname));
  assert.ok(nav.every((p) => p.startsWith('/vi/')), JSON.stringify(nav));
  // A numbered page's switcher leads to the same numbered page.
  await page.goto(base + 'vi/sources/');
  const numbered = await page.$$eval('a[rel="next"]', (l) => l.map((a) => new URL(a.href).pathname));
  if (numbered.length) {
    await page.goto(new URL(numbered[0], base).href);
    const ko = (await switcher(page)).find((l) => l.lang === 'ko');
    assert.equal(ko.path, numbered[0].replace(/^\/vi\//, '/ko/'));
  }
  assert.deepEqual(errors, []);
}));

test('the Vietnamese timeline shows its events and leads to Vietnamese pages', TEST, () => withPage(browser, { viewport: { width: 1280, height: 900 } }, async (page, errors) => {
  await page.goto(base + 'vi/timeline/');
  await page.waitForSelector('.tl-mark');
  assert.ok(await page.$$eval('.tl-mark', (l) => l.length) > 10);
  await page.goto(base + 'vi/timeline/?event=1957-07-ho-chi-minh-visits-north-korea');
  await page.waitForSelector('#tl-detail:not([hidden])');
  const links = await page.$$eval('#tl-detail a', (l) => l.map((a) => new URL(a.href).pathname));
  assert.ok(links.length > 0 && links.every((p) => p.startsWith('/vi/')), JSON.stringify(links));
  assert.deepEqual(errors, []);
}));

test('the Vietnamese search finds Vietnamese text and leads to Vietnamese pages', TEST, () => withPage(browser, {}, async (page, errors) => {
  await page.goto(base + 'vi/search/?q=' + encodeURIComponent('Hà Nội'));
  await page.waitForSelector('#search-results li');
  const results = await page.$$eval('#search-results li a', (l) => l.map((a) => new URL(a.href).pathname));
  assert.ok(results.length > 0 && results.every((p) => p.startsWith('/vi/')), JSON.stringify(results));
  assert.deepEqual(errors, []);
}));
