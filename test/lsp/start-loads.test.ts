// What the built server loads before it answers `initialize`: none of the Node modules it needs only
// later (for a registry, a credential helper, a hash), which under its V8 flags take 5-20 ms each to
// load (scripts/build.mjs, lazyBuiltins). A preloaded hook records every module the process asks
// for by name, and when the answer to `initialize` is written.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { InitializeRequest } from 'vscode-languageserver-protocol/node';
import { SERVER_NODE_FLAGS } from '../../client/src/processFlags';
import { ROOT } from '../paths';
import { startServer } from './lsp-client';

const LATER = ['crypto', 'child_process', 'http', 'https', 'tls', 'dns', 'fs/promises'];

const hook = (log: string) => `
const Module = require('node:module');
const { appendFileSync } = require('node:fs');
const load = Module._load;
Module._load = function (request, ...rest) {
  appendFileSync(${JSON.stringify(log)}, request + '\\n');
  return load.call(this, request, ...rest);
};
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  if (String(chunk).includes('"id":0')) appendFileSync(${JSON.stringify(log)}, '(answered initialize)\\n');
  return write(chunk, ...rest);
};
`;

test('the built server answers initialize without loading crypto, child_process, http(s), tls, dns or fs/promises', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dockwise-start-loads-'));
  const log = join(dir, 'loads.txt');
  writeFileSync(join(dir, 'hook.cjs'), hook(log));
  const lsp = startServer({}, [...SERVER_NODE_FLAGS, '--require', join(dir, 'hook.cjs'), join(ROOT, 'server/out/server.js'), '--stdio']);
  try {
    await lsp.connection.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: {} });
    const loads = readFileSync(log, 'utf8').split('\n');
    const before = loads.slice(0, loads.indexOf('(answered initialize)'));
    assert.ok(before.includes('net') && before.some((name) => name.endsWith('serverMain.js')), `the hook sees the bundle's requests: ${before.join(' ')}`);
    const early = before.filter((name) => LATER.includes(name.replace(/^node:/, '')));
    assert.deepEqual(early, [], `loaded before the answer: ${before.join(' ')}`);
  } finally {
    lsp.process.kill();
    await lsp.exited;
    rmSync(dir, { recursive: true, force: true });
  }
});
