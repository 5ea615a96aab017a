// `npm run fuzz -- --runs N --seed S [--registry-runs M] [--config-runs K]`: fuzz the corpus, then
// registry answers, then compose, bake, .dockerignore and .hadolint.yaml files; failing Dockerfiles
// are minimised and saved under test/fixtures/fuzz/, failing registry answers under
// test/fixtures/fuzz/registry/, failing files around a Dockerfile under test/fixtures/fuzz/config/,
// where `npm test` replays them from then on.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { corpusFiles } from '../corpus';
import { ROOT } from '../paths';
import { configSeeds, fuzzConfigs } from './configFuzzer';
import { fuzz } from './fuzzer';
import { fuzzRegistry } from './registryFuzzer';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10000' }, seed: { type: 'string', default: String(Date.now() % 1_000_000) }, 'registry-runs': { type: 'string', default: '5000' }, 'config-runs': { type: 'string', default: '2000' } } });
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
// Registry answers: manifests, indexes, configs, tag lists and Docker Hub's answers.
void (async () => {
  const registryRuns = Number(values['registry-runs']);
  const registryStarted = Date.now();
  const registryFolder = join(ROOT, 'test/fixtures/fuzz/registry');
  const registryFailures = await fuzzRegistry(registryRuns, seed, ({ input, problem }) => {
    const text = JSON.stringify(input, null, 1);
    const name = `${createHash('sha256').update(text).digest('hex').slice(0, 12)}.json`;
    mkdirSync(registryFolder, { recursive: true });
    writeFileSync(join(registryFolder, name), text);
    console.log(`FAIL ${problem}\n  saved test/fixtures/fuzz/registry/${name}`);
  });
  console.log(`fuzz: ${registryRuns} registry answers, seed ${seed}, ${registryFailures} failures, ${((Date.now() - registryStarted) / 1000).toFixed(0)} s`);
  // Compose, bake, .dockerignore and .hadolint.yaml files, read from disk as the server reads them.
  const configRuns = Number(values['config-runs']);
  const configStarted = Date.now();
  const configFolder = join(ROOT, 'test/fixtures/fuzz/config');
  const configFailures = fuzzConfigs(configSeeds(), configRuns, seed, ({ kind, input, problem }) => {
    const name = `${createHash('sha256').update(input).digest('hex').slice(0, 12)}.${kind}`;
    mkdirSync(configFolder, { recursive: true });
    writeFileSync(join(configFolder, name), input);
    console.log(`FAIL ${kind}: ${problem}\n  saved test/fixtures/fuzz/config/${name}`);
  });
  console.log(`fuzz: ${configRuns} compose, bake, .dockerignore and .hadolint.yaml files, seed ${seed}, ${configFailures} failures, ${((Date.now() - configStarted) / 1000).toFixed(0)} s`);
  process.exit(failures || registryFailures || configFailures ? 1 : 0);
})();
