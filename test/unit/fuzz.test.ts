// A bounded fixed-seed fuzz run on every `npm test`, and every input a fuzz run ever caught, replayed.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusFiles } from '../corpus';
import { check, fuzz } from '../fuzz/fuzzer';
import { CORPUS, ROOT } from '../paths';

const FIXTURES = join(ROOT, 'test/fixtures/fuzz');

for (const name of readdirSync(FIXTURES).filter((n) => n.endsWith('.Dockerfile'))) {
  test(`fuzz regression ${name}`, () => assert.equal(check(readFileSync(join(FIXTURES, name), 'latin1')), undefined));
}

const corpus = corpusFiles().map((path) => readFileSync(path, 'utf8'));
test('2,000 mutated corpus files (seed 1) lint, fix and stay in bounds', { skip: corpus.length === 0 && `no corpus at ${CORPUS}` }, () => {
  const failures: string[] = [];
  fuzz(corpus, 2000, 1, (f) => failures.push(`${f.problem}\n---\n${f.input.slice(0, 500)}`));
  assert.deepEqual(failures, []);
});
