// The Nu Html Checker (vnu-jar, Java) over every page of the built documentary, under a
// project-site sub-path: no errors allowed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildSite, REPO } from './lib.mjs';

test('every page passes the Nu Html Checker with no errors', () => {
  const dir = buildSite({ baseUrl: 'https://user.github.io/distant-comrades/' });
  const jar = join(REPO, 'tests/browser/node_modules/vnu-jar/build/dist/vnu.jar');
  const r = spawnSync('java', ['-Xss4m', '-jar', jar, '--errors-only', '--skip-non-html', '--format', 'text', dir], { encoding: 'utf8' });
  const out = (r.stdout + r.stderr).split('\n').filter((l) => l.trim() && !/^Document checking completed/.test(l)).join('\n');
  console.log(`vnu: ${out ? out.split('\n').length + ' messages' : 'no errors'}`);
  assert.equal(out, '', out);
  assert.equal(r.status, 0);
});
