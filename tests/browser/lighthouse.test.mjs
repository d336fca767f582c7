// Lighthouse (mobile profile, Debian's Chromium) on the home page, a chapter, the
// timeline and an event with a map of the built documentary, and the Vietnamese and Korean
// home page, chapter and timeline. Prints every score and requires Accessibility, Best
// Practices and SEO = 100. The Performance score is made of timings (it drops on a busy
// machine), so it is only printed here: bench/browser.mjs --lighthouse checks it (>= 95).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildSite, serveDir, removeDir } from './lib.mjs';
import { lighthouseScores, launchLighthouseChrome } from './lighthouse.mjs';

let server; let chrome; let base; let dir;
before(async () => {
  dir = buildSite({ baseUrl: 'http://127.0.0.1/distant-comrades/' });
  server = await serveDir(dir, '/distant-comrades/');
  base = server.url;
  chrome = await launchLighthouseChrome();
}, { timeout: 300_000 });
after(async () => {
  await chrome?.kill();
  await server?.close();
  removeDir(dir);
}, { timeout: 60_000 });

async function firstChapter() {
  const html = await (await fetch(base, { signal: AbortSignal.timeout(30_000) })).text();
  const m = html.match(/class="chapter-link" href="([^"]+)"/);
  return m ? new URL(m[1], base).href : null;
}

// An event whose page draws a map (of Hanoi).
const MAP_EVENT = 'events/1958-11-kim-il-sung-visits-north-vietnam/';

// The Vietnamese and Korean home page, a chapter and the timeline (issue 18).
const TRANSLATED = {
  'vi home': 'vi/', 'vi chapter': 'vi/chapters/hanoi-summit-2019/', 'vi timeline': 'vi/timeline/',
  'ko home': 'ko/', 'ko chapter': 'ko/chapters/doi-moi/', 'ko timeline': 'ko/timeline/',
};

for (const name of ['home', 'chapter', 'timeline', 'event with a map', ...Object.keys(TRANSLATED)]) {
  test(`lighthouse ${name}`, { timeout: 300_000 }, async (t) => {
    const url = name === 'home' ? base : name === 'timeline' ? `${base}timeline/`
      : name === 'event with a map' ? `${base}${MAP_EVENT}`
      : TRANSLATED[name] ? `${base}${TRANSLATED[name]}` : await firstChapter();
    if (!url) { t.skip('the documentary has no chapter yet'); return; }
    const { scores: s, metrics, failing } = await lighthouseScores(chrome, url);
    console.log(`lighthouse ${name}: performance=${s.performance} accessibility=${s.accessibility} best-practices=${s['best-practices']} seo=${s.seo}`);
    console.log(`lighthouse ${name}: ${metrics}`);
    assert.equal(s.accessibility, 100, failing('accessibility').join('\n'));
    assert.equal(s['best-practices'], 100, failing('best-practices').join('\n'));
    assert.equal(s.seo, 100, failing('seo').join('\n'));
  });
}
