// Shared helpers for the browser tests and bench/browser.mjs: build a site, serve a folder
// over HTTP on a free loopback port (optionally under a sub-path), run `docsite serve`, and
// launch Debian's Chromium headless.
//
// Nothing made here may outlive its test file, or keep it running after a failure: every
// wait is bounded (a child that does not answer is killed, an error names what timed out),
// the HTTP server drops its open connections when closed and never by itself keeps the
// process alive, and every child process and temp folder is also killed or removed by a
// hook on process exit and on SIGTERM/SIGINT/SIGHUP (the test runner sends SIGTERM to a file
// that overran `--test-timeout`). Tests still close what they open in `finally`/`after`;
// the hooks are the net under them.
import { chromium } from 'playwright-core';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync, mkdirSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHOTS = join(REPO, 'target', 'screenshots');
export const BIN = join(REPO, 'target', 'release', 'docsite');

/** Bounds, in milliseconds, on the slow steps (generous: they guard against hangs only). */
export const LIMITS = { cargo: 30 * 60_000, build: 5 * 60_000, serveStart: 2 * 60_000, kill: 5_000 };

// ------------------------------------------------------------- cleanup on any exit

const children = new Set();
const tempDirs = new Set();

function cleanup() {
  for (const c of children) {
    try { c.kill('SIGKILL'); } catch { /* already gone */ }
  }
  children.clear();
  for (const d of tempDirs) {
    try { rmSync(d, { recursive: true, force: true }); } catch { /* best effort */ }
  }
  tempDirs.clear();
}
process.on('exit', cleanup);
// `on`, not `once`: a second signal during the cleanup (the test runner and `timeout` may
// both send one) must not find the default action back and kill the process half-way.
let stopping = false;
for (const [sig, n] of [['SIGTERM', 15], ['SIGINT', 2], ['SIGHUP', 1]]) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    cleanup();
    process.exit(128 + n);
  });
}

/**
 * Has `child` killed when the process ends, if it is still running: a ChildProcess, or any
 * object whose `kill()` stops what it stands for.
 */
export function killOnExit(child) {
  children.add(child);
  child.once?.('exit', () => children.delete(child));
  return child;
}

/** A new temp folder, removed by `removeDir` or else when the process ends. */
export function tempDir(prefix) {
  const d = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(d);
  return d;
}

/** Removes a folder made by `tempDir` or `buildSite` (nothing when `d` is undefined). */
export function removeDir(d) {
  if (!d) return;
  rmSync(d, { recursive: true, force: true });
  tempDirs.delete(d);
}

/** `spawnSync` with a deadline: throws, naming the command, when it overruns or fails. */
function runSync(cmd, args, opts, limit) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: limit, killSignal: 'SIGKILL', maxBuffer: 256 << 20, ...opts });
  if (r.error?.code === 'ETIMEDOUT') throw new Error(`${cmd} ${args.join(' ')} did not finish within ${limit / 1000} s; killed`);
  if (r.error) throw r.error;
  return r;
}

// ------------------------------------------------------------- building

/** Builds target/release/docsite when it is missing. */
export function ensureBinary() {
  if (existsSync(BIN)) return;
  const r = runSync('cargo', ['build', '--release', '--locked', '-q'], { cwd: REPO, stdio: 'inherit' }, LIMITS.cargo);
  if (r.status !== 0) throw new Error('cargo build failed');
}

/** Builds the site rooted at `root` into a new temp folder; returns that folder. */
export function buildSite({ root = REPO, baseUrl = 'http://127.0.0.1/', args = [] } = {}) {
  ensureBinary();
  const out = tempDir('docsite-site-');
  const r = runSync(BIN, ['build', '--base-url', baseUrl, '--output-dir', out, ...args], { cwd: root }, LIMITS.build);
  if (r.status !== 0) throw new Error(`build failed:\n${r.stderr}`);
  return out;
}

/** A temp copy of the documentary's sources (templates, static, content, site.toml). */
export function copyDocumentary() {
  const root = tempDir('docsite-src-');
  for (const d of ['templates', 'static', 'content']) cpSync(join(REPO, d), join(root, d), { recursive: true });
  cpSync(join(REPO, 'site.toml'), join(root, 'site.toml'));
  return root;
}

/** A temp copy of the fixture site `tests/fixtures/<name>`, with the repository's templates
 * and static files. */
export function fixtureSite(name) {
  const root = tempDir('docsite-fixture-');
  cpSync(join(REPO, 'tests/fixtures', name), root, { recursive: true });
  for (const d of ['templates', 'static']) cpSync(join(REPO, d), join(root, d), { recursive: true });
  return root;
}

/**
 * A synthetic site of `n` events over 1950–2019 (the repository's templates and static
 * files, one chapter, one source), four countries and 13 tags in turn; returns its root.
 */
export function syntheticSite(n) {
  const root = tempDir(`docsite-${n}-`);
  for (const d of ['templates', 'static']) cpSync(join(REPO, d), join(root, d), { recursive: true });
  cpSync(join(REPO, 'site.toml'), join(root, 'site.toml'));
  mkdirSync(join(root, 'content/events'), { recursive: true });
  mkdirSync(join(root, 'content/chapters'), { recursive: true });
  writeFileSync(join(root, 'content/sources.toml'), '[[source]]\nid = "S"\ntitle = "Synthetic"\n');
  writeFileSync(join(root, 'content/chapters/c.md'), '+++\ntitle = "C"\norder = 1\nsummary = "s"\nyears = [1950, 2019]\n+++\nText.\n');
  for (let i = 0; i < n; i++) {
    const y = 1950 + (i % 70); const m = String(1 + (i % 12)).padStart(2, '0');
    writeFileSync(join(root, `content/events/e${i}.md`), `+++\ntitle = "Event ${i} of the synthetic timeline"\ndate = "${y}-${m}"\nsummary = "Summary number ${i} with a word w${i % 97} [@S]."\ncountries = ["${SYNTHETIC_COUNTRIES[i % 4]}"]\ntags = ["t${i % 13}"]\nchapter = "c"\nsources = ["S"]\n+++\nBody ${i}.\n`);
  }
  return root;
}
export const SYNTHETIC_COUNTRIES = ['North Korea', 'Vietnam', 'South Korea', 'China'];

// ------------------------------------------------------------- serving

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.xml': 'application/xml', '.txt': 'text/plain; charset=utf-8',
  '.webp': 'image/webp', '.jpg': 'image/jpeg', '.png': 'image/png', '.mp3': 'audio/mpeg',
};

/**
 * Serves `dir` at http://127.0.0.1:<port><prefix>; resolves to { url, port, close }.
 * `close` drops open (keep-alive) connections too, so it always completes; the server does
 * not keep the process alive by itself (it is unref'd), so one left open cannot hang a run.
 */
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
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      server.unref();
      const { port } = server.address();
      const close = () => new Promise((c) => { server.close(() => c()); server.closeAllConnections(); });
      ok({ url: `http://127.0.0.1:${port}${prefix}`, port, close });
    });
  });
}

/**
 * Starts `docsite serve --port 0` in `root` (plus `args`); resolves, once it prints its
 * address, to { url, child, log, close } where `log` holds its stderr lines. Rejects, with
 * the child killed, when it exits first or does not start within LIMITS.serveStart.
 * `close` kills it and waits (bounded) for it to exit; it is killed on process exit too.
 */
export function startServe(root, args = []) {
  ensureBinary();
  const child = killOnExit(spawn(BIN, ['serve', '--port', '0', ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] }));
  const exited = new Promise((r) => child.once('exit', r));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), LIMITS.kill);
      await exited;
      clearTimeout(timer);
    }
  };
  const log = [];
  return new Promise((ok, fail) => {
    const give = (e) => { clearTimeout(timer); close().then(() => fail(e)); };
    const timer = setTimeout(() => give(new Error(`docsite serve printed no address within ${LIMITS.serveStart / 1000} s:\n${log.join('\n')}`)), LIMITS.serveStart);
    child.once('error', give);
    child.once('exit', (c, s) => give(new Error(`docsite serve exited (${c ?? s}) before serving:\n${log.join('\n')}`)));
    createInterface({ input: child.stderr }).on('line', (l) => {
      log.push(l);
      const m = l.match(/ at (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) { clearTimeout(timer); ok({ url: m[1], child, log, close }); }
    });
  });
}

// ------------------------------------------------------------- the browser

/** Launches headless Chromium with the flags this machine's closed network needs. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    timeout: 120_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/**
 * Opens a page (`options` as for `browser.newPage`), calls `fn(page, errors)` with the
 * page's console and page errors collected in `errors`, and closes the page whatever
 * happens. Playwright's waits on it are bounded at 30 s each (its default).
 */
export async function withPage(browser, options, fn) {
  const page = await browser.newPage(options);
  try {
    return await fn(page, watchErrors(page));
  } finally {
    await page.close().catch(() => {});
  }
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

/**
 * A copy of fixture site `name` (tests/fixtures/<name>) built under `basePath`, served, and a
 * browser: `{ url, browser, close }`, where `url` is the site's root and `close()` stops the
 * browser and the server and removes the copy and the build.
 */
export async function servedFixture(name, basePath = '/') {
  return served(() => fixtureSite(name), basePath, true);
}

/** The site `makeRoot()` makes (a temp folder, removed by `close()`), built, served, and a
 * browser, as `servedFixture`. */
export async function servedSite(makeRoot, basePath = '/') {
  return served(makeRoot, basePath, true);
}

/** The documentary itself built under `basePath`, served, and a browser, as `servedFixture`. */
export async function servedDocumentary(basePath = '/') {
  return served(() => REPO, basePath, false);
}

// Builds the site `makeRoot()` gives (removed at the end when `owned`), serves it, launches
// a browser.
async function served(makeRoot, basePath, owned) {
  let root; let dir; let server; let browser;
  const close = async () => {
    await browser?.close();
    await server?.close();
    removeDir(dir);
    if (owned) removeDir(root);
  };
  try {
    root = makeRoot();
    dir = buildSite({ root, baseUrl: `http://127.0.0.1${basePath}` });
    server = await serveDir(dir, basePath);
    browser = await launch();
  } catch (e) {
    await close();
    throw e;
  }
  return { url: server.url, browser, close };
}

/** Saves a screenshot to target/screenshots/<name>.png. */
export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}
