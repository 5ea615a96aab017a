// What installing and starting dockwise costs: package and bundle sizes, server start-up.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER_NODE_FLAGS, serverEnvironment } from '../client/src/processFlags';
import { ROOT } from '../test/paths';
import { percentile, row, section } from './table';

const kb = (path: string) => statSync(join(ROOT, path)).size / 1024;
const SERVER = join(ROOT, 'server/out/server.js');
const RUNS = 7;

const frame = (message: object) => {
  const body = JSON.stringify({ jsonrpc: '2.0', ...message });
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
};
const INITIALIZE = frame({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });

/** Spawn → `initialize` result, with the extension's Node flags; `args` after them (a script and its arguments). */
async function start(args: readonly string[]): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...args], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, ...serverEnvironment() } });
  child.stdin.write(INITIALIZE);
  let out = '';
  await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => (out += d.toString()).includes('"id":1') && resolve()));
  const elapsed = performance.now() - started;
  child.kill();
  return elapsed;
}

/** What any Node process costs to start and answer here: an empty script that answers `initialize`. */
const BASELINE = ['-e', `process.stdin.once('data', () => process.stdout.write('"id":1'))`];

/** Runs a server with the code cache in `dir` until it has written its cache, as a first session in the editor does. */
async function warmUp(dir: string): Promise<void> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, SERVER, '--stdio', `--code-cache=${dir}`], { stdio: ['pipe', 'ignore', 'ignore'], env: { ...process.env, ...serverEnvironment() } });
  child.stdin.write(INITIALIZE);
  child.stdin.write(frame({ method: 'initialized', params: {} }));
  const text = 'FROM alpine:3.24\nRUN apk add --no-cache curl\nCOPY . /app\nCMD ["/app/run"]\n';
  child.stdin.write(frame({ method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///bench/Dockerfile', languageId: 'dockerfile', version: 1, text } } }));
  const deadline = performance.now() + 20_000;
  while (!(existsSync(dir) && readdirSync(dir).some((name) => name.endsWith('.v8cache'))) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  child.kill();
}

export async function footprint(): Promise<void> {
  section('4a. Footprint');
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const vsix = kb(`dockwise-${version}.vsix`);
  // The same budget as scripts/package.mjs: desktop and web bundles both ship.
  row({ name: 'vsix', value: vsix, unit: 'KB', target: '< 900', pass: vsix < 900 });
  for (const bundle of ['client/out/extension.js', 'server/out/server.js', 'server/out/serverMain.js', 'server/out/cli.js']) {
    if (existsSync(join(ROOT, bundle))) row({ name: bundle, value: kb(bundle), unit: 'KB' });
  }

  // The server as the extension starts it: its Node flags and a code cache folder. A first start
  // has an empty folder (a new install or update); a warm one finds the cache a session wrote.
  const scratch = mkdtempSync(join(tmpdir(), 'dockwise-bench-start-'));
  try {
    const warm = join(scratch, 'warm');
    await warmUp(warm);
    const baseline: number[] = [];
    const first: number[] = [];
    const warmed: number[] = [];
    // Interleaved, so a change in the machine's load falls on all three alike.
    for (let i = 0; i < RUNS; i++) {
      baseline.push(await start(BASELINE));
      first.push(await start([SERVER, '--stdio', `--code-cache=${join(scratch, `first-${i}`)}`]));
      warmed.push(await start([SERVER, '--stdio', `--code-cache=${warm}`]));
    }
    const median = percentile(warmed, 50);
    row({ name: `node, empty script (baseline; median of ${RUNS})`, value: percentile(baseline, 50), unit: 'ms' });
    row({ name: `server first start, no code cache (median of ${RUNS})`, value: percentile(first, 50), unit: 'ms' });
    row({ name: `server start, warm code cache (spawn → initialize, median of ${RUNS})`, value: median, unit: 'ms', target: '< 150', pass: median < 150 });
    // What the server adds to a Node process, run by run: the figure above moves with the machine's own start.
    row({ name: `server's own share of it (warm − empty, ${RUNS} pairs)`, value: percentile(warmed.map((w, i) => w - baseline[i]!), 50), unit: 'ms' });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
