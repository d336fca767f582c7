// The interactive timeline in a real browser: deep links and Back, the detail view with
// its neighbours, the keyboard (roving tabindex over markers and clusters), filters and
// search with their state in the URL, zoom and pan (buttons, keys, Ctrl+wheel, drag; the
// plain wheel scrolls the page), story mode, the phone layout, the page without
// JavaScript (eras linking to their pages of events), accessibility in both themes, the
// size budgets, 5,000 events loaded from the index files, and the page with any one
// filter menu left out of its template. How fast the filter and zoom render is measured
// by bench/browser.mjs, not here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { buildSite, serveDir, launch, withPage, axe, shot, syntheticSite, removeDir, copyDocumentary } from './lib.mjs';

const TEST = { timeout: 120_000 };

let server; let browser; let base; let dir;
before(async () => {
  dir = buildSite({ baseUrl: 'http://127.0.0.1/distant-comrades/' });
  server = await serveDir(dir, '/distant-comrades/');
  base = server.url + 'timeline/';
  browser = await launch();
}, { timeout: 300_000 });
after(async () => {
  await browser?.close();
  await server?.close();
  removeDir(dir);
}, { timeout: 60_000 });

/** Opens `url` in a new page once the timeline has drawn its markers; see `withPage`. */
function open(url, opts, fn) {
  return withPage(browser, { viewport: { width: 1280, height: 900 }, ...opts }, async (page, errors) => {
    await page.goto(url);
    await page.waitForSelector('.tl-mark');
    return fn(page, errors);
  });
}
const shown = (page) => page.evaluate(() => window.__timeline.shown());
const detailId = (page) => page.$eval('#tl-detail', (e) => (e.hidden ? '' : e.dataset.id));
const view = (page) => page.evaluate(() => window.__timeline.view());
const PILOTS = '1967-north-korean-pilots-in-vietnam';

test('a deep link opens the detail beside the axis with the card; next names its neighbour; Back returns', TEST, () => open(base + '#' + PILOTS, {}, async (page, errors) => {
  await page.waitForSelector('#tl-detail .event-card');
  assert.equal(await detailId(page), PILOTS);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'tl-detail');
  // The card, fetched from the era's page: title, summary, people, places, chapter, sources.
  const text = await page.textContent('#tl-detail');
  for (const s of ['North Korean pilots', 'People', 'Places', 'Sources', 'Chapter', 'Read the full account']) assert.ok(text.includes(s), s);
  // Both the detail and the axis are on screen at once.
  const [d, a] = await page.evaluate(() => ['#tl-detail', '.tl-axis'].map((s) => document.querySelector(s).getBoundingClientRect().toJSON()));
  assert.ok(d.bottom <= 900 && a.top < 900 && a.top >= d.bottom - 1, JSON.stringify({ d, a }));
  const nextName = await page.textContent('#tl-detail .tl-next .tl-step-t');
  await page.click('#tl-detail .tl-next');
  await page.waitForFunction((id) => document.getElementById('tl-detail').dataset.id !== id, PILOTS);
  const next = await detailId(page);
  assert.ok(nextName.includes(await page.$eval(`.tl-mark[data-id="${next}"]`, (m) => m.title.split(': ').slice(1).join(': '))), nextName);
  assert.equal(new URL(page.url()).hash, '#' + next);
  await page.goBack();
  await page.waitForFunction((id) => document.getElementById('tl-detail').dataset.id === id, PILOTS);
  assert.deepEqual(errors, []);
}));

test('an event page links to the event on the axis; Back returns to the event page', TEST, () => open(base, {}, async (page, errors) => {
  const from = new URL(`../events/${PILOTS}/`, base).href;
  await page.goto(from);
  // The script turned the era page's anchor into the interactive timeline's deep link.
  assert.ok((await page.$eval('a[data-timeline-href]', (a) => a.href)).endsWith(`timeline/?event=${PILOTS}`));
  await page.click('a[data-timeline-href]');
  await page.waitForSelector('#tl-detail:not([hidden]) .event-card');
  assert.equal(await detailId(page), PILOTS);
  assert.equal(new URL(page.url()).hash, '#' + PILOTS);
  await page.goBack();
  await page.waitForFunction((u) => location.href === u, from);
  assert.deepEqual(errors, []);
}));

test('keyboard: one marker in the tab order, arrows move between markers and clusters, Enter opens, Escape closes', TEST, () => open(base, {}, async (page) => {
  assert.equal(await page.$$eval('.tl-marks button[tabindex="0"]', (l) => l.length), 1);
  await page.focus('.tl-marks button[tabindex="0"]');
  const first = await page.evaluate(() => document.activeElement.dataset.id);
  await page.keyboard.press('ArrowRight');
  const second = await page.evaluate(() => document.activeElement.dataset.id || document.activeElement.className);
  assert.notEqual(second, first);
  assert.equal(await page.$$eval('.tl-marks button[tabindex="0"]', (l) => l.length), 1);
  await page.keyboard.press('Home');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.id), first);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#tl-detail:not([hidden])');
  assert.equal(await detailId(page), first);
  await page.keyboard.press('Escape');
  assert.equal(await detailId(page), '');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.id), first);
  // A cluster opens as a list in one step, by keyboard; its first event can be chosen.
  await page.keyboard.press('End');
  const more = await page.$('.tl-more');
  assert.ok(more, 'the documentary has a cluster at this width');
  await more.focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('.tl-pop .tl-pick');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'tl-pick');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#tl-detail:not([hidden])');
  assert.equal(await page.$$eval('.tl-pop', (l) => l.length), 0);
}));

test('markers carry their headlines without overlapping; era names and ticks are never cut', TEST, () => open(base, {}, async (page) => {
  const boxes = await page.$$eval('.tl-mark', (l) => l.map((m) => m.getBoundingClientRect().toJSON()));
  const labelled = await page.$$eval('.tl-mark .tl-label', (l) => l.length);
  assert.ok(labelled >= 15, `${labelled} markers carry their headline`);
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]; const b = boxes[j];
      const overlap = a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
      assert.ok(!overlap, `markers ${i} and ${j} overlap`);
    }
  }
  const axis = await page.$eval('.tl-axis', (e) => e.getBoundingClientRect().toJSON());
  for (const sel of ['.tl-mark', '.tl-tick', '.tl-era-name']) {
    const out = await page.$$eval(sel, (l, ax) => l.map((e) => e.getBoundingClientRect()).filter((r) => r.left < ax.left - 1 || r.right > ax.right + 1).length, axis);
    assert.equal(out, 0, `${sel} reaches past the axis`);
  }
  // An era name is whole, or an abbreviation with the whole name as title and label.
  for (const n of await page.$$eval('.tl-era-name', (l) => l.map((e) => ({ t: e.textContent, title: e.title, over: e.scrollWidth > e.clientWidth + 1 })))) {
    assert.ok(!n.over, `${n.t} is cut`);
    assert.ok(n.title.length >= n.t.replace('…', '').length, JSON.stringify(n));
  }
  assert.ok(await page.isVisible('.tl-legend'));
  assert.match(await page.textContent('.tl-legend'), /Disputed/);
}));

test('each filter and the search (people and places too) narrow the events, update the count and the URL, and survive a reload', TEST, () => open(base, {}, async (page, errors) => {
  const total = await shown(page);
  assert.equal(total, 58);
  for (const [sel, value] of [['#tl-f-countries', 'south-korea'], ['#tl-f-people', 'kim-il-sung'], ['#tl-f-tags', 'summit'], ['#tl-f-chapter', 'doi-moi'], ['#tl-f-era', 'summit']]) {
    await page.selectOption(sel, value);
    const n = await shown(page);
    assert.ok(n > 0 && n < total, `${sel}=${value} shows ${n} of ${total}`);
    assert.match(await page.textContent('.tl-count'), new RegExp(`^${n} of ${total} events match`));
    assert.match(await page.textContent('#tl-fold'), /1 active/);
    assert.ok(page.url().includes(sel.slice(6) + '='), page.url());
    await page.click('text=Clear filters');
  }
  await page.fill('#tl-q', 'Tran Dai Quang');
  assert.ok(await shown(page) > 0, 'a person named in no title or summary is found');
  await page.fill('#tl-q', 'samsung');
  const found = await shown(page);
  assert.ok(found > 0 && found < total);
  await page.reload();
  await page.waitForSelector('.tl-mark');
  assert.equal(await page.inputValue('#tl-q'), 'samsung');
  assert.equal(await shown(page), found);
  assert.deepEqual(errors, []);
}));

test('zoom and pan: buttons, keys, Ctrl+wheel about the pointer, drag; the plain wheel scrolls the page', TEST, () => open(base, { viewport: { width: 1280, height: 700 } }, async (page) => {
  const r0 = await view(page);
  await page.click('#tl-zoom-in');
  const r1 = await view(page);
  assert.ok(r1[1] - r1[0] < r0[1] - r0[0], 'zoom in narrows the range');
  await page.click('#tl-pan-right');
  const r2 = await view(page);
  assert.ok(r2[0] > r1[0], 'pan moves later');
  await page.keyboard.press('-');
  assert.ok((await view(page))[1] - (await view(page))[0] > r2[1] - r2[0], 'minus zooms out');
  await page.click('#tl-zoom-reset');
  assert.deepEqual(await view(page), r0);
  const ax = await page.$eval('.tl-axis', (e) => e.getBoundingClientRect().toJSON());
  const px = ax.left + ax.width * 0.25; const py = ax.top + 20;
  const yearAt = (r) => r[0] + (px - ax.left) / ax.width * (r[1] - r[0]);
  await page.mouse.move(px, py);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -100);
  await page.keyboard.up('Control');
  const z = await view(page);
  assert.ok(z[1] - z[0] < r0[1] - r0[0], 'Ctrl+wheel zooms in');
  assert.ok(Math.abs(yearAt(z) - yearAt(r0)) < 0.05, `the year under the pointer stays: ${yearAt(r0)} → ${yearAt(z)}`);
  // A drag pans: dragging left shows later years.
  await page.mouse.move(ax.left + 600, py);
  await page.mouse.down();
  await page.mouse.move(ax.left + 400, py, { steps: 5 });
  await page.mouse.up();
  const d = await view(page);
  assert.ok(d[0] > z[0], 'dragging left moves later');
  // The plain wheel over the axis leaves the axis alone and scrolls the page.
  await page.mouse.move(px, py);
  const y0 = await page.evaluate(() => scrollY);
  await page.mouse.wheel(0, 200);
  await page.waitForFunction((y) => scrollY > y, y0);
  assert.deepEqual(await view(page), d);
}));

test('story mode steps through one chapter, from the chapter page and the timeline', TEST, () => open(base, {}, async (page, errors) => {
  await page.goto(new URL('../chapters/doi-moi/', base).href);
  const link = await page.$('a.story-link');
  assert.ok(link, 'the chapter page links to its story');
  await link.click();
  await page.waitForSelector('#tl-detail:not([hidden]) .tl-story-note');
  assert.match(await page.textContent('.tl-story-note'), /^Story: .+, 1 of \d+$/);
  const n = Number((await page.textContent('.tl-story-note')).match(/of (\d+)/)[1]);
  assert.ok(n > 1);
  assert.ok(page.url().includes('story=doi-moi'));
  assert.equal(await page.$$eval('.tl-prev', (l) => l.length), 0, 'the first slide has no previous');
  await page.click('#tl-detail .tl-next');
  await page.waitForFunction(() => /, 2 of/.test(document.querySelector('.tl-story-note').textContent));
  await page.click('text=End the story');
  assert.equal(await page.$$eval('.tl-story-note', (l) => l.length), 0);
  assert.ok(!page.url().includes('story='));
  // From the timeline's own menu.
  await page.selectOption('#tl-story', 'doi-moi');
  await page.waitForFunction(() => /, 1 of/.test(document.querySelector('.tl-story-note')?.textContent || ''));
  assert.deepEqual(errors, []);
}));

test('phone: the axis is in the first screen, the filters fold behind one button, the detail is a bottom sheet a swipe moves', TEST, () => open(base, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true }, async (page, errors) => {
  const ax = await page.$eval('.tl-axis', (e) => e.getBoundingClientRect().toJSON());
  assert.ok(ax.bottom <= 844, `the axis ends at ${ax.bottom}px`);
  assert.ok(!(await page.isVisible('#tl-f-people')), 'the filters are folded');
  await page.click('#tl-fold');
  assert.ok(await page.isVisible('#tl-f-people'));
  await page.selectOption('#tl-f-people', 'kim-il-sung');
  assert.match(await page.textContent('#tl-fold'), /1 active/);
  await page.click('text=Clear filters');
  await page.click('#tl-fold');
  await page.tap('.tl-mark');
  await page.waitForSelector('#tl-detail:not([hidden]) .event-card');
  const sheet = await page.$eval('#tl-detail', (e) => ({ ...e.getBoundingClientRect().toJSON(), pos: getComputedStyle(e).position }));
  assert.equal(sheet.pos, 'fixed');
  assert.ok(Math.abs(sheet.bottom - 844) < 2, JSON.stringify(sheet));
  await shot(page, 'timeline-sheet-390');
  const first = await detailId(page);
  // A swipe to the left moves to the next event.
  await page.evaluate(() => {
    const d = document.getElementById('tl-detail');
    const t = (x) => new Touch({ identifier: 1, target: d, clientX: x, clientY: 700 });
    d.dispatchEvent(new TouchEvent('touchstart', { touches: [t(300)], changedTouches: [t(300)], bubbles: true }));
    d.dispatchEvent(new TouchEvent('touchend', { touches: [], changedTouches: [t(120)], bubbles: true }));
  });
  await page.waitForFunction((id) => document.getElementById('tl-detail').dataset.id !== id, first);
  assert.deepEqual(errors, []);
}));

test('without JavaScript the page lists the eras, whose pages list every event with its id', TEST, async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await ctx.newPage();
    await page.goto(base);
    assert.ok(await page.isHidden('#timeline-app'));
    const eras = await page.$$eval('.tl-era a', (l) => l.map((a) => a.href));
    assert.ok(eras.length >= 4);
    const listed = [];
    for (const url of eras) {
      await page.goto(url);
      listed.push(...await page.$$eval('.tl-event', (l) => l.map((e) => e.id)));
    }
    const data = JSON.parse(readFileSync(join(dir, 'timeline.json'), 'utf8'));
    assert.deepEqual([...listed].sort(), data.events.map((e) => e.unique_id).sort());
    // An event's page and its chapter's page link to its card on its era's page.
    for (const from of [`../events/${PILOTS}/`, '../chapters/cold-war-alliance/']) {
      await page.goto(new URL(from, base).href);
      await page.click(`a[data-timeline-href$="=${PILOTS}"]`);
      await page.waitForURL((u) => u.hash === '#' + PILOTS);
      assert.match(page.url(), /\/timeline\/[^/]+\/(\d+\/)?#/);
      assert.ok(await page.$eval(':target', (e) => e.classList.contains('tl-event') && e.textContent.includes('North Korean pilots')));
    }
  } finally {
    await ctx.close();
  }
});

test('no axe violations in either theme, no sideways scroll at 320 px, screenshots', TEST, async () => {
  for (const width of [320, 390, 1440]) {
    await open(base + '#2019-02-26-kim-jong-un-arrives', { viewport: { width, height: width < 400 ? 844 : 1000 } }, async (page, errors) => {
      await page.waitForSelector('#tl-detail .event-card');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `sideways scroll of ${overflow}px at ${width}px`);
      for (const scheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme: scheme });
        if (width !== 320) await shot(page, `timeline-${width}-${scheme}`);
        const v = await axe(page);
        assert.deepEqual(v, [], `${width} ${scheme}: ${JSON.stringify(v, null, 2)}`);
      }
      assert.deepEqual(errors, []);
    });
  }
});

// The page no longer holds the events: it names the files they load from. Its budget is
// what the eras, the menus and the layout need, with the site-wide style sheet and scripts
// (which the media, maps and citation popovers grew: 73 KiB in all on 2026-11-30); the
// script's is about 32 KiB as shipped.
test('budget: script at most 32 KiB, the first transfer (page, styles, scripts) at most 80 KiB', TEST, () => open(base, {}, async (page) => {
  const urls = await page.evaluate(() => [location.href, ...performance.getEntriesByType('resource').filter((r) => !r.name.endsWith('.json') && !/\/timeline\/[^/]+\/(\d+\/)?$/.test(r.name)).map((r) => r.name)]);
  let total = 0;
  for (const u of new Set(urls)) {
    const p = new URL(u).pathname.replace('/distant-comrades/', '');
    total += statSync(join(dir, p.endsWith('/') || p === '' ? p + 'index.html' : p)).size;
  }
  const js = statSync(join(dir, 'timeline.js')).size;
  const html = statSync(join(dir, 'timeline/index.html')).size;
  console.log(`timeline.js: ${(js / 1024).toFixed(1)} KiB; page ${(html / 1024).toFixed(1)} KiB; with resources: ${(total / 1024).toFixed(1)} KiB`);
  assert.ok(js <= 32 * 1024, `timeline.js is ${js} bytes`);
  assert.ok(total <= 80 * 1024, `timeline page weighs ${total} bytes`);
}));

test('with 5,000 events: the page stays small, the index loads, a filter change and a zoom step change what is shown', { timeout: 600_000 }, async () => {
  const root = syntheticSite(5000);
  let big; let s2;
  try {
    big = buildSite({ root, baseUrl: 'http://127.0.0.1/big/' });
    const html = readFileSync(join(big, 'timeline/index.html'));
    assert.ok(gzipSync(html).length < 64 * 1024, `the page is ${gzipSync(html).length} bytes compressed`);
    // Every era's page holds at most 100 cards.
    for (const era of readdirSync(join(big, 'timeline'), { withFileTypes: true }).filter((d) => d.isDirectory())) {
      const page = readFileSync(join(big, 'timeline', era.name, 'index.html'), 'utf8');
      assert.ok((page.match(/class="tl-event"/g) || []).length <= 100, era.name);
    }
    s2 = await serveDir(big, '/big/');
    await withPage(browser, { viewport: { width: 1280, height: 900 } }, async (page, errors) => {
      await page.goto(s2.url + 'timeline/');
      await page.waitForSelector('.tl-mark');
      assert.equal(await shown(page), 5000);
      const r0 = await view(page);
      await page.selectOption('#tl-f-countries', 'vietnam');
      // Every fourth synthetic event is in Vietnam.
      assert.match(await page.textContent('.tl-count'), /^1250 of 5000 events match/);
      assert.equal(await shown(page), 1250);
      await page.click('#tl-zoom-in');
      const r1 = await view(page);
      assert.ok(r1[1] - r1[0] < r0[1] - r0[0], `zoom in narrows the range: ${r0} to ${r1}`);
      // A deep link to an event on a later page of its era opens its card.
      await page.goto(s2.url + 'timeline/#e4321');
      await page.waitForSelector('#tl-detail .event-card');
      assert.match(await page.textContent('#tl-detail'), /Event 4321 of the synthetic timeline/);
      assert.deepEqual(errors, []);
    });
  } finally {
    await s2?.close();
    removeDir(big);
    removeDir(root);
  }
});

// A template may leave out any filter menu: the rest of the timeline works without it. One
// value per filter that narrows the documentary's events (as in the filter test above).
const NARROW = [['countries', 'south-korea'], ['people', 'kim-il-sung'], ['tags', 'summit'], ['chapter', 'doi-moi'], ['era', 'summit']];
for (const [gone, goneValue] of NARROW) {
  test(`without the ${gone} menu the axis, the other filters, the search and the URL state still work`, TEST, async () => {
    const root = copyDocumentary();
    let out; let s2;
    try {
      // The menus come from one loop over `filters`: keep that field out for this one name.
      const file = join(root, 'templates/timeline.html');
      const src = readFileSync(file, 'utf8');
      const field = /<div class="tl-field"><label for="tl-f-\{\{ f\.name \}\}">.*?<\/select><\/div>/;
      assert.match(src, field, 'the template has the filter field markup this test edits');
      writeFileSync(file, src.replace(field, (m) => `{% if f.name != "${gone}" %}${m}{% endif %}`));
      out = buildSite({ root, baseUrl: 'http://127.0.0.1/no-filter/' });
      s2 = await serveDir(out, '/no-filter/');
      // The URL names the missing filter: that part of the state is ignored.
      await withPage(browser, { viewport: { width: 1280, height: 900 } }, async (page, errors) => {
        await page.goto(s2.url + `timeline/?${gone}=${encodeURIComponent(goneValue)}`);
        await page.waitForSelector('.tl-mark');
        assert.equal(await page.$$eval(`#tl-f-${gone}`, (l) => l.length), 0, `the ${gone} menu is gone`);
        const total = 58;
        assert.equal(await shown(page), total);
        assert.match(await page.textContent('.tl-count'), new RegExp(`^${total} events`));
        const [other, value] = NARROW.find(([n]) => n !== gone);
        await page.selectOption(`#tl-f-${other}`, value);
        const n = await shown(page);
        assert.ok(n > 0 && n < total, `${other}=${value} shows ${n} of ${total}`);
        assert.ok(page.url().includes(`${other}=`) && !page.url().includes(`${gone}=`), page.url());
        await page.click('text=Clear filters');
        assert.equal(await shown(page), total);
        await page.fill('#tl-q', 'samsung');
        const found = await shown(page);
        assert.ok(found > 0 && found < total);
        assert.deepEqual(errors, []);
      });
    } finally {
      await s2?.close();
      removeDir(out);
      removeDir(root);
    }
  });
}
