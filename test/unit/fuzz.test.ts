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

// Seeds: the real-world corpus when it sits beside the project; otherwise (a bare CI checkout) the
// repository's own Dockerfiles (rule fixtures, grammar snapshots, examples), so the run never skips.
const real = corpusFiles();
const seeds = (real.length > 0 ? real : [...corpusFiles(join(ROOT, 'test/fixtures')), ...corpusFiles(join(ROOT, 'examples'))]).map((path) => readFileSync(path, 'utf8'));
const source = real.length > 0 ? `corpus files at ${CORPUS}` : "of the repository's own Dockerfiles";
test(`2,000 mutated inputs from ${seeds.length} ${source} (seed 1) lint, fix, answer the editor features and stay in bounds`, () => {
  assert.ok(seeds.length > 50, `only ${seeds.length} seed files`);
  const failures: string[] = [];
  fuzz(seeds, 2000, 1, (f) => failures.push(`${f.problem}\n---\n${f.input.slice(0, 500)}`));
  assert.deepEqual(failures, []);
});
