// The unified diff behind --fix-dry-run, byte for byte, and applied by git.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { unifiedDiff } from '../../server/src/cli/diff';
import { workspace } from './run';

const lines = (n: number, name = (i: number) => `line ${i}`) => Array.from({ length: n }, (_, i) => `${name(i + 1)}\n`).join('');

test('one change: one hunk with three lines of context on each side', () => {
  const before = lines(12);
  assert.equal(
    unifiedDiff('api/Dockerfile', before, before.replace('line 6\n', 'LINE SIX\n')),
    '--- a/api/Dockerfile\n+++ b/api/Dockerfile\n@@ -3,7 +3,7 @@\n line 3\n line 4\n line 5\n-line 6\n+LINE SIX\n line 7\n line 8\n line 9\n',
  );
});

test('changes more than six lines apart get a hunk each; closer ones share one', () => {
  const before = lines(20);
  assert.equal(
    unifiedDiff('Dockerfile', before, before.replace('line 3\n', 'three\n').replace('line 11\n', '')),
    '--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,6 +1,6 @@\n line 1\n line 2\n-line 3\n+three\n line 4\n line 5\n line 6\n@@ -8,7 +8,6 @@\n line 8\n line 9\n line 10\n-line 11\n line 12\n line 13\n line 14\n',
  );
  assert.equal(
    unifiedDiff('Dockerfile', before, before.replace('line 3\n', 'three\n').replace('line 10\n', 'ten\n')),
    '--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,13 +1,13 @@\n line 1\n line 2\n-line 3\n+three\n line 4\n line 5\n line 6\n line 7\n line 8\n line 9\n-line 10\n+ten\n line 11\n line 12\n line 13\n',
  );
});

test('lines added at the top, a file without a final newline, and an empty file', () => {
  assert.equal(unifiedDiff('Dockerfile', 'FROM a\nRUN b\n', '# syntax=docker/dockerfile:1\nFROM a\nRUN b\n'), '--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,2 +1,3 @@\n+# syntax=docker/dockerfile:1\n FROM a\n RUN b\n');
  assert.equal(
    unifiedDiff('Dockerfile', 'FROM a\nCMD b', 'FROM a\nCMD ["b"]'),
    '--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,2 +1,2 @@\n FROM a\n-CMD b\n\\ No newline at end of file\n+CMD ["b"]\n\\ No newline at end of file\n',
  );
  assert.equal(unifiedDiff('Dockerfile', '', 'FROM a\n'), '--- a/Dockerfile\n+++ b/Dockerfile\n@@ -0,0 +1 @@\n+FROM a\n');
  assert.equal(unifiedDiff('Dockerfile', 'FROM a\r\n', 'FROM b\r\n'), '--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1 +1 @@\n-FROM a\r\n+FROM b\r\n');
  assert.equal(unifiedDiff('Dockerfile', 'FROM a\n', 'FROM a\n'), '');
});

test('git applies every diff it makes (seeded random edits)', () => {
  const ws = workspace({}, 'dockwise-diff-');
  let seed = 15;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  try {
    for (let round = 0; round < 60; round++) {
      const before = Array.from({ length: random(25) }, () => `l${random(5)}\n`);
      const after = [...before];
      for (let edit = 0; edit <= random(4); edit++) {
        const at = random(after.length + 1);
        if (random(2)) after.splice(at, 1);
        else after.splice(at, 0, `new ${random(3)}\n`);
      }
      const [a, b] = [before.join(''), after.join('')].map((t) => (random(4) === 0 ? t.replace(/\n$/, '') : t)) as [string, string];
      ws.write('Dockerfile', a);
      const diff = unifiedDiff('Dockerfile', a, b);
      if (diff) execFileSync('git', ['apply', '-'], { cwd: ws.dir, input: diff });
      assert.equal(ws.read('Dockerfile'), b, diff);
    }
  } finally {
    ws.remove();
  }
});
