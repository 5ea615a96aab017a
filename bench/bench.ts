// `npm run bench`: every figure side by side in one run, each target beside its figure,
// written to bench/results.json. A benchmark, not a test: nothing here fails a build.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LINT_DELAY_MS } from '../server/src/settings';
import { corpusFiles } from '../test/corpus';
import { ROOT } from '../test/paths';
import { cli } from './cli';
import { longDockerfile } from './editing';
import { footprint } from './footprint';
import { hover } from './hover';
import { latency } from './latency';
import { memory } from './memory';
import { machine, save } from './table';
import { throughput } from './throughput';

const only = new Set(process.argv.slice(2));
const wanted = (name: string) => only.size === 0 || only.has(name);

const files = corpusFiles();
console.log(`corpus: ${files.length} files; ${machine()}`);
const long = longDockerfile(files, 500);

if (wanted('throughput')) throughput(files.map((p) => readFileSync(p, 'utf8')));
if (wanted('latency')) await latency(long, DEFAULT_LINT_DELAY_MS);
if (wanted('hover')) await hover();
if (wanted('footprint')) await footprint();
if (wanted('memory')) await memory(files, long);
if (wanted('cli')) cli(files.length);

save(join(ROOT, 'bench/results.json'));
