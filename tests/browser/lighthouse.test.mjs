// Lighthouse (mobile profile, Debian's Chromium) on the home page, a chapter and the
// timeline of the built documentary. Prints every score; requires Performance >= 95 and
// Accessibility, Best Practices and SEO = 100.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { buildSite, serveDir } from './lib.mjs';

let server; let chrome; let base;
before(async () => {
  const dir = buildSite({ baseUrl: 'http://127.0.0.1/distant-comrades/' });
  server = await serveDir(dir, '/distant-comrades/');
  base = server.url;
  chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM || '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
});
after(async () => { await chrome?.kill(); await server?.close(); });

async function firstChapter() {
  const html = await (await fetch(base)).text();
  const m = html.match(/class="chapter-link" href="([^"]+)"/);
  return m ? new URL(m[1], base).href : null;
}

for (const name of ['home', 'chapter', 'timeline']) {
  test(`lighthouse ${name}`, async (t) => {
    const url = name === 'home' ? base : name === 'timeline' ? `${base}timeline/` : await firstChapter();
    if (!url) { t.skip('the documentary has no chapter yet'); return; }
    const r = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'] });
    const c = r.lhr.categories;
    const s = Object.fromEntries(Object.entries(c).map(([k, v]) => [k, Math.round(v.score * 100)]));
    console.log(`lighthouse ${name}: performance=${s.performance} accessibility=${s.accessibility} best-practices=${s['best-practices']} seo=${s.seo}`);
    const failing = (cat) => cat.auditRefs.map((a) => r.lhr.audits[a.id]).filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'manual').map((a) => `${a.id}: ${a.title}`);
    const metrics = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index']
      .map((id) => `${id}=${r.lhr.audits[id].displayValue}`).join(' ');
    console.log(`lighthouse ${name}: ${metrics}`);
    assert.ok(s.performance >= 95, `performance ${s.performance}: ${metrics}\n${failing(c.performance).join('\n')}`);
    assert.equal(s.accessibility, 100, failing(c.accessibility).join('\n'));
    assert.equal(s['best-practices'], 100, failing(c['best-practices']).join('\n'));
    assert.equal(s.seo, 100, failing(c.seo).join('\n'));
  });
}
