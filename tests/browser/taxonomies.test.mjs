// A taxonomy a site declares in site.toml gets a timeline filter with no template or script
// edit: the fixture tests/fixtures/build/taxonomies declares `organisations` (free values,
// `filter = true`) and no countries or tags. Selecting an organisation shows only its
// events, the choice lives in the URL and survives a reload, and the page has no errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { servedFixture, withPage } from './lib.mjs';

const TEST = { timeout: 120_000 };

let site; let browser; let url;
before(async () => {
  site = await servedFixture('build/taxonomies', '/tax/');
  ({ browser, url } = site);
}, { timeout: 300_000 });
after(() => site?.close(), { timeout: 60_000 });

// The events the axis marks (the page no longer lists the events: they load from the
// eras' index files), in date order.
const shown = (page) => page.$$eval('.tl-axis .tl-mark[data-id]', (l) => l.map((e) => e.dataset.id).sort());

test('the custom taxonomy filters the timeline, and its state survives a reload', TEST, () => withPage(browser, { viewport: { width: 1280, height: 900 } }, async (page, errors) => {
  await page.goto(url + 'timeline/');
  await page.waitForSelector('.tl-mark');
  assert.deepEqual(await page.$$eval('.tl-filters select', (l) => l.map((s) => s.id)),
    ['tl-f-people', 'tl-f-organisations', 'tl-f-chapter', 'tl-f-era', 'tl-story']);
  assert.equal((await shown(page)).length, 3);
  await page.selectOption('#tl-f-organisations', 'workers-party-of-korea');
  assert.deepEqual(await shown(page), ['1957-07-ho-visit']);
  assert.match(await page.textContent('.tl-count'), /^1 of 3 events match/);
  assert.ok(page.url().includes('organisations=workers-party-of-korea'), page.url());
  await page.selectOption('#tl-f-organisations', 'cominform');
  assert.deepEqual(await shown(page), ['1950-01-31-relations', '1957-07-ho-visit']);
  await page.reload();
  await page.waitForSelector('.tl-mark');
  assert.equal(await page.$eval('#tl-f-organisations', (s) => s.value), 'cominform');
  assert.deepEqual(await shown(page), ['1950-01-31-relations', '1957-07-ho-visit']);
  await page.click('text=Clear filters');
  assert.equal((await shown(page)).length, 3);
  assert.deepEqual(errors, []);
}));

test('a card chip leads to the term page, which lists the term\'s events', TEST, () => withPage(browser, {}, async (page, errors) => {
  await page.goto(url + 'events/1957-07-ho-visit/');
  await page.click('.terms-organisations >> text=Cominform');
  assert.equal(new URL(page.url()).pathname, '/tax/organisations/cominform/');
  assert.equal(await page.textContent('h1'), 'Cominform');
  assert.deepEqual(await page.$$eval('.event-card .event-title', (l) => l.map((e) => e.id)),
    ['h-1950-01-31-relations', 'h-1957-07-ho-visit']);
  assert.deepEqual(errors, []);
}));

test('the search page offers the filter taxonomies as facets, kept in the address', TEST, () => withPage(browser, {}, async (page, errors) => {
  await page.goto(url + 'search/?organisations=cominform');
  await page.waitForSelector('#search-results li');
  assert.deepEqual(await page.$$eval('select[data-facet]', (l) => l.map((s) => s.id)), ['search-f-people', 'search-f-organisations']);
  const results = () => page.$$eval('#search-results li a', (l) => l.map((a) => new URL(a.href).pathname));
  assert.deepEqual(await results(), ['/tax/events/1950-01-31-relations/', '/tax/events/1957-07-ho-visit/']);
  await page.fill('#q', 'visit');
  await page.waitForFunction(() => document.querySelectorAll('#search-results li').length === 1);
  assert.deepEqual(await results(), ['/tax/events/1957-07-ho-visit/']);
  await page.selectOption('#search-f-organisations', '');
  await page.waitForFunction(() => !location.search.includes('organisations='));
  assert.ok((await results()).length >= 1);
  assert.deepEqual(errors, []);
}));
