import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import {
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  ShutdownRequest,
  TextDocumentSyncKind,
} from 'vscode-languageserver-protocol/node';
import { startServer, type LspSession } from './lsp-client';

const uri = 'file:///workspace/Dockerfile';
let lsp: LspSession;

before(async () => {
  lsp = startServer();
  const result = await lsp.connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: 'file:///workspace',
    workspaceFolders: null,
    capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } },
    initializationOptions: { storagePath: '/tmp/dockwise-test-storage' },
  });
  assert.equal(result.serverInfo?.name, 'dockwise');
  assert.equal(result.capabilities.textDocumentSync, TextDocumentSyncKind.Incremental);
  await lsp.connection.sendNotification(InitializedNotification.type, {});
});

after(() => lsp.process.kill());

test('opening a Dockerfile publishes the rule on the image name', async () => {
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'dockerfile', version: 1, text: '# base\nFROM python\nUSER app\nCMD ["python", "-m", "http.server"]\n' },
  });
  const { diagnostics, version } = await lsp.diagnostics((p) => p.uri === uri && p.version === 1);
  assert.equal(version, 1);
  assert.equal(diagnostics.length, 1);
  const [d] = diagnostics;
  assert.equal(d!.code, 'image-tag-latest');
  assert.equal(d!.source, 'dockwise');
  assert.deepEqual(d!.range, { start: { line: 1, character: 5 }, end: { line: 1, character: 11 } });
  assert.match(d!.codeDescription!.href, /image-tag-latest\.md$/);
});

test('incremental edits update the diagnostics', async () => {
  await lsp.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 1, character: 11 }, end: { line: 1, character: 11 } }, text: ':3.12-slim' }],
  });
  assert.deepEqual((await lsp.diagnostics((p) => p.uri === uri && p.version === 2)).diagnostics, []);

  await lsp.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 3 },
    contentChanges: [{ range: { start: { line: 1, character: 12 }, end: { line: 1, character: 21 } }, text: 'latest' }],
  });
  const { diagnostics } = await lsp.diagnostics((p) => p.uri === uri && p.version === 3);
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.range]),
    [['image-tag-latest', { start: { line: 1, character: 12 }, end: { line: 1, character: 18 } }]],
  );
});

test('a settings change re-lints open documents with the new levels', async () => {
  lsp.settings = { dockwise: { rules: { 'image-tag-latest': 'off' } } };
  const since = lsp.received();
  await lsp.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  await lsp.diagnostics((p) => p.uri === uri && p.version === 3 && p.diagnostics.length === 0, 5000, since);
});

test('closing a document clears its diagnostics', async () => {
  lsp.settings = { dockwise: {} };
  const since = lsp.received();
  await lsp.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  await lsp.diagnostics((p) => p.uri === uri && p.version === undefined && p.diagnostics.length === 0, 5000, since);
});

test('shutdown then exit ends the process with code 0', async () => {
  await lsp.connection.sendRequest(ShutdownRequest.type);
  await lsp.connection.sendNotification(ExitNotification.type);
  assert.equal(await lsp.exited, 0);
});
