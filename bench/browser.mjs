#!/usr/bin/env node
// Browser timings, in headless Chromium, with thresholds. The browser tests assert only
// behaviour; every timing figure of the generated site is measured here instead.
//
// Usage: bench/browser.mjs [--runs 7] [--lighthouse]
//        bench/browser.mjs --site DIR --edit FILE --open PATH [--runs 7]
//
// With --site, only the first figure is measured, on a copy of the site DIR (such as the
// corpus of `bench/run`), saving FILE (relative to DIR) with the page PATH open: for example
// `--site /dev/shm/c --edit content/events/e00042-x.md --open events/e00042-x/`.
//
// 1. `serve`: from the save of a chapter of the documentary to the first frame that shows
//    the edit on the open page (runs + 1 edits, the first not counted). Limit: 100 ms.
// 2. The timeline with 10,000 and 100,000 synthetic events: a filter change (all events to
//    one country in four) and a zoom step, each from the input to the next frame after
//    layout (runs + 1 times, the first not counted); at 100,000 in a ten-year view, which
//    is what the script loads. Limit: 100 ms each.
// 3. With --lighthouse: Lighthouse's Performance score (mobile profile) of the home page, a
//    chapter and the timeline. Limit: at least 95.
//
// Prints each figure's median and runs, then one line
// `save_ms=… filter_10k_ms=… zoom_10k_ms=… filter_100k_ms=… zoom_100k_ms=… [lighthouse_min=…] load=…`, and exits 1 when a figure is
// over its limit (2 when the benchmark itself fails or runs over 20 minutes).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LIMIT_MS = 100;
const LIGHTHOUSE_MIN = 95;

const argv = process.argv.slice(2);
const runs = argv.includes('--runs') ? Number(argv[argv.indexOf('--runs') + 1]) : 7;
const withLighthouse = argv.includes('--lighthouse');
const option = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const site = option('--site') && { dir: resolve(option('--site')), edit: option('--edit'), open: option('--open') };
const valued = ['--runs', '--site', '--edit', '--open'];
if (!(runs >= 1) || argv.some((a, i) => a.startsWith('--') && ![...valued, '--lighthouse'].includes(a)) || valued.some((o) => argv.includes(o) && !option(o)) || (site && !(site.edit && site.open))) {
  console.error('usage: bench/browser.mjs [--runs N] [--lighthouse] | --site DIR --edit FILE --open PATH [--runs N]');
  process.exit(2);
}

// Chromium and the Node packages of tests/browser (does nothing when they are there).
if (!existsSync(join(REPO, 'tests/browser/node_modules'))) {
  const r = spawnSync(join(REPO, 'scripts/setup-browser'), { stdio: 'inherit', timeout: 20 * 60_000 });
  if (r.status !== 0) process.exit(2);
}
const lib = await import('../tests/browser/lib.mjs');
const { launch, withPage, startServe, copyDocumentary, syntheticSite, buildSite, serveDir, removeDir } = lib;

const deadline = setTimeout(() => {
  console.error('error: the benchmark did not finish within 20 minutes');
  process.exit(2);
}, 20 * 60_000);
deadline.unref();

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const list = (a) => a.map((t) => t.toFixed(0)).join(', ');
const WAIT = { timeout: 60_000 };
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const loadBefore = load();

/** From the save of a chapter to the first frame showing the edit, under `docsite serve`. */
async function saveToScreen(browser) {
  let root;
  if (site) {
    // A copy in memory when it can be: the corpus is large.
    root = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'docsite-bench-site-'));
    cpSync(site.dir, root, { recursive: true });
  } else root = copyDocumentary();
  let server;
  try {
    server = await startServe(root);
    const chapter = join(root, site ? site.edit : 'content/chapters/cold-war-alliance.md');
    const original = readFileSync(chapter, 'utf8');
    return await withPage(browser, { viewport: { width: 1280, height: 800 } }, async (page) => {
      await page.goto(server.url + (site ? site.open : 'chapters/cold-war-alliance/'), WAIT);
      await page.waitForFunction(() => performance.getEntriesByType('resource').some((r) => r.name.includes('/__docsite/poll')), null, WAIT);
      await page.evaluate(() => window.scrollTo(0, 1500));
      const times = [];
      try {
        for (let i = 0; i <= runs; i++) {
          const word = `Edited${i}`;
          // The page's clock is epoch-based like Node's: the edit is timed from the save to
          // the first frame that shows it, leaving out the harness's own latency.
          await page.evaluate((w) => {
            window.__seen = 0;
            const check = () => {
              if (document.body.textContent.includes(w)) {
                requestAnimationFrame(() => { window.__seen = performance.timeOrigin + performance.now(); });
              } else requestAnimationFrame(check);
            };
            check();
          }, word);
          const builds = () => server.log.filter((l) => l.startsWith('built ')).length;
          const before = builds();
          const saved = performance.timeOrigin + performance.now();
          writeFileSync(chapter, `${original}\n${word}\n`);
          await page.waitForFunction(() => window.__seen > 0, null, WAIT);
          const seen = await page.evaluate(() => window.__seen);
          if (i > 0) times.push(seen - saved);
          // Let the server settle before the next save: the edited page may be shown before
          // the rebuild ends (a preview), and a save during a rebuild waits for its end.
          const settle = Date.now() + 600_000;
          while (builds() === before && Date.now() < settle) await page.waitForTimeout(10);
          await page.waitForTimeout(50);
        }
      } finally {
        writeFileSync(chapter, original);
      }
      return times;
    });
  } finally {
    await server?.close();
    removeDir(root);
  }
}

/**
 * A filter change and a zoom step on the timeline of `n` synthetic events, each to the next
 * frame. Above 20,000 events the script loads only the runs in view, so the view is first
 * narrowed to ten years (about 14,000 events at 100,000), and the figures are for those.
 */
async function timelineBench(browser, n) {
  const root = syntheticSite(n);
  let dir; let server;
  try {
    dir = buildSite({ root, baseUrl: 'http://127.0.0.1/big/' });
    server = await serveDir(dir, '/big/');
    return await withPage(browser, { viewport: { width: 1280, height: 900 } }, async (page) => {
      await page.goto(server.url + 'timeline/');
      await page.waitForSelector('.tl-axis');
      await page.evaluate(() => window.__timeline.ready());
      if (n > 20000) {
        await page.evaluate(() => { for (let i = 0; i < 4; i++) window.__timeline.zoom(1 / 1.6, 1985); });
        await page.evaluate(() => window.__timeline.ready());
      }
      const all = await page.evaluate(() => window.__timeline.shown());
      const filter = []; const zoom = [];
      for (let i = 0; i <= runs; i++) {
        const t = await page.evaluate(async () => {
          const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
          const sel = document.getElementById('tl-f-countries');
          let t0 = performance.now();
          sel.value = 'vietnam'; sel.dispatchEvent(new Event('input', { bubbles: true }));
          document.body.offsetHeight; await frame();
          const filter = performance.now() - t0;
          const v = window.__timeline.view();
          t0 = performance.now();
          document.getElementById('tl-zoom-in').click();
          document.body.offsetHeight; await frame();
          const zoom = performance.now() - t0;
          // Back to every event and the same range, untimed, for the next run.
          sel.value = ''; sel.dispatchEvent(new Event('input', { bubbles: true }));
          window.__timeline.zoom((v[1] - v[0]) / (window.__timeline.view()[1] - window.__timeline.view()[0]), (v[0] + v[1]) / 2);
          await frame();
          return { filter, zoom, shown: window.__timeline.shown() };
        });
        if (t.shown < all) throw new Error(`after the reset ${t.shown} events are shown, not ${all}`);
        if (i > 0) { filter.push(t.filter); zoom.push(t.zoom); }
      }
      return { filter, zoom, loaded: all };
    });
  } finally {
    await server?.close();
    removeDir(dir);
    removeDir(root);
  }
}

/** Lighthouse's Performance score of the home page, the first chapter and the timeline. */
async function lighthousePerformance() {
  const { launchLighthouseChrome, lighthouseScores } = await import('../tests/browser/lighthouse.mjs');
  const dir = buildSite({ baseUrl: 'http://127.0.0.1/distant-comrades/' });
  let server; let chrome;
  try {
    server = await serveDir(dir, '/distant-comrades/');
    chrome = await launchLighthouseChrome();
    const html = await (await fetch(server.url, { signal: AbortSignal.timeout(30_000) })).text();
    const m = html.match(/class="chapter-link" href="([^"]+)"/);
    const pages = [['home', server.url], ['timeline', server.url + 'timeline/']];
    if (m) pages.splice(1, 0, ['chapter', new URL(m[1], server.url).href]);
    const out = [];
    for (const [name, url] of pages) {
      const { scores, metrics } = await lighthouseScores(chrome, url);
      out.push({ name, performance: scores.performance, metrics });
    }
    return out;
  } finally {
    chrome?.kill();
    await server?.close();
    removeDir(dir);
  }
}

const over = [];
function report(name, times) {
  const m = median(times);
  const ok = m < LIMIT_MS;
  if (!ok) over.push(`${name}: median ${m.toFixed(1)} ms >= ${LIMIT_MS} ms`);
  console.log(`${name.padEnd(34)} median ${m.toFixed(1).padStart(6)} ms  limit ${LIMIT_MS} ms  ${ok ? 'ok' : 'OVER'}  (runs: ${list(times)} ms)`);
  return m;
}

let browser;
try {
  browser = await launch();
  console.log(`load average before: ${loadBefore}; ${runs} counted runs each`);
  const save = report('serve: save to the edit on screen', await saveToScreen(browser));
  let summary = `save_ms=${save.toFixed(1)}`;
  if (!site) {
    for (const n of [10000, 100000]) {
      const t = await timelineBench(browser, n);
      const k = `${n / 1000}k`;
      const filter = report(`${n.toLocaleString('en')} events (${t.loaded} loaded): filter change`, t.filter);
      const zoom = report(`${n.toLocaleString('en')} events: zoom step`, t.zoom);
      summary += ` filter_${k}_ms=${filter.toFixed(1)} zoom_${k}_ms=${zoom.toFixed(1)}`;
    }
    if (withLighthouse) {
      await browser.close(); browser = undefined;
      const scores = await lighthousePerformance();
      for (const s of scores) {
        const ok = s.performance >= LIGHTHOUSE_MIN;
        if (!ok) over.push(`lighthouse ${s.name}: performance ${s.performance} < ${LIGHTHOUSE_MIN}`);
        console.log(`lighthouse ${s.name.padEnd(9)} performance ${String(s.performance).padStart(3)}  minimum ${LIGHTHOUSE_MIN}  ${ok ? 'ok' : 'UNDER'}  (${s.metrics})`);
      }
      summary += ` lighthouse_min=${Math.min(...scores.map((s) => s.performance))}`;
    }
  }
  console.log(`load average after: ${load()}`);
  console.log(`${summary} load=${loadBefore.split(' ')[0]}`);
} catch (e) {
  console.error(`error: ${e.stack || e}`);
  process.exitCode = 2;
} finally {
  await browser?.close();
}
if (!process.exitCode && over.length) {
  console.error(`over the limit:\n  ${over.join('\n  ')}`);
  process.exitCode = 1;
}
clearTimeout(deadline);
