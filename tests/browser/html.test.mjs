// The Nu Html Checker (vnu-jar, Java) over every page of the built documentary, under a
// project-site sub-path, and of the fixture site of dates before year 1: no errors allowed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildSite, fixtureSite, removeDir, REPO } from './lib.mjs';

// A bound on the checker (it takes seconds): a hung JVM is killed and fails the test.
const VNU_LIMIT = 10 * 60_000;

/** Runs the checker over every page under `dir`; asserts it finds no error. */
function noErrors(dir) {
  const jar = join(REPO, 'tests/browser/node_modules/vnu-jar/build/dist/vnu.jar');
  const r = spawnSync('java', ['-Xss4m', '-jar', jar, '--errors-only', '--skip-non-html', '--format', 'text', dir],
    { encoding: 'utf8', timeout: VNU_LIMIT, killSignal: 'SIGKILL' });
  assert.ifError(r.error);
  const out = (r.stdout + r.stderr).split('\n').filter((l) => l.trim() && !/^Document checking completed/.test(l)).join('\n');
  console.log(`vnu: ${out ? out.split('\n').length + ' messages' : 'no errors'}`);
  assert.equal(out, '', out);
  assert.equal(r.status, 0);
}

test('every page passes the Nu Html Checker with no errors', { timeout: VNU_LIMIT + 120_000 }, () => {
  const dir = buildSite({ baseUrl: 'https://user.github.io/distant-comrades/' });
  try {
    // Among them the chapters' index and a numbered page of a term, with its pager.
    for (const page of ['chapters/index.html', 'countries/vietnam/page/2/index.html']) {
      assert.ok(existsSync(join(dir, page)), `no ${page} to check`);
    }
    noErrors(dir);
  } finally {
    removeDir(dir);
  }
});

// Dates before year 1 have no valid HTML date string: their pages must still be valid.
test('a site of dates before year 1 passes the checker too', { timeout: VNU_LIMIT + 120_000 }, () => {
  const src = fixtureSite('build/antiquity');
  let dir;
  try {
    dir = buildSite({ root: src });
    noErrors(dir);
  } finally {
    removeDir(dir);
    removeDir(src);
  }
});
