// NODE_EXTRA_CA_CERTS reaches the built server under another name (client/src/processFlags.ts), so
// Node no longer checks the file at start: the server says so itself when it cannot be read.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { SERVER_NODE_FLAGS, serverEnvironment } from '../../client/src/processFlags';
import { ROOT } from '../paths';

const INITIALIZE = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });

/** What the server writes to stderr up to its answer to `initialize` (the loader runs before it). */
function stderrOf(extraCaCerts: string): Promise<string> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, join(ROOT, 'server/out/server.js'), '--stdio'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...serverEnvironment({ NODE_EXTRA_CA_CERTS: extraCaCerts }) },
  });
  let err = '';
  let out = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin.write(`Content-Length: ${Buffer.byteLength(INITIALIZE)}\r\n\r\n${INITIALIZE}`);
  return new Promise((resolve) => child.stdout.on('data', (d: Buffer) => (out += d.toString()).includes('"id":1') && (child.kill(), resolve(err))));
}

test('a NODE_EXTRA_CA_CERTS that cannot be read is named on stderr, as Node would have at start', async () => {
  const missing = join(ROOT, 'no-such-ca.pem');
  assert.match(await stderrOf(missing), new RegExp(`dockwise: NODE_EXTRA_CA_CERTS names ${missing.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, which cannot be read \\(ENOENT\\)`));
});

test('a readable one is not mentioned', async () => {
  assert.doesNotMatch(await stderrOf(join(ROOT, 'package.json')), /NODE_EXTRA_CA_CERTS/);
});
