// `npm run bench`: every figure side by side in one run, each target beside its figure,
// written to bench/results.json. A benchmark, not a test: nothing here fails a build.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LINT_DELAY_MS } from '../server/src/settings';
import { corpusFiles } from '../test/corpus';
import { ROOT } from '../test/paths';
import { cli } from './cli';
import { contextSize } from './contextSize';
import { longDockerfile } from './editing';
import { footprint } from './footprint';
import { hover } from './hover';
import { latency } from './latency';
import { memory } from './memory';
import { DOCKER_REGISTRY, missing, type SystemPart } from './needs';
import { machine, save } from './table';
import { symbols } from './symbols';
import { throughput } from './throughput';

const only = new Set(process.argv.slice(2));
const wanted = (name: string) => only.size === 0 || only.has(name);

const files = corpusFiles();
console.log(`corpus: ${files.length} files; ${machine()}`);
const long = longDockerfile(files, 500);

interface Section {
  readonly name: string;
  readonly needs: readonly SystemPart[];
  readonly run: () => void | Promise<void>;
}

const SECTIONS: readonly Section[] = [
  { name: 'throughput', needs: [], run: () => throughput(files.map((p) => readFileSync(p, 'utf8'))) },
  { name: 'latency', needs: [], run: () => latency(long, DEFAULT_LINT_DELAY_MS) },
  { name: 'hover', needs: [DOCKER_REGISTRY], run: hover },
  { name: 'footprint', needs: [], run: footprint },
  { name: 'memory', needs: [], run: () => memory(files, long) },
  { name: 'cli', needs: [], run: () => cli(files.length) },
  { name: 'context', needs: [], run: contextSize },
  { name: 'symbols', needs: [], run: () => symbols(files) },
];

// A section that cannot run here, or fails, says so in one line; the others still run.
for (const section of SECTIONS.filter((s) => wanted(s.name))) {
  const absent = missing(section.needs);
  if (absent.length > 0) {
    console.log(`\n${section.name}: not run, this machine lacks ${absent.join(', ')}`);
    continue;
  }
  try {
    await section.run();
  } catch (error) {
    console.log(`\n${section.name}: stopped by ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    process.exitCode = 1;
  }
}

save(join(ROOT, 'bench/results.json'));
