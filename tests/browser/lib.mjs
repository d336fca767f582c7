// Shared helpers for the browser tests: build a site, serve a folder over HTTP on a free
// loopback port (optionally under a sub-path), and launch Debian's Chromium headless.
import { chromium } from 'playwright-core';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, statSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHOTS = join(REPO, 'target', 'screenshots');

const BIN = join(REPO, 'target', 'release', 'docsite');

/** Builds the site rooted at `root` into a new temp folder; returns that folder. */
export function buildSite({ root = REPO, baseUrl = 'http://127.0.0.1/', args = [] } = {}) {
  if (!existsSync(BIN)) {
    const b = spawnSync('cargo', ['build', '--release', '--locked', '-q'], { cwd: REPO, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('cargo build failed');
  }
  const out = mkdtempSync(join(tmpdir(), 'docsite-site-'));
  const r = spawnSync(BIN, ['build', '--base-url', baseUrl, '--output-dir', out, ...args], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stderr}`);
  return out;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.xml': 'application/xml', '.txt': 'text/plain; charset=utf-8',
};

/** Serves `dir` at http://127.0.0.1:<port><prefix>; resolves to { url, close }. */
export function serveDir(dir, prefix = '/') {
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!path.startsWith(prefix)) { res.writeHead(404); res.end(); return; }
    path = path.slice(prefix.length);
    if (path.includes('..')) { res.writeHead(400); res.end(); return; }
    let file = join(dir, path);
    try { if (statSync(file).isDirectory()) file = join(file, 'index.html'); } catch { /* 404 below */ }
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
      res.end(body);
    } catch {
      let body = '';
      try { body = readFileSync(join(dir, '404.html')); } catch { /* none */ }
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(body);
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    ok({ url: `http://127.0.0.1:${port}${prefix}`, port, close: () => new Promise((c) => server.close(c)) });
  }));
}

/** Launches headless Chromium with the flags this machine's closed network needs. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** Collects console errors and page errors of `page` into an array. */
export function watchErrors(page) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

/** Runs axe-core on the page; returns the violations. */
export async function axe(page) {
  const src = readFileSync(join(REPO, 'tests/browser/node_modules/axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: src });
  return page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) })));
}

/** Saves a screenshot to target/screenshots/<name>.png. */
export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}
