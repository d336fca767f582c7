// Dates before year 1 on the timeline page, with the fixture site of antiquity
// (tests/fixtures/build/antiquity): the axis labels its ticks "500 BCE" … "1 CE" in order
// across the boundary, zoom keeps them in order, years below 1000 CE carry "CE", a deep link selects a BCE event and
// reveals its mark, and a click on a BCE mark selects it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { servedFixture, withPage } from './lib.mjs';

const TEST = { timeout: 120_000 };

let site; let browser; let base;
before(async () => {
  site = await servedFixture('build/antiquity');
  ({ browser } = site);
  base = site.url + 'timeline/';
}, { timeout: 300_000 });
after(() => site?.close(), { timeout: 60_000 });

function open(url, fn) {
  return withPage(browser, { viewport: { width: 1280, height: 900 } }, async (page, errors) => {
    await page.goto(url);
    await page.waitForSelector('.tl-mark');
    return fn(page, errors);
  });
}

/** The axis's tick labels, left to right, each with its signed year (-500 for 500 BCE). */
const ticks = (page) => page.$$eval('.tl-tick', (l) => l
  .map((t) => ({ text: t.textContent, left: parseFloat(t.style.left) }))
  .sort((a, b) => a.left - b.left)
  .map((t) => ({ ...t, year: /BCE$/.test(t.text) ? -parseInt(t.text, 10) : parseInt(t.text, 10) })));

test('the axis labels ticks BCE and CE, in order across the boundary, at every zoom', TEST, () => open(base, async (page, errors) => {
  let t = await ticks(page);
  assert.ok(t.some((x) => /^\d+ BCE$/.test(x.text)), JSON.stringify(t));
  assert.ok(t.some((x) => /^\d+ CE$/.test(x.text)), 'CE marks the years after the boundary: ' + JSON.stringify(t));
  assert.ok(t.every((x) => x.year !== 0 && !Number.isNaN(x.year)), JSON.stringify(t));
  for (let i = 1; i < t.length; i++) assert.ok(t[i].year > t[i - 1].year, JSON.stringify(t));
  assert.match(await page.$eval('.tl-range', (e) => e.textContent), /^\d+ BCE – \d+ CE$/);
  // Zoomed in around the boundary, the ticks step by single years: 2 BCE, 1 BCE, 1 CE.
  await page.evaluate(() => { for (let i = 0; i < 9; i++) window.__timeline.zoom(1 / 1.6, 1); });
  t = await ticks(page);
  const texts = t.map((x) => x.text).join(',');
  assert.ok(texts.includes('2 BCE,1 BCE,1 CE,2 CE'), texts);
  // Zoomed in on years after the boundary but below 1000 CE, every tick and the range
  // carry "CE", as the pages write them ("14 CE", "14–68 CE").
  await page.click('#tl-zoom-reset');
  await page.evaluate(() => { for (let i = 0; i < 6; i++) window.__timeline.zoom(1 / 1.6, 40); });
  const view = await page.evaluate(() => window.__timeline.view());
  assert.ok(view[0] >= 1 && view[1] < 1000, JSON.stringify(view));
  t = await ticks(page);
  assert.ok(t.length > 1 && t.every((x) => /^\d+ CE$/.test(x.text)), JSON.stringify(t));
  assert.match(await page.$eval('.tl-range', (e) => e.textContent), /^\d+–\d+ CE$/);
  assert.deepEqual(errors, []);
}));

test('a deep link selects a BCE event and shows its mark; a click on a BCE mark selects it', TEST, () => open(base + '#ides-of-march', async (page, errors) => {
  await page.waitForSelector('#tl-detail:not([hidden])');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.id), 'ides-of-march');
  const mark = await page.$eval('.tl-mark[data-id="ides-of-march"]', (m) => ({ left: parseFloat(m.style.left), current: m.classList.contains('is-current') }));
  assert.ok(mark.left >= 0 && mark.left <= 1280 && mark.current, JSON.stringify(mark));
  // The mark of 44 BCE lies between the ticks of 50 BCE and 40 BCE once zoomed in on it.
  await page.evaluate(() => { for (let i = 0; i < 5; i++) window.__timeline.zoom(1 / 1.6); });
  const t = await ticks(page);
  const at = await page.$eval('.tl-mark[data-id="ides-of-march"]', (m) => parseFloat(m.style.left));
  const before = t.filter((x) => x.left <= at).pop(); const after = t.find((x) => x.left > at);
  assert.ok(before && after && before.year <= -44 && after.year > -44, JSON.stringify({ at, before, after }));
  await page.click('#tl-zoom-reset');
  await page.click('.tl-mark[data-id="marathon"]');
  assert.equal(new URL(page.url()).hash, '#marathon');
  assert.equal(await page.$eval('#tl-detail', (e) => e.dataset.id), 'marathon');
  assert.deepEqual(errors, []);
}));
