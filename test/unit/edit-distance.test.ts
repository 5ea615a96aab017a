// The bounded edit distance agrees with the textbook one wherever it answers, and answers exactly
// when the distance is within the bound.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { editDistance, editDistanceWithin } from '../../server/src/language/editDistance';

/** The full Wagner–Fischer table, as the oracle. */
function reference(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

function randomWord(random: () => number): string {
  const length = Math.floor(random() * 12);
  return Array.from({ length }, () => 'abc/.'[Math.floor(random() * 5)]).join('');
}

test('bounded and unbounded distances match the full table on 5,000 random pairs', () => {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let n = 0; n < 5000; n++) {
    const a = randomWord(random);
    const b = randomWord(random);
    const want = reference(a, b);
    assert.equal(editDistance(a, b), want, `${a} → ${b}`);
    const max = Math.floor(random() * 6) - 1;
    assert.equal(editDistanceWithin(a, b, max), want <= max ? want : undefined, `${a} → ${b} within ${max}`);
  }
});

test('known distances', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistanceWithin('kitten', 'sitting', 2), undefined);
  assert.equal(editDistanceWithin('requirements.txt', 'requirments.txt', 1), 1);
  assert.equal(editDistanceWithin('src', 'a/very/long/path/name', 3), undefined);
});
