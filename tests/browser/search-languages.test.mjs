// Search in other languages, in a real browser, on the fixtures tests/fixtures/build/vi
// (`language = "vi"`) and build/ko (`language = "ko"`): a query without diacritics finds
// Vietnamese words written with them ("doi moi" finds "Đổi Mới", the phrase first), short
// syllables are not taken for one another, a part of a Hangul word finds the word (also
// typed decomposed), and what matched is marked in titles and excerpts cut between words.
// Screenshots of both at 390 and 1440 px, light and dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { servedFixture, withPage, axe, shot } from './lib.mjs';

const TEST = { timeout: 120_000 };
let vi; let ko;
before(async () => {
  vi = await servedFixture('build/vi', '/vi-site/');
  ko = await servedFixture('build/ko', '/ko-site/');
}, { timeout: 600_000 });
after(async () => { await vi?.close(); await ko?.close(); }, { timeout: 60_000 });

async function search(page, base, q) {
  await page.goto(base + 'search/?q=' + encodeURIComponent(q));
  await page.waitForFunction(() => document.getElementById('search-status').textContent !== '');
  return page.$$eval('#search-results li', (l) => l.map((li) => ({
    title: li.querySelector('a').textContent,
    titleMarks: Array.from(li.querySelectorAll('a mark')).map((m) => m.textContent),
    marks: Array.from(li.querySelectorAll('mark')).map((m) => m.textContent),
    excerpt: li.querySelector('p').textContent,
  })));
}
const plain = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
const show = (hits) => JSON.stringify(hits.map((h) => h.title));

test('Vietnamese: words are found with or without diacritics, a phrase first', TEST, () => withPage(vi.browser, {}, async (page, errors) => {
  const hits = await search(page, vi.url, 'doi moi');
  const phrase = (h) => /đổi mới/i.test(h.title + ' ' + h.excerpt);
  assert.ok(hits.length >= 3, show(hits));
  assert.ok(phrase(hits[0]), show(hits));
  assert.ok(hits[0].marks.includes('Đổi') && hits[0].marks.includes('Mới'), JSON.stringify(hits[0]));
  // The event with both words apart, in its title, comes after every doc with the phrase.
  const apart = hits.findIndex((h) => h.title.startsWith('Quan hệ thay đổi'));
  assert.ok(apart > 0 && hits.slice(0, apart).every(phrase) && !hits.slice(apart).some(phrase), show(hits));
  assert.deepEqual((await search(page, vi.url, 'Đổi Mới')).map((h) => h.title), hits.map((h) => h.title));
  for (const [q, name] of [['Ha Noi', 'Hà Nội'], ['dong dang', 'Đồng Đăng'], ['nguyen van linh', 'Nguyễn Văn Linh']]) {
    const found = await search(page, vi.url, q);
    assert.ok(found.some((h) => h.title === name && h.titleMarks.join(' ') === name), `${q}: ${show(found)}`);
  }
  // Typo tolerance does not take one short syllable for another: "dang" marks only Đăng.
  const dang = await search(page, vi.url, 'dang');
  assert.ok(dang.length > 0);
  assert.ok(dang.every((h) => h.marks.every((m) => plain(m) === 'dang')), JSON.stringify(dang));
  assert.deepEqual(errors, []);
}));

test('Korean: a part of a word finds it, composed or decomposed, and is marked', TEST, () => withPage(ko.browser, {}, async (page, errors) => {
  const jongun = await search(page, ko.url, '정은');
  const person = jongun.find((h) => h.title === '김정은');
  assert.ok(person, show(jongun));
  assert.deepEqual(person.titleMarks, ['정은']);
  assert.ok(jongun.every((h) => h.marks.every((m) => m === '정은')), JSON.stringify(jongun));
  // A particle glued to the noun: 하노이에서, 하노이를.
  const hanoi = await search(page, ko.url, '하노이');
  assert.ok(hanoi.some((h) => /하노이에서/.test(h.excerpt)), show(hanoi));
  assert.ok(hanoi.some((h) => h.title === '김일성의 베트남 방문'), show(hanoi));
  assert.ok(hanoi.every((h) => h.marks.length && h.marks.every((m) => m === '하노이')), JSON.stringify(hanoi));
  // Typed decomposed (NFD: jamo), it finds the same.
  const nfd = '김정은'.normalize('NFD');
  assert.notEqual(nfd, '김정은');
  const composed = (await search(page, ko.url, '김정은')).map((h) => h.title);
  assert.ok(composed.includes('김정은'), JSON.stringify(composed));
  assert.deepEqual((await search(page, ko.url, nfd)).map((h) => h.title), composed);
  // One syllable finds the words holding it.
  const kim = (await search(page, ko.url, '김')).map((h) => h.title);
  assert.ok(kim.includes('김정은') && kim.includes('김일성'), JSON.stringify(kim));
  assert.deepEqual(errors, []);
}));

test('excerpts are pieces of the text cut between words; the pages pass axe; screenshots', TEST, async () => {
  for (const [site, q, name] of [[vi, 'doi moi', 'vi'], [ko, '하노이', 'ko']]) {
    await withPage(site.browser, {}, async (page, errors) => {
      const hits = await search(page, site.url, q);
      const docs = await page.evaluate(async () => {
        const head = await (await fetch('../search.json')).json();
        const all = [];
        for (let k = 0; k * head.chunk < head.docs; k++) all.push(...await (await fetch(`../search/d${k}.json`)).json());
        return all;
      });
      for (const h of hits) {
        const inner = h.excerpt.replace(/^… /, '').replace(/ …$/, '');
        const text = docs.find((d) => d.t === h.title).x || inner;
        const at = text.indexOf(inner);
        assert.ok(at >= 0, `${name}: the excerpt is a piece of the text: ${h.excerpt}`);
        assert.ok(at === 0 || /\s/.test(text[at - 1]), `${name}: starts mid-word: ${h.excerpt}`);
        const end = at + inner.length;
        assert.ok(end === text.length || /\s/.test(text[end]), `${name}: ends mid-word: ${h.excerpt}`);
      }
      for (const width of [390, 1440]) {
        await page.setViewportSize({ width, height: 900 });
        for (const scheme of ['light', 'dark']) {
          await page.emulateMedia({ colorScheme: scheme });
          await shot(page, `search-${name}-${width}-${scheme}`);
          assert.deepEqual(await axe(page), [], `${name} ${width} ${scheme}`);
          const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          assert.ok(wide <= 0, `${name} ${width}: the page scrolls sideways by ${wide}px`);
        }
      }
      assert.deepEqual(errors, []);
    });
  }
});

test('Korean text is set in a Hangul font, words kept whole, with no sideways scroll at 320 px', TEST, () => withPage(ko.browser, { viewport: { width: 320, height: 800 } }, async (page, errors) => {
  await page.goto(ko.url + 'chapters/summit/');
  const p = page.locator('.prose p').first();
  assert.equal(await p.evaluate((el) => getComputedStyle(el).wordBreak), 'keep-all');
  assert.match(await p.evaluate((el) => getComputedStyle(el).fontFamily), /^"Apple SD Gothic Neo", "Malgun Gothic", "Noto Sans CJK KR"/);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(wide <= 0, `the page scrolls sideways by ${wide}px`);
  assert.deepEqual(errors, []);
}));
