// The scripts speak the page's language: on a site with `language = "vi"` (the fixture
// tests/fixtures/build/minimal), timeline.js labels its count, the axis's range, the detail
// view and its buttons in Vietnamese, and search.js its status lines, with the catalogue's
// plural forms and no English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureSite, servedSite, withPage } from './lib.mjs';

const TEST = { timeout: 120_000 };

let site; let browser; let server;
before(async () => {
  site = await servedSite(() => {
    const root = fixtureSite('build/minimal');
    const toml = join(root, 'site.toml');
    writeFileSync(toml, 'language = "vi"\n' + readFileSync(toml, 'utf8'));
    return root;
  });
  ({ browser } = site);
  server = { url: site.url };
}, { timeout: 300_000 });
after(() => site?.close(), { timeout: 60_000 });

test('timeline.js labels the count, the range and the detail view in Vietnamese', TEST, () => withPage(browser, { viewport: { width: 1280, height: 900 } }, async (page, errors) => {
  await page.goto(server.url + 'timeline/');
  await page.waitForSelector('.tl-mark');
  assert.equal(await page.$eval('.tl-count', (e) => e.textContent), '3 sự kiện');
  assert.match(await page.$eval('.tl-range', (e) => e.textContent), /^\d{4}–\d{4}$/);
  const era = await page.$eval('.tl-era-name', (e) => e.getAttribute('aria-label'));
  assert.match(era, /^Xem thời kỳ /);
  await page.click('.tl-mark[data-id="1957-07-ho-visit"]');
  await page.waitForSelector('#tl-detail:not([hidden]) .tl-more-link');
  const detail = await page.$eval('#tl-detail', (d) => ({
    close: d.querySelector('.tl-close').getAttribute('aria-label'),
    steps: d.querySelector('.tl-steps').getAttribute('aria-label'),
    keys: [...d.querySelectorAll('.tl-step-k')].map((k) => k.textContent),
    more: d.querySelector('.tl-more-link').textContent,
    date: d.querySelector('.event-date').textContent,
  }));
  assert.deepEqual(detail, {
    close: 'Đóng', steps: 'Các sự kiện liền kề', keys: ['Trước', 'Sau'], more: 'Đọc bài viết đầy đủ', date: detail.date,
  });
  assert.match(detail.date, /tháng 7 năm 1957/);
  await page.fill('#tl-q', 'zzzz');
  await page.waitForFunction(() => document.querySelector('.tl-count').textContent.startsWith('0/'));
  assert.equal(await page.$eval('.tl-count', (e) => e.textContent), '0/3 sự kiện phù hợp');
  assert.deepEqual(errors, []);
}));

test('search.js writes its status in Vietnamese', TEST, () => withPage(browser, {}, async (page, errors) => {
  await page.goto(server.url + 'search/?q=zzzzqqq');
  await page.waitForFunction(() => document.getElementById('search-status').textContent !== '');
  assert.equal(await page.$eval('#search-status', (e) => e.textContent), 'Không có kết quả.');
  await page.goto(server.url + 'search/?q=1957');
  await page.waitForFunction(() => /kết quả/.test(document.getElementById('search-status').textContent));
  const status = await page.$eval('#search-status', (e) => e.textContent);
  assert.match(status, /^\d+ kết quả\.$/);
  const kinds = await page.$$eval('#search-results .kind', (l) => l.map((k) => k.textContent));
  assert.ok(kinds.length > 0 && kinds.every((k) => !/^(Chapter|Event|Page)$/.test(k)), kinds.join(','));
  assert.deepEqual(errors, []);
}));
