// `docsite serve` of the documentary with a page open in headless Chromium: an edit reaches the
// open page (the reader keeps their place, the page's scripts run again), a build error shows
// as an overlay with its path:line:col while the last good page stays, fixing it reloads, and
// a CSS-only change swaps the stylesheet without a reload. How fast an edit reaches the screen
// is measured by bench/browser.mjs, not here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, withPage, startServe, copyDocumentary, removeDir, SHOTS, REPO } from './lib.mjs';

// Each wait for a rebuild to reach the page; a rebuild of the documentary takes milliseconds,
// so this only turns a lost update into a failure instead of a hang.
const WAIT = { timeout: 30_000 };
const TEST = { timeout: 120_000 };

let root; let server; let browser;
before(async () => {
  root = copyDocumentary();
  server = await startServe(root);
  browser = await launch();
}, { timeout: 300_000 });
after(async () => {
  await browser?.close();
  await server?.close();
  removeDir(root);
}, { timeout: 60_000 });

const CHAPTER = 'content/chapters/cold-war-alliance.md';
/** The chapter's title, in its page's <main> whatever the chapter's text becomes. */
const KEPT = readFileSync(join(REPO, CHAPTER), 'utf8').match(/^title = "(.*)"$/m)[1];

/** Opens the chapter and waits until its live script has had its first answer. */
async function openChapter(page) {
  await page.goto(server.url + 'chapters/cold-war-alliance/');
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((r) => r.name.includes('/__docsite/poll')), null, WAIT);
}

/** Runs `fn`, then puts back the file `rel` of the served copy as it was. */
async function restoring(rel, fn) {
  const original = readFileSync(join(root, rel), 'utf8');
  try {
    return await fn(original);
  } finally {
    writeFileSync(join(root, rel), original);
  }
}

test('each edit to a chapter reaches the open page, which keeps its place and reruns its scripts', TEST, async () => {
  await withPage(browser, { viewport: { width: 1280, height: 800 } }, async (page, errors) => {
    await openChapter(page);
    await page.evaluate(() => window.scrollTo(0, 1500));
    await restoring(CHAPTER, async (original) => {
      for (let i = 0; i < 3; i++) {
        const word = `Edited${i}`;
        writeFileSync(join(root, CHAPTER), `${original}\n${word}\n`);
        await page.waitForFunction((w) => document.body.textContent.includes(w), word, WAIT);
        assert.ok(!(await page.evaluate((w) => document.body.textContent.includes(w), `Edited${i - 1}`)), 'the previous edit is gone');
      }
      assert.equal(await page.evaluate(() => window.scrollY), 1500, 'the reader keeps their place');
      // The page's own scripts ran again over the new body: the theme toggle still works.
      await page.click('.theme-toggle');
      assert.ok(await page.evaluate(() => document.documentElement.hasAttribute('data-theme')), 'site.js re-ran');
    });
    assert.deepEqual(errors, []);
  });
});

test('a build error shows over the page with its location; fixing it reloads', TEST, async () => {
  await withPage(browser, {}, async (page) => {
    await openChapter(page);
    await restoring(CHAPTER, async (original) => {
      writeFileSync(join(root, CHAPTER), original.replace('order = 1', 'order = "first"'));
      const box = await page.waitForSelector('#docsite-error', WAIT);
      assert.match(await box.textContent(), /content\/chapters\/cold-war-alliance\.md:3:9/);
      assert.ok((await page.textContent('main')).includes(KEPT), 'the last good page stays');
      await page.screenshot({ path: join(SHOTS, 'serve-error-overlay.png') });
    });
    await page.waitForSelector('#docsite-error', { state: 'detached', ...WAIT });
    assert.ok((await page.textContent('main')).includes(KEPT));
  });
});

test('a stylesheet change swaps in without a reload', TEST, async () => {
  await withPage(browser, {}, async (page, errors) => {
    await openChapter(page);
    await page.evaluate(() => { window.__stillHere = true; });
    await restoring('static/style.css', async () => {
      appendFileSync(join(root, 'static/style.css'), '\nbody { outline: 3px solid rgb(1, 2, 3); }\n');
      await page.waitForFunction(() => getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)', null, WAIT);
      assert.equal(await page.evaluate(() => window.__stillHere), true, 'the page was not reloaded');
    });
    assert.deepEqual(errors, []);
  });
});
