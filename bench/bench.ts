// `npm run bench`: throughput side by side on the corpus, footprint and the CLI, in one run.
// Prints each figure beside its target and writes bench/results.json.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { lint } from '../server/src/engine/lint';
import { corpusFiles } from '../test/corpus';
import { ROOT } from '../test/paths';

interface Row {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: string;
  readonly pass?: boolean;
}
const rows: Row[] = [];
const row = (r: Row) => {
  rows.push(r);
  const verdict = r.pass === undefined ? '' : r.pass ? '  PASS' : '  FAIL';
  console.log(`${r.name.padEnd(46)} ${r.value.toFixed(r.value < 10 ? 3 : 1).padStart(10)} ${r.unit.padEnd(8)} ${r.target ?? ''}${verdict}`);
};

/** ms per file over the corpus, repeated for at least a second after a warm-up pass. */
function perFile(texts: readonly string[], run: (text: string) => unknown): number {
  for (const t of texts) run(t);
  let rounds = 0;
  const started = performance.now();
  while (performance.now() - started < 1000 || rounds < 3) {
    for (const t of texts) run(t);
    rounds++;
  }
  return (performance.now() - started) / (rounds * texts.length);
}

const texts = corpusFiles().map((p) => readFileSync(p, 'utf8'));
console.log(`corpus: ${texts.length} files; ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`);

const parse = perFile(texts, (t) => DockerfileParser.parse(t));
const ours = perFile(texts, (t) => lint(t));
const incumbent = perFile(texts, (t) => validate(t));
row({ name: 'bare dockerfile-ast parse (floor)', value: parse, unit: 'ms/file' });
row({ name: 'dockwise full analysis (all offline rules)', value: ours, unit: 'ms/file' });
row({ name: 'dockerfile-utils validate (incumbent)', value: incumbent, unit: 'ms/file' });
row({ name: 'dockwise / bare parse', value: ours / parse, unit: 'x', target: '≤ 2.0', pass: ours / parse <= 2 });
row({ name: 'dockwise / dockerfile-utils', value: ours / incumbent, unit: 'x', target: '< 1.0', pass: ours < incumbent });

const size = (path: string) => statSync(join(ROOT, path)).size / 1024;
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
row({ name: 'vsix', value: size(`dockwise-${version}.vsix`), unit: 'KB', target: '< 500', pass: size(`dockwise-${version}.vsix`) < 500 });
for (const bundle of ['client/out/extension.js', 'server/out/server.js', 'server/out/cli.js']) row({ name: bundle, value: size(bundle), unit: 'KB' });

/** Spawn → initialize result of the built server over stdio. */
async function serverStart(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'server/out/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
  child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('"id":1') && resolve()));
  const elapsed = performance.now() - started;
  child.kill();
  return elapsed;
}
const starts: number[] = [];
for (let i = 0; i < 7; i++) starts.push(await serverStart());
const median = starts.sort((a, b) => a - b)[3]!;
row({ name: 'server start (spawn → initialize result, median of 7)', value: median, unit: 'ms', target: '< 150', pass: median < 150 });

const cliStarted = performance.now();
try {
  execFileSync(process.execPath, [join(ROOT, 'server/out/cli.js'), 'lint', join(ROOT, '../shared/corpus'), '--fail-level', 'none'], { stdio: 'ignore' });
} catch {
  // The figure is the time, whatever the findings.
}
row({ name: `dockwise lint over the corpus (whole process)`, value: performance.now() - cliStarted, unit: 'ms' });

writeFileSync(join(ROOT, 'bench/results.json'), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), rows }, null, 2)}\n`);
console.log('\nwritten: bench/results.json');
