// The Nu Html Checker (vnu-jar, Java) over every page of the built documentary, under a
// project-site sub-path: no errors allowed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildSite, removeDir, REPO } from './lib.mjs';

// A bound on the checker (it takes seconds): a hung JVM is killed and fails the test.
const VNU_LIMIT = 10 * 60_000;

test('every page passes the Nu Html Checker with no errors', { timeout: VNU_LIMIT + 120_000 }, () => {
  const dir = buildSite({ baseUrl: 'https://user.github.io/distant-comrades/' });
  try {
    const jar = join(REPO, 'tests/browser/node_modules/vnu-jar/build/dist/vnu.jar');
    const r = spawnSync('java', ['-Xss4m', '-jar', jar, '--errors-only', '--skip-non-html', '--format', 'text', dir],
      { encoding: 'utf8', timeout: VNU_LIMIT, killSignal: 'SIGKILL' });
    assert.ifError(r.error);
    const out = (r.stdout + r.stderr).split('\n').filter((l) => l.trim() && !/^Document checking completed/.test(l)).join('\n');
    console.log(`vnu: ${out ? out.split('\n').length + ' messages' : 'no errors'}`);
    assert.equal(out, '', out);
    assert.equal(r.status, 0);
  } finally {
    removeDir(dir);
  }
});
