// Hostile strings in every front-matter field (tests/fixtures/escaping/hostile) run no script
// in any page: every HTML page of that site is opened in Chromium, with scripts on, the
// timeline filtered and the search run on the payload, and any dialog (alert) or page error
// fails the test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, cpSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { buildSite, serveDir, launch, REPO } from './lib.mjs';

let server; let browser; let dir;
before(async () => {
  const root = mkdtempSync(join(tmpdir(), 'docsite-hostile-'));
  cpSync(join(REPO, 'templates'), join(root, 'templates'), { recursive: true });
  cpSync(join(REPO, 'static'), join(root, 'static'), { recursive: true });
  cpSync(join(REPO, 'tests/fixtures/escaping/hostile'), root, { recursive: true });
  dir = buildSite({ root, baseUrl: 'http://127.0.0.1/h/' });
  server = await serveDir(dir, '/h/');
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

function pages(d) {
  const out = [];
  for (const name of readdirSync(d)) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) out.push(...pages(p));
    else if (name.endsWith('.html')) out.push(relative(dir, p).replace(/index\.html$/, ''));
  }
  return out;
}

test('no hostile string runs a script on any page', async () => {
  const all = pages(dir);
  assert.ok(all.length >= 10, `only ${all.length} pages`);
  const page = await browser.newPage();
  const fired = [];
  page.on('dialog', (d) => { fired.push(`${page.url()}: ${d.message()}`); d.dismiss(); });
  page.on('pageerror', (e) => fired.push(`${page.url()}: ${e}`));
  for (const p of all) {
    await page.goto(server.url + p);
    await page.waitForLoadState('load');
    // Markup from a payload would add an <img onerror> or a second inline script.
    const injected = await page.evaluate(() => document.querySelectorAll('img[src="x"], [onerror]').length);
    assert.equal(injected, 0, `${p}: injected elements`);
  }
  // The scripted parts render front-matter text too: the timeline's cards and menus, search.
  await page.goto(server.url + 'timeline/#1957-hostile');
  await page.selectOption('#tl-f-tag', { index: 1 });
  await page.fill('#tl-q', 'script');
  await page.goto(server.url + 'search/');
  await page.fill('input[type="search"]', 'script alert');
  await page.waitForTimeout(300);
  await page.waitForTimeout(200);
  assert.deepEqual(fired, []);
  await page.close();
});
