// The language server reads the same .dockwise.yaml as the CLI: found upward from each document,
// editor settings winning over it, ignorePaths leaving documents unlinted, edits to it noticed,
// and a broken one logged and left out.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import {
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  FileChangeType,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  type LogMessageParams,
} from 'vscode-languageserver-protocol/node';
import { startServer, type LspSession } from './lsp-client';

let root: string;
let lsp: LspSession;
const logs: LogMessageParams[] = [];
const uri = (path: string) => pathToFileURL(join(root, path)).href;
const write = (path: string, text: string) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
};
const DOCKERFILE = 'FROM python\nUSER app\nCMD ["python"]\n';
/** Waits for a publish with image-tag-latest at `severity` (1 error … 4 hint): publishes from before a change may still arrive first. */
const published = (path: string, severity: number, since: number) =>
  lsp.diagnostics((p) => p.uri === uri(path) && p.diagnostics.some((d) => d.code === 'image-tag-latest' && d.severity === severity), 5000, since);

async function open(path: string): Promise<void> {
  write(path, DOCKERFILE);
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(path), languageId: 'dockerfile', version: 1, text: DOCKERFILE } });
}

async function configFileChanged(text: string): Promise<number> {
  write('.dockwise.yaml', text);
  const since = lsp.received();
  await lsp.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri('.dockwise.yaml'), type: FileChangeType.Changed }] });
  return since;
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'dockwise-config-ws-'));
  write('.dockwise.yaml', 'rules:\n  image-tag-latest: error\nignorePaths: [vendor/]\n');
  lsp = startServer();
  lsp.connection.onNotification(LogMessageNotification.type, (params) => void logs.push(params));
  await lsp.connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'ws' }],
    capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
    initializationOptions: { lintDelayMs: 0, trusted: true },
  });
  await lsp.connection.sendNotification(InitializedNotification.type, {});
});

after(() => {
  lsp.process.kill();
  rmSync(root, { recursive: true, force: true });
});

test('a document gets the .dockwise.yaml found upward from it', async () => {
  await open('services/api/Dockerfile');
  await published('services/api/Dockerfile', 1, 0);
});

test('ignorePaths leave a document unlinted', async () => {
  await open('vendor/Dockerfile');
  assert.deepEqual((await lsp.diagnostics((p) => p.uri === uri('vendor/Dockerfile'))).diagnostics, []);
});

test('editor settings win over the file', async () => {
  lsp.settings = { dockwise: { rules: { 'image-tag-latest': 'hint' } } };
  const since = lsp.received();
  await lsp.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  await published('services/api/Dockerfile', 4, since);
  lsp.settings = { dockwise: {} };
  const reset = lsp.received();
  await lsp.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  await published('services/api/Dockerfile', 1, reset);
});

test('an edited file is read again; a broken one is logged once and left out', async () => {
  await published('services/api/Dockerfile', 3, await configFileChanged('rules:\n  image-tag-latest: info\n'));
  // Left out: the rule is back at its default level, as without the file.
  await published('services/api/Dockerfile', 2, await configFileChanged('rules:\n  image-tag-latst: info\n'));
  const warned = logs.filter((l) => l.message.includes('.dockwise.yaml:2: rules.image-tag-latst: unknown rule id'));
  assert.equal(warned.length, 1, JSON.stringify(logs));
});
