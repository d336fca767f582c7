// Lighthouse runs shared by lighthouse.test.mjs (accessibility, best practices, SEO) and
// bench/browser.mjs --lighthouse (performance): a Chromium for Lighthouse, killed when the
// process ends, and one audit of a URL with its scores, metrics and failing audits.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { killOnExit } from './lib.mjs';

/** Launches Chromium for Lighthouse; `kill()` stops it, and process exit does too. */
export async function launchLighthouseChrome() {
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM || '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    maxConnectionRetries: 300,
  });
  // chrome-launcher starts Chromium in a process group of its own, which a signal to ours
  // does not reach: its kill() stops the group, once.
  let alive = true;
  const kill = () => { if (alive) { alive = false; chrome.kill(); } };
  killOnExit({ kill });
  return { port: chrome.port, kill };
}

/**
 * Audits `url` (mobile profile) in `chrome`; returns `scores` (category → 0–100),
 * `metrics` (the timing audits, one line) and `failing(category)` (its audits below 1).
 */
export async function lighthouseScores(chrome, url) {
  // Lighthouse's own waits for the first paint (30 s) and the load (45 s) are raised: on a
  // busy machine a slow load is not a finding of the accessibility, best-practice or SEO
  // audits (the Performance score, which it is, is checked by bench/browser.mjs only).
  const r = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error',
    maxWaitForFcp: 90_000, maxWaitForLoad: 180_000,
    onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'] });
  if (r.lhr.runtimeError) throw new Error(`lighthouse ${url}: ${r.lhr.runtimeError.code}: ${r.lhr.runtimeError.message}`);
  const c = r.lhr.categories;
  const scores = Object.fromEntries(Object.entries(c).map(([k, v]) => [k, Math.round(v.score * 100)]));
  const failing = (cat) => c[cat].auditRefs.map((a) => r.lhr.audits[a.id]).filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'manual').map((a) => `${a.id}: ${a.title}`);
  const metrics = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index']
    .map((id) => `${id}=${r.lhr.audits[id].displayValue}`).join(' ');
  return { scores, metrics, failing };
}
