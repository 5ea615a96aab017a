// What installing and starting dockwise costs: package and bundle sizes, server start-up.
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../test/paths';
import { percentile, row, section } from './table';

const kb = (path: string) => statSync(join(ROOT, path)).size / 1024;

/** Spawn → `initialize` result of the built server over stdio. */
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

export async function footprint(): Promise<void> {
  section('4a. Footprint');
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const vsix = kb(`dockwise-${version}.vsix`);
  // The same budget as scripts/package.mjs: desktop and web bundles both ship.
  row({ name: 'vsix', value: vsix, unit: 'KB', target: '< 900', pass: vsix < 900 });
  for (const bundle of ['client/out/extension.js', 'server/out/server.js', 'server/out/cli.js']) row({ name: bundle, value: kb(bundle), unit: 'KB' });
  const starts: number[] = [];
  for (let i = 0; i < 7; i++) starts.push(await serverStart());
  const median = percentile(starts, 50);
  row({ name: 'server start (spawn → initialize result, median of 7)', value: median, unit: 'ms', target: '< 150', pass: median < 150 });
}
