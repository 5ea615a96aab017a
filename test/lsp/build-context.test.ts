// The build context over the protocol: compose decides context, args and target; a COPY typo gets a
// did-you-mean fix; files appearing are noticed; CodeLenses; the base-image report from a real registry.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import {
  CodeActionRequest,
  CodeLensRequest,
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  FileChangeType,
  InitializedNotification,
  InitializeRequest,
  type CodeAction,
} from 'vscode-languageserver-protocol/node';
import { seedDemoImages } from '../registry/demo-images';
import { startRegistry, type LocalRegistry } from '../registry/local-registry';
import { startServer, type LspSession } from './lsp-client';

let root: string;
let storage: string;
let lsp: LspSession;
let registry: LocalRegistry;
const uri = (path: string) => pathToFileURL(join(root, path)).href;
const write = (path: string, text: string) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
};
const DOCKERFILE = 'ARG BASE=python:latest\nFROM ${BASE} AS deps\nRUN pip install --no-cache-dir flask\nFROM deps AS prod\nCOPY requirments.txt /app/\nUSER nobody\nFROM prod AS debug\n';

before(async () => {
  registry = await startRegistry();
  await seedDemoImages(registry.host);
  root = mkdtempSync(join(tmpdir(), 'dockwise-ctx-ws-'));
  storage = mkdtempSync(join(tmpdir(), 'dockwise-storage-'));
  write('compose.yaml', 'services:\n  api:\n    build:\n      context: .\n      dockerfile: api/Dockerfile\n      target: prod\n      args:\n        BASE: python:3.12.7-slim\n');
  write('api/Dockerfile', DOCKERFILE);
  write('requirements.txt', 'flask\n');
  write('report/Dockerfile', `FROM ${registry.host}/library/python:3.12.7-slim\n`);
  lsp = startServer();
  lsp.settings = { dockwise: { registry: { hosts: [registry.host] } } };
  await lsp.connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'ws' }],
    capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
    initializationOptions: { storagePath: storage, lintDelayMs: 0, trusted: true },
  });
  await lsp.connection.sendNotification(InitializedNotification.type, {});
});

after(async () => {
  lsp.process.kill();
  await registry.stop();
  rmSync(root, { recursive: true, force: true });
  rmSync(storage, { recursive: true, force: true });
});

test('compose sets context, build args and target: the typo is found in the context with a did-you-mean fix', async () => {
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri('api/Dockerfile'), languageId: 'dockerfile', version: 1, text: DOCKERFILE } });
  // Compose files are read once the server is initialized; wait for a publish that reflects them.
  const published = await lsp.diagnostics((p) => p.uri === uri('api/Dockerfile') && p.diagnostics.some((d) => d.code === 'copy-source-missing' && String(d.message).includes('Did you mean')), 10_000);
  const codes = published.diagnostics.map((d) => `${d.range.start.line + 1}:${String(d.code)}`);
  assert.ok(!codes.includes('2:image-tag-latest'), `BASE comes from compose: ${codes.join()}`);
  assert.ok(codes.includes('7:stage-unused'), `the target is prod, so debug is unused: ${codes.join()}`);
  const typo = published.diagnostics.find((d) => d.code === 'copy-source-missing')!;
  assert.match(String(typo.message), /`requirments\.txt` is not in the build context \(`\.\.`, from compose service api\), so the build fails here\. Did you mean `requirements\.txt`\?/);
  const actions = (await lsp.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: uri('api/Dockerfile') }, range: typo.range, context: { diagnostics: [typo] } })) as CodeAction[];
  const fix = actions.find((a) => a.title.startsWith('Change to requirements.txt'));
  assert.ok(fix, actions.map((a) => a.title).join(' | '));
  const edit = fix.edit!.documentChanges![0] as { edits: { newText: string }[] };
  assert.equal(edit.edits[0]!.newText, 'requirements.txt');
});

test('a file created in the context is noticed: the finding goes away', async () => {
  write('requirments.txt', 'flask\n');
  const since = lsp.received();
  await lsp.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri('requirments.txt'), type: FileChangeType.Created }] });
  const after = await lsp.diagnostics((p) => p.uri === uri('api/Dockerfile'), 10_000, since);
  assert.ok(!after.diagnostics.some((d) => d.code === 'copy-source-missing'));
});

test('CodeLenses say where the context comes from and which stages use each stage', async () => {
  const lenses = await lsp.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: uri('api/Dockerfile') } });
  assert.deepEqual(lenses!.map((l) => [l.range.start.line, l.command!.title]), [
    [0, 'build context: .., from compose service api'],
    [1, 'used by prod (FROM)'],
    [3, 'used by debug (FROM)'],
    [6, 'not used by the build target'],
  ]);
});

test('the base-image report compares the variants of the version with sizes per platform, from the registry', async () => {
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri('report/Dockerfile'), languageId: 'dockerfile', version: 1, text: `FROM ${registry.host}/library/python:3.12.7-slim\n` } });
  const page = (await lsp.connection.sendRequest(ExecuteCommandRequest.type, { command: 'dockwise.server.baseImageReport', arguments: [uri('report/Dockerfile'), { line: 0, character: 25 }] })) as { title: string; html: string };
  assert.equal(page.title, `Base image: ${registry.host}/library/python:3.12.7-slim`);
  assert.match(page.html, /<h2>3\.12\.7-slim <span class="badge">this image<\/span><\/h2>/);
  assert.match(page.html, /<h2>3\.12\.7<\/h2>/);
  // Two platforms for slim, one for the full image: three bars.
  assert.equal(page.html.match(/<rect /g)?.length, 3);
  assert.match(page.html, /Same digest as <code>3\.12\.7-slim<\/code>: (?:<code>[^<]+<\/code>(?:, )?)*<code>3-slim<\/code>/);
  assert.doesNotMatch(page.html, /<script/);
});
