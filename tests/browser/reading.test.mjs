// Reading in a real browser, on the documentary: a citation's popover (its data fetched
// once from beside the sources page, keyboard, Escape gives the focus back, a click
// elsewhere closes it, axe in both themes; the link followed when the data cannot be had),
// the search page
// (a typo, an alias, joined words, a stem; marked matches; excerpts cut at word
// boundaries) and the table of contents marking the section being read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { servedDocumentary, withPage, axe, shot } from './lib.mjs';

const TEST = { timeout: 120_000 };
let site; let browser; let base;
before(async () => {
  site = await servedDocumentary('/distant-comrades/');
  ({ browser, url: base } = site);
}, { timeout: 300_000 });
after(() => site?.close(), { timeout: 60_000 });

const CHAPTER = 'chapters/cold-war-alliance/';

test('a citation opens a popover with its source; Escape closes it and gives the focus back', TEST, () => withPage(browser, {}, async (page, errors) => {
  const fetched = [];
  page.on('request', (r) => { if (r.url().endsWith('/popovers.json')) fetched.push(new URL(r.url()).pathname); });
  await page.goto(base + CHAPTER);
  assert.equal(await page.locator('template').count(), 0, 'the page embeds no popover data');
  assert.deepEqual(fetched, [], 'nothing is fetched before a popover opens');
  const cite = page.locator('.prose .cite a').first();
  const id = (await cite.getAttribute('href')).split('#source-')[1];
  await cite.focus();
  await page.keyboard.press('Enter');
  const pop = page.locator('.cite-pop');
  await pop.waitFor();
  assert.equal(new URL(page.url()).pathname, '/distant-comrades/' + CHAPTER, 'the reader stays on the page');
  assert.equal(await pop.getAttribute('role'), 'dialog');
  assert.equal(await cite.getAttribute('aria-expanded'), 'true');
  assert.ok(await page.evaluate(() => document.activeElement.classList.contains('cite-pop')), 'the focus moves into the popover');
  const text = await pop.textContent();
  assert.deepEqual(fetched, ['/distant-comrades/sources/popovers.json'], 'the data beside the sources page the link names');
  const data = await (await fetch(base + 'sources/popovers.json')).json();
  assert.ok(text.includes(data.sources[id].title), text);
  const entry = await pop.locator('a', { hasText: 'On the sources page' }).getAttribute('href');
  assert.equal(entry, `/distant-comrades/sources/#source-${id}`);
  for (const w of [390, 1440]) {
    await page.setViewportSize({ width: w, height: 900 });
    await page.evaluate(() => window.dispatchEvent(new Event('resize')));
    const box = await pop.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= w, `the popover fits in ${w}px: ${JSON.stringify(box)}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at ${w}px`);
  }
  assert.deepEqual(await axe(page), []);
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.deepEqual(await axe(page), [], 'dark');
  await shot(page, 'reading-popover-1440-dark');
  await page.keyboard.press('Escape');
  assert.equal(await pop.count(), 0);
  assert.equal(await page.evaluate(() => document.activeElement.hash), '#source-' + id);
  assert.equal(await cite.getAttribute('aria-expanded'), 'false');
  assert.equal(await cite.getAttribute('aria-controls'), null);
  assert.deepEqual(await axe(page), [], 'closed');
  // A tap opens it too; a tap elsewhere closes it.
  await cite.click();
  await pop.waitFor();
  await page.mouse.click(2, 300);
  assert.equal(await pop.count(), 0);
  assert.equal(fetched.length, 1, 'the data is fetched once');
  assert.deepEqual(errors, []);
}));

test('when the popover data cannot be fetched, a citation is the plain link to its entry', TEST, async () => {
  for (const fail of [(r) => r.abort(), (r) => r.fulfill({ status: 404, body: 'not found' })]) {
    await withPage(browser, {}, async (page) => {
      await page.route('**/popovers.json', fail);
      await page.goto(base + CHAPTER);
      const cite = page.locator('.prose .cite a').first();
      const id = (await cite.getAttribute('href')).split('#source-')[1];
      await cite.click();
      await page.waitForURL(`**/sources/#source-${id}`);
      assert.equal(await page.locator('.cite-pop').count(), 0);
    });
  }
});

test('a link to another site\'s sources page is followed, and nothing is fetched from that site', TEST, () => withPage(browser, {}, async (page, errors) => {
  const elsewhere = [];
  await page.route('https://elsewhere.example/**', (r) => {
    elsewhere.push(r.request().url());
    return r.fulfill({ status: 200, contentType: 'text/html', body: '<title>elsewhere</title>' });
  });
  await page.goto(base + CHAPTER);
  await page.evaluate(() => {
    const a = document.createElement('a');
    a.href = 'https://elsewhere.example/sources/#source-A';
    a.textContent = 'A';
    a.id = 'foreign';
    document.querySelector('.prose').append(a);
  });
  await page.locator('#foreign').click();
  await page.waitForURL('https://elsewhere.example/sources/#source-A');
  assert.deepEqual(elsewhere, ['https://elsewhere.example/sources/'], 'the page itself, never its popovers.json');
  assert.deepEqual(errors, []);
}));

test('a Vietnamese page opens its popovers with the Vietnamese sources page\'s data and words', TEST, () => withPage(browser, {}, async (page, errors) => {
  await page.goto(base + 'vi/' + CHAPTER);
  const cite = page.locator('.prose .cite a').first();
  await cite.click();
  const pop = page.locator('.cite-pop');
  await pop.waitFor();
  assert.equal(await pop.locator('a', { hasText: 'Trên trang nguồn' }).count(), 1, await pop.textContent());
  assert.equal(await pop.locator('button').textContent(), 'Đóng');
  assert.deepEqual(errors, []);
}));

test('without scripts a citation is a link to its entry on the sources page', TEST, async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await ctx.newPage();
    await page.goto(base + CHAPTER);
    const cite = page.locator('.prose .cite a').first();
    const id = (await cite.getAttribute('href')).split('#source-')[1];
    await cite.click();
    await page.waitForURL(`**/sources/#source-${id}`);
  } finally {
    await ctx.close();
  }
});

test('the contents mark the section being read', TEST, () => withPage(browser, {}, async (page, errors) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(base + CHAPTER);
  const current = () => page.$$eval('.toc a[aria-current]', (l) => l.map((a) => a.getAttribute('href')));
  const heads = await page.$$eval('.prose h2[id]', (l) => l.map((h) => h.id));
  assert.ok(heads.length >= 3);
  const target = heads[2];
  await page.evaluate((id) => document.getElementById(id).scrollIntoView(), target);
  await page.waitForFunction((id) => document.querySelector('.toc a[aria-current]')?.getAttribute('href') === '#' + id, target);
  assert.deepEqual(await current(), ['#' + target]);
  assert.equal(await page.getAttribute(`.toc a[href="#${target}"]`, 'aria-current'), 'location');
  assert.deepEqual(errors, []);
}));

async function search(page, q) {
  await page.goto(base + 'search/?q=' + encodeURIComponent(q));
  await page.waitForFunction(() => document.getElementById('search-status').textContent !== '');
  return page.$$eval('#search-results li', (l) => l.map((li) => ({
    title: li.querySelector('a').textContent,
    url: new URL(li.querySelector('a').href).pathname + new URL(li.querySelector('a').href).hash,
    marks: Array.from(li.querySelectorAll('mark')).map((m) => m.textContent),
    excerpt: li.querySelector('p').textContent,
  })));
}

test('search forgives typos, joined words and stems, and knows aliases', TEST, () => withPage(browser, {}, async (page, errors) => {
  for (const q of ['Hanoy', 'Hanio']) {
    const hits = await search(page, q);
    assert.ok(hits.length > 0, q);
    assert.ok(hits[0].marks.includes('Hanoi'), `${q}: ${JSON.stringify(hits[0])}`);
  }
  const doimoi = await search(page, 'doimoi');
  assert.ok(doimoi.some((h) => /doi moi/i.test(h.title)), JSON.stringify(doimoi.slice(0, 3)));
  const kim = await search(page, 'kim jongun');
  assert.ok(kim.length > 0 && kim[0].title.includes('Kim Jong-un'), JSON.stringify(kim.slice(0, 3)));
  const dprk = await search(page, 'DPRK');
  assert.equal(dprk[0].url, '/distant-comrades/countries/north-korea/', JSON.stringify(dprk.slice(0, 3)));
  assert.ok(dprk.some((h) => h.url.startsWith('/distant-comrades/events/')), 'the alias finds what names North Korea');
  const piloted = await search(page, 'piloted');
  assert.ok(piloted.some((h) => h.marks.includes('pilots')), JSON.stringify(piloted.slice(0, 3)));
  assert.deepEqual(errors, []);
}));

test('search marks matches and cuts excerpts at word boundaries', TEST, () => withPage(browser, {}, async (page, errors) => {
  const hits = await search(page, 'sources');
  assert.ok(hits.length > 0);
  const docs = await page.evaluate(async () => {
    const head = await (await fetch('../search.json')).json();
    const all = [];
    for (let k = 0; k * head.chunk < head.docs; k++) all.push(...await (await fetch(`../search/d${k}.json`)).json());
    return all;
  });
  let cut = 0;
  for (const h of hits) {
    const text = docs.find((d) => d.u === h.url).x;
    const inner = h.excerpt.replace(/^… /, '').replace(/ …$/, '');
    const at = text.indexOf(inner);
    assert.ok(at >= 0, `the excerpt is a piece of the text: ${h.excerpt}`);
    // Cut at spaces: whole words at both ends.
    assert.ok(at === 0 || /\s/.test(text[at - 1]), `starts mid-word: ${h.excerpt}`);
    const end = at + inner.length;
    assert.ok(end === text.length || /\s/.test(text[end]), `ends mid-word: ${h.excerpt}`);
    if (at > 0 || end < text.length) cut += 1;
  }
  assert.ok(cut > 0, 'some excerpt is cut');
  assert.ok(hits.some((h) => h.marks.some((m) => /^sources$/i.test(m))), JSON.stringify(hits.slice(0, 2)));
  await page.setViewportSize({ width: 390, height: 900 });
  await search(page, 'Hanoy');
  await shot(page, 'reading-search-390');
  assert.deepEqual(await axe(page), []);
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.deepEqual(await axe(page), [], 'dark');
  assert.deepEqual(errors, []);
}));

test('search shows 20 results, then 20 more on request, focusing the first new one', TEST, () => withPage(browser, {}, async (page, errors) => {
  const hits = await search(page, 'hanoi');
  assert.equal(hits.length, 20);
  const total = Number((await page.textContent('#search-status')).match(/^(\d+)/)[1]);
  assert.ok(total > 20, `${total}`);
  await page.click('.search-more');
  await page.waitForFunction(() => document.querySelectorAll('#search-results li').length > 20);
  const shown = await page.$$eval('#search-results li', (l) => l.length);
  assert.equal(shown, Math.min(40, total));
  assert.equal(await page.evaluate(() => Array.from(document.querySelectorAll('#search-results li a')).indexOf(document.activeElement)), 20);
  // Only the parts it needed: the head, some shards, the chunks of the results shown.
  assert.deepEqual(errors, []);
}));
