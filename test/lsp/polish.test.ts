// What the editor shows around the linting, over the protocol: the rule count for the language
// status, progress while workspace scope lints every Dockerfile, and registry requests logged at
// debug level (a LogOutputChannel shows them only when its level is Debug).
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import {
  DidOpenTextDocumentNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  MessageType,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  type InitializeResult,
  type LogMessageParams,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol/node';
import { rules } from '../../server/src/rules';
import { startFaultServer } from '../registry/fault-server';
import { startInitializedServer, startServer, type LspSession } from './lsp-client';

const sessions: LspSession[] = [];
const folders: string[] = [];
after(() => {
  for (const s of sessions) s.process.kill();
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

test('the server says how many rules it has, for the language status item', async () => {
  const lsp = startServer();
  sessions.push(lsp);
  const result: InitializeResult = await lsp.connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: {} });
  assert.deepEqual(result.capabilities.experimental, { dockwise: { rules: rules.length } });
});

test('workspace scope reports progress while it finds and lints the Dockerfiles, and ends it when all are published', async () => {
  const root = mkdtempSync(join(tmpdir(), 'dockwise-progress-'));
  folders.push(root);
  const names = ['a/Dockerfile', 'b/Containerfile', 'c/Dockerfile.prod', 'd/api.Dockerfile'];
  for (const name of names) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), 'FROM python:latest\nCMD python app.py\n');
  }
  const lsp = startServer();
  sessions.push(lsp);
  lsp.settings = { dockwise: {}, 'dockwise.scope': 'workspace', 'files.exclude': {} };
  const tokens: (string | number)[] = [];
  const events: { value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd; published: number }[] = [];
  lsp.connection.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
    tokens.push(token);
    lsp.connection.onProgress(WorkDoneProgress.type, token, (value) => void events.push({ value, published: lsp.received() }));
  });
  await lsp.connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'ws' }],
    capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true } },
  });
  await lsp.connection.sendNotification(InitializedNotification.type, {});
  for (const name of names) await lsp.diagnostics((p) => p.uri === pathToFileURL(join(root, name)).href && p.diagnostics.length > 0, 10_000);
  const deadline = Date.now() + 5000;
  while (!events.some((e) => e.value.kind === 'end') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

  assert.equal(tokens.length, 1, 'one progress for the one scan');
  const kinds = events.map((e) => e.value.kind);
  assert.equal(kinds[0], 'begin');
  assert.equal(kinds.at(-1), 'end');
  assert.deepEqual(kinds.slice(1, -1), names.map(() => 'report'));
  const begin = events[0]!.value as WorkDoneProgressBegin;
  assert.equal(begin.title, 'dockwise: linting the workspace');
  assert.deepEqual(
    events.slice(1, -1).map((e) => (e.value as WorkDoneProgressReport).message),
    names.map((_, i) => `${i + 1} of ${names.length} Dockerfiles`),
  );
  const percentages = events.slice(1, -1).map((e) => (e.value as WorkDoneProgressReport).percentage!);
  assert.deepEqual(percentages, [...percentages].sort((x, y) => x - y));
  // The end comes after every file's diagnostics went out.
  assert.ok(events.at(-1)!.published >= names.length, JSON.stringify(events));
});

test('each registry request is logged at debug level; what goes wrong for a hover stays a warning', async () => {
  const faults = await startFaultServer();
  try {
    const lsp = await startInitializedServer({ dockwise: { registry: { hosts: [faults.host], timeoutSeconds: 1 } } });
    sessions.push(lsp);
    const logs: LogMessageParams[] = [];
    lsp.connection.onNotification(LogMessageNotification.type, (params) => void logs.push(params));
    const uri = 'untitled:registry-log';
    await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text: `FROM ${faults.host}/server-error/app:1.0\n` } });
    await lsp.diagnostics((p) => p.uri === uri);
    await lsp.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 8 } });
    const requests = logs.filter((l) => /^registry: (?:GET|HEAD) /.test(l.message));
    assert.ok(requests.length > 0, JSON.stringify(logs));
    assert.deepEqual([...new Set(requests.map((l) => l.type))], [MessageType.Debug]);
    assert.ok(requests.every((l) => l.message.includes(faults.host)));
    const failures = logs.filter((l) => l.message.startsWith(`registry: ${faults.host}/server-error/app:1.0`));
    assert.ok(failures.every((l) => l.type === MessageType.Warning), JSON.stringify(failures));
  } finally {
    await faults.stop();
  }
});
