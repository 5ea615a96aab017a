// Hovers over the protocol, with the registry a real one on loopback.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  DidOpenTextDocumentNotification,
  HoverRequest,
  ShutdownRequest,
  ExitNotification,
  ExecuteCommandRequest,
  NotificationType,
  type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { pushImage, startRegistry, type LocalRegistry } from '../registry/local-registry';
import { startInitializedServer, type LspSession } from './lsp-client';

let registry: LocalRegistry;
let storage: string;
let digest: string;

const session = (dockwise: Record<string, unknown>, storagePath = storage) => startInitializedServer({ dockwise, storagePath });

async function hover(lsp: LspSession, text: string, line: number, character: number): Promise<string> {
  const uri = `untitled:Dockerfile-${Math.random()}`;
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
  const result = await lsp.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } });
  return (result?.contents as MarkupContent | undefined)?.value ?? '';
}

before(async () => {
  registry = await startRegistry();
  storage = mkdtempSync(join(tmpdir(), 'dockwise-storage-'));
  digest = await pushImage(registry.host, 'library/python', ['3.12.7-slim', '3.12-slim'], [
    { os: 'linux', architecture: 'amd64', layerBytes: 200_000, config: { Cmd: ['python3'], ExposedPorts: { '8000/tcp': {} } } },
  ]);
  await pushImage(registry.host, 'library/python', ['3.12.8-slim'], [{ os: 'linux', architecture: 'amd64' }]);
});

after(async () => {
  await registry?.stop();
  rmSync(storage, { recursive: true, force: true });
});

test('hovering a FROM image shows its digest, platforms with sizes, config and missing target platforms', async () => {
  const lsp = await session({ registry: { hosts: [registry.host] } });
  try {
    const text = await hover(lsp, `FROM ${registry.host}/library/python:3.12-slim\n`, 0, 12);
    assert.match(text, new RegExp(`\\*\\*${registry.host.replace(/\./g, '\\.')}/library/python:3.12-slim\\*\\*`));
    assert.ok(text.includes(digest), text);
    assert.match(text, /\| linux\/amd64 \| \d+(\.\d)? KB \|/);
    assert.match(text, /not published for `linux\/arm64`/);
    assert.match(text, /user `root` ⚠/);
    assert.match(text, /cmd ``?\["python3"\]``?/);
    assert.match(text, /ports `8000\/tcp`/);
  } finally {
    lsp.process.kill();
  }
});

test('the hover lists newer tags of the same family, and works on COPY --from images too', async () => {
  const lsp = await session({ registry: { hosts: [registry.host] } });
  try {
    const text = `FROM ${registry.host}/library/python:3.12.7-slim\nCOPY --from=${registry.host}/library/python:3.12-slim /usr/local/bin/python3 /x\n`;
    assert.match(await hover(lsp, text, 0, 12), /newer: `3\.12\.8-slim`/);
    const fromCopy = await hover(lsp, text, 1, 20);
    assert.ok(fromCopy.includes(digest), fromCopy);
  } finally {
    lsp.process.kill();
  }
});

test('a loopback registry that is not listed is refused by policy, in one short line', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'dockwise-storage-'));
  const lsp = await session({}, empty);
  const statuses: { state: string }[] = [];
  lsp.connection.onNotification(new NotificationType<{ state: string }>('dockwise/registryStatus'), (status) => {
    statuses.push(status);
  });
  try {
    const text = await hover(lsp, `FROM ${registry.host}/library/python:3.12-slim\n`, 0, 12);
    assert.equal(text, `**${registry.host}/library/python:3.12-slim** · registry data unavailable: ${registry.host} is not allowed by dockwise.registry settings.`);
    // The status bar learns it too.
    assert.deepEqual(statuses.at(-1)?.state, 'denied');
  } finally {
    lsp.process.kill();
    rmSync(empty, { recursive: true, force: true });
  }
});

test('an untrusted workspace cannot widen the policy: listed loopback hosts stay refused', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'dockwise-storage-'));
  const lsp = await startInitializedServer({ dockwise: { registry: { hosts: [registry.host], network: 'all' } }, storagePath: empty, trusted: false });
  try {
    const text = await hover(lsp, `FROM ${registry.host}/library/python:3.12-slim\n`, 0, 12);
    assert.match(text, /registry data unavailable: .* is not allowed by dockwise\.registry settings\.$/);
  } finally {
    lsp.process.kill();
    rmSync(empty, { recursive: true, force: true });
  }
});

test('"Refresh registry data" forgets what tags pointed at, so the next hover asks the registry again', async () => {
  const lsp = await session({ registry: { hosts: [registry.host] } });
  try {
    const text = `FROM ${registry.host}/library/python:3.12.8-slim\n`;
    const before = await hover(lsp, text, 0, 12);
    const moved = await pushImage(registry.host, 'library/python', ['3.12.8-slim'], [{ os: 'linux', architecture: 'arm64', variant: 'v8' }]);
    assert.ok(!before.includes(moved), 'the tag moved after the first hover');
    assert.ok(!(await hover(lsp, text, 0, 12)).includes(moved), 'cached: still the old digest');
    await lsp.connection.sendRequest(ExecuteCommandRequest.type, { command: 'dockwise.server.refreshRegistry', arguments: [] });
    assert.ok((await hover(lsp, text, 0, 12)).includes(moved), 'refreshed: the new digest');
  } finally {
    lsp.process.kill();
  }
});

// Last: it stops the registry.
test('after a restart the disk cache answers while the registry is down, marked with its date', async () => {
  const lsp = await session({ registry: { hosts: [registry.host], cacheHours: 0.000001 } });
  try {
    await hover(lsp, `FROM ${registry.host}/library/python:3.12.7-slim\n`, 0, 12);
    await lsp.connection.sendRequest(ShutdownRequest.type);
    await lsp.connection.sendNotification(ExitNotification.type);
  } finally {
    lsp.process.kill();
  }
  await registry.stop();
  const again = await session({ registry: { hosts: [registry.host], cacheHours: 0.000001 } });
  try {
    const text = await hover(again, `FROM ${registry.host}/library/python:3.12.7-slim\n`, 0, 12);
    assert.ok(text.includes(digest), text);
    assert.match(text, /Registry unreachable: cached data as of \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  } finally {
    again.process.kill();
  }
});
