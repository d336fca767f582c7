// Hostile strings in every front-matter field and body (tests/fixtures/escaping/hostile)
// run no script in any page. Every HTML page of that site is opened in Chromium, with
// scripts on, the timeline filtered and the search run on the payload; any dialog (alert)
// or page error fails the test, and so does any element with an on* attribute, a link or
// source whose scheme is not http(s) or mailto, an id written twice, or a skip link that
// does not land on <main>. atom.xml and sitemap.xml must parse as XML in the browser, and
// timeline.json's headlines (which TimelineJS3 renders as HTML) hold no raw markup.
// What cannot be made safe (heading attributes, script URLs, control characters, a base
// URL with a newline) must fail the build at its path:line:col, in every Markdown field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, cpSync, readdirSync, statSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { buildSite, serveDir, launch, REPO } from './lib.mjs';

const BIN = join(REPO, 'target', 'release', 'docsite');
const temps = [];
let server; let browser; let dir; let root;

function hostileRoot() {
  const r = mkdtempSync(join(tmpdir(), 'docsite-hostile-'));
  temps.push(r);
  cpSync(join(REPO, 'templates'), join(r, 'templates'), { recursive: true });
  cpSync(join(REPO, 'static'), join(r, 'static'), { recursive: true });
  cpSync(join(REPO, 'tests/fixtures/escaping/hostile'), r, { recursive: true });
  return r;
}

before(async () => {
  root = hostileRoot();
  dir = buildSite({ root, baseUrl: 'http://127.0.0.1/h/' });
  temps.push(dir);
  server = await serveDir(dir, '/h/');
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function pages(d) {
  const out = [];
  for (const name of readdirSync(d)) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) out.push(...pages(p));
    else if (name.endsWith('.html')) out.push(relative(dir, p).replace(/index\.html$/, ''));
  }
  return out;
}

/** What a page holds that could run a script or break the layout's ids. */
function audit() {
  const bad = [];
  const ids = new Map();
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) bad.push(`<${el.localName} ${a.name}="${a.value}">`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'srcdoc'].includes(a.name)) {
        // The browser's own URL parser reads the scheme.
        let protocol = '';
        try { protocol = new URL(a.value, document.baseURI).protocol; } catch { protocol = 'invalid:'; }
        if (!['http:', 'https:', 'mailto:'].includes(protocol)) bad.push(`<${el.localName} ${a.name}="${a.value}">`);
      }
    }
    if (el.id) ids.set(el.id, (ids.get(el.id) || 0) + 1);
  }
  const twice = [...ids].filter(([, n]) => n > 1).map(([id]) => id);
  const skip = document.querySelector('a[href="#main"]');
  const target = skip && document.getElementById('main');
  return {
    bad,
    twice,
    skipLandsOnMain: !skip || (target && target.localName === 'main'),
    scripts: document.querySelectorAll('script:not([src]):not([type="application/json"])').length,
    imgs: document.querySelectorAll('img[src="x"], [onerror], [autofocus]').length,
  };
}

test('no hostile string runs a script or adds a handler on any page', { timeout: 120000 }, async () => {
  const all = pages(dir);
  assert.ok(all.length >= 10, `only ${all.length} pages`);
  const page = await browser.newPage();
  const fired = [];
  page.on('dialog', (d) => { fired.push(`${page.url()}: ${d.message()}`); d.dismiss(); });
  page.on('pageerror', (e) => fired.push(`${page.url()}: ${e}`));
  let inline = -1;
  for (const p of all) {
    await page.goto(server.url + p);
    await page.waitForLoadState('load');
    const a = await page.evaluate(audit);
    assert.deepEqual(a.bad, [], `${p}: handlers or script URLs`);
    assert.deepEqual(a.twice, [], `${p}: ids written twice`);
    assert.ok(a.skipLandsOnMain, `${p}: the skip link does not land on <main>`);
    assert.equal(a.imgs, 0, `${p}: injected elements`);
    // Every page has the same inline scripts (the layout's), none from a payload.
    if (inline < 0) inline = a.scripts; else assert.equal(a.scripts, inline, `${p}: inline scripts`);
  }
  // `## Main` in a chapter body is main-1 in its table of contents, and #main is <main>.
  await page.goto(server.url + 'chapters/c/');
  assert.equal(await page.locator('nav.toc a[href="#main-1"]').count(), 1);
  assert.equal(await page.evaluate(() => document.getElementById('main').localName), 'main');
  // Hovering and focusing the places a payload sat fires nothing either.
  for (const sel of ['.prose p', '.lede', 'h1', 'h2', '.footnote-definition']) {
    const el = page.locator(sel).first();
    if (await el.count()) { await el.hover(); await el.focus().catch(() => {}); }
  }
  // The scripted parts render front-matter text too: the timeline's cards and menus, search.
  await page.goto(server.url + 'timeline/#1957-hostile');
  await page.selectOption('#tl-f-tags', { index: 1 });
  await page.fill('#tl-q', 'script');
  await page.goto(server.url + 'search/');
  await page.fill('input[type="search"]', 'script alert');
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => document.querySelectorAll('img[src="x"], [onerror]').length), 0);
  assert.deepEqual(fired, []);
  await page.close();
});

test('atom.xml and sitemap.xml parse as XML; timeline.json headlines hold no markup', { timeout: 120000 }, async () => {
  const page = await browser.newPage();
  await page.goto(server.url);
  for (const file of ['atom.xml', 'sitemap.xml']) {
    const r = await page.evaluate(async (u) => {
      const text = await (await fetch(u)).text();
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      const err = doc.querySelector('parsererror');
      return { error: err ? err.textContent : null, entries: doc.documentElement.children.length };
    }, server.url + file);
    assert.equal(r.error, null, `${file} is not well-formed XML`);
    assert.ok(r.entries > 2, `${file}: only ${r.entries} children`);
  }
  const atom = readFileSync(join(dir, 'atom.xml'), 'utf8');
  assert.ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(atom), 'a control character in atom.xml');
  const tl = JSON.parse(readFileSync(join(dir, 'timeline.json'), 'utf8'));
  const headlines = [tl.title.text.headline, ...tl.events.map((e) => e.text.headline), ...tl.eras.map((e) => e.text.headline)];
  assert.ok(headlines.length >= 3);
  for (const h of headlines) assert.ok(!h.includes('<'), `raw markup in a headline: ${h}`);
  for (const e of tl.events) {
    assert.ok(!e.display_date.includes('<') && !e.group.includes('<'), JSON.stringify(e));
    assert.ok(!/<script|<img/.test(e.text.text), e.text.text);
  }
  // What TimelineJS3 would do with a headline: parse it as HTML. It is text.
  const parsed = await page.evaluate((h) => {
    const d = document.createElement('div');
    d.innerHTML = h;
    return { elements: d.querySelectorAll('*').length, text: d.textContent };
  }, tl.events[0].text.headline);
  assert.equal(parsed.elements, 0);
  assert.ok(parsed.text.startsWith('</script><script>alert(1)'), parsed.text);
  const robots = readFileSync(join(dir, 'robots.txt'), 'utf8');
  assert.equal(robots.split('\n').length, 4, robots);
  await page.close();
});

// Each vector, written into each Markdown field of the hostile site, fails the build at
// the field's line; `\u0001` stands for a raw U+0001 in a body and the TOML escape in a
// string.
const REFUSED = [
  ['# x {autofocus tabindex=0 onfocus=alert(1)}', 'heading attribute `autofocus` is not allowed'],
  ['[x](javascript:alert(1))', 'uses the scheme `javascript:`'],
  ['<javascript:alert(1)>', 'uses the scheme `javascript:`'],
  ['[x](JaVaScRiPt:alert(1))', 'uses the scheme `javascript:`'],
  ['[x](&#106;avascript:alert(1))', 'uses the scheme `javascript:`'],
  ['# [x](javascript:alert(1))', 'uses the scheme `javascript:`'],
  ['![x](data:text/html,x)', 'uses the scheme `data:`'],
  ['## Top {#main}', 'heading id `main` is an id the page layout uses'],
  ['a \\u0001 b', 'control character U+0001 is not allowed'],
  ['[x](//evil.com)', 'is protocol-relative'],
  ['![x](/\\\\evil.com/x.png)', 'is protocol-relative'],
];
// [file, how to put a vector in it]; a TOML string keeps `\u0001` as its escape.
const FIELDS = [
  ['content/events/1957-hostile.md', 'summary'],
  ['content/events/1957-hostile.md', 'disputed'],
  ['content/events/1957-hostile.md', 'body'],
  ['content/chapters/c.md', 'summary'],
  ['content/chapters/c.md', 'body'],
  ['content/people.toml', 'summary'],
  ['content/places.toml', 'summary'],
  ['content/index.md', 'body'],
];

function withVector(text, field, vector) {
  if (field === 'body') {
    const end = text.indexOf('+++', 3) + 4;
    return `${text.slice(0, end)}${vector.replace('\\u0001', '\u0001')}\n`;
  }
  const re = new RegExp(`^${field} = .*$`, 'm');
  assert.match(text, re);
  return text.replace(re, () => `${field} = "${vector}"`);
}

test('script URLs, heading attributes, layout ids and control characters fail the build where written', { timeout: 120000 }, () => {
  let cases = 0;
  for (const [file, field] of FIELDS) {
    for (const [vector, message] of REFUSED) {
      // `{#main}` is refused in a body; a front-matter heading may have no id at all.
      const expected = vector.includes('{#main}') && field !== 'body' ? 'heading id `main` in a front-matter string' : message;
      const r = hostileRoot();
      const original = readFileSync(join(r, file), 'utf8');
      const text = withVector(original, field, vector);
      writeFileSync(join(r, file), text);
      const lines = text.split('\n');
      // A body starts on the line after the closing `+++`.
      const line = field === 'body'
        ? lines.indexOf('+++', 1) + 2
        : lines.indexOf(`${field} = "${vector}"`) + 1;
      assert.ok(line > 0, `${file} ${field}: vector not written`);
      const out = join(r, 'out');
      const b = spawnSync(BIN, ['build', '--output-dir', out], { cwd: r, encoding: 'utf8', timeout: 20000 });
      const what = `${vector} in ${file} ${field}`;
      assert.equal(b.status, 1, `${what}: exit ${b.status}\n${b.stderr}`);
      assert.ok(b.stderr.includes(expected), `${what}: ${b.stderr}`);
      assert.match(b.stderr, new RegExp(`--> ${file.replace(/\./g, '\\.')}:${line}:\\d+`), `${what}: ${b.stderr}`);
      assert.ok(!b.stderr.includes('panicked'), b.stderr);
      assert.ok(!existsSync(out), `${what}: the failed build wrote its output`);
      rmSync(r, { recursive: true, force: true });
      cases += 1;
    }
  }
  assert.equal(cases, FIELDS.length * REFUSED.length);
});

test('a control character in a plain front-matter string (a title, a name) fails the build where written', { timeout: 120000 }, () => {
  const fields = [
    ['content/events/1957-hostile.md', 'title'], ['content/chapters/c.md', 'title'],
    ['content/index.md', 'title'], ['content/people.toml', 'name'], ['content/places.toml', 'name'],
  ];
  for (const [file, field] of fields) {
    const r = hostileRoot();
    const text = withVector(readFileSync(join(r, file), 'utf8'), field, 'T \\u0001');
    writeFileSync(join(r, file), text);
    const line = text.split('\n').indexOf(`${field} = "T \\u0001"`) + 1;
    const out = join(r, 'out');
    const b = spawnSync(BIN, ['build', '--output-dir', out], { cwd: r, encoding: 'utf8', timeout: 20000 });
    assert.equal(b.status, 1, `${file} ${field}: exit ${b.status}\n${b.stderr}`);
    assert.ok(b.stderr.includes(`error: control character U+0001 is not allowed\n --> ${file}:${line}:${field.length + 7}`), b.stderr);
    assert.ok(!existsSync(out));
    rmSync(r, { recursive: true, force: true });
  }
});

test('a base URL with a newline is refused before anything is written', { timeout: 120000 }, () => {
  const out = join(root, 'out-newline');
  const b = spawnSync(BIN, ['build', '--base-url', 'http://127.0.0.1/\nDisallow:/', '--output-dir', out],
    { cwd: root, encoding: 'utf8', timeout: 20000 });
  assert.equal(b.status, 1, b.stderr);
  assert.ok(b.stderr.includes('contains a newline'), b.stderr);
  assert.ok(!existsSync(out));
});

test('a base URL whose path has an empty segment (//) is refused before anything is written', { timeout: 120000 }, () => {
  for (const url of ['http://127.0.0.1//evil.com/', 'https://example.org/a//b/']) {
    const out = join(root, 'out-empty-segment');
    const b = spawnSync(BIN, ['build', '--base-url', url, '--output-dir', out],
      { cwd: root, encoding: 'utf8', timeout: 20000 });
    assert.equal(b.status, 1, b.stderr);
    assert.ok(b.stderr.includes(`base URL \`${url}\` has an empty path segment (\`//\`)`), b.stderr);
    assert.ok(!b.stderr.includes('panicked'), b.stderr);
    assert.ok(!existsSync(out));
  }
});

test('a malformed or inherited-name hash on the timeline is no selection, not a page error', { timeout: 120000 }, async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e}`));
  for (const hash of ['#%E0%A4%A', '#constructor', '#__proto__', '#%']) {
    await page.goto(server.url + 'timeline/' + hash);
    await page.waitForLoadState('load');
    // The script started: it drew the axis and answers filters.
    assert.equal(await page.evaluate(() => typeof window.__timeline), 'object', hash);
    assert.equal(await page.locator('#tl-detail:not([hidden])').count(), 0, hash);
  }
  // A good deep link still opens its event, and a malformed one on hashchange closes it.
  await page.goto(server.url + 'timeline/#1957-hostile');
  await page.waitForFunction(() => document.querySelectorAll('#tl-detail:not([hidden])').length === 1);
  await page.evaluate(() => { location.hash = '#%E0%A4%A'; });
  await page.waitForFunction(() => document.querySelectorAll('#tl-detail:not([hidden])').length === 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('footnotes and figures in front-matter strings fail the build where written', { timeout: 120000 }, () => {
  const fields = [
    ['content/events/1957-hostile.md', 'summary'], ['content/events/1957-hostile.md', 'disputed'],
    ['content/chapters/c.md', 'summary'], ['content/people.toml', 'summary'], ['content/places.toml', 'summary'],
  ];
  for (const [file, field] of fields) {
    const r = hostileRoot();
    const text = withVector(readFileSync(join(r, file), 'utf8'), field, 'x[^1958-b]\\n\\n[^1958-b]: taken');
    writeFileSync(join(r, file), text);
    const line = text.split('\n').findIndex((l) => l.startsWith(`${field} = "x[^1958-b]`)) + 1;
    assert.ok(line > 0);
    const out = join(r, 'out');
    const b = spawnSync(BIN, ['build', '--output-dir', out], { cwd: r, encoding: 'utf8', timeout: 20000 });
    assert.equal(b.status, 1, `${file} ${field}: exit ${b.status}\n${b.stderr}`);
    assert.ok(b.stderr.includes('footnotes belong in the body'), b.stderr);
    assert.match(b.stderr, new RegExp(`--> ${file.replace(/\./g, '\\.')}:${line}:\\d+`), b.stderr);
    assert.ok(!existsSync(out));
    rmSync(r, { recursive: true, force: true });
  }
});
