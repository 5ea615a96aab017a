// `npm run fuzz -- --runs N --seed S`: fuzz the corpus; failing inputs are minimised and saved
// under test/fixtures/fuzz/, where `npm test` replays them from then on.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { corpusFiles } from '../corpus';
import { ROOT } from '../paths';
import { fuzz } from './fuzzer';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10000' }, seed: { type: 'string', default: String(Date.now() % 1_000_000) } } });
const runs = Number(values.runs);
const seed = Number(values.seed);
const corpus = corpusFiles().map((path) => readFileSync(path, 'utf8'));
if (corpus.length === 0) {
  console.error('fuzz: no corpus found (set DOCKWISE_CORPUS)');
  process.exit(2);
}
const started = Date.now();
const failures = fuzz(corpus, runs, seed, ({ input, problem }) => {
  const name = `${createHash('sha256').update(input).digest('hex').slice(0, 12)}.Dockerfile`;
  writeFileSync(join(ROOT, 'test/fixtures/fuzz', name), input, 'latin1');
  console.log(`FAIL ${problem}\n  saved test/fixtures/fuzz/${name}`);
});
console.log(`fuzz: ${runs} inputs from ${corpus.length} corpus files, seed ${seed}, ${failures} failures, ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(failures ? 1 : 0);
