// The server on a real folder: workspace scope, .gitignore and files.exclude, and the files
// around a Dockerfile (.dockerignore, .hadolint.yaml) including changes to them.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import {
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  FileChangeType,
  InitializedNotification,
  InitializeRequest,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { startServer, type LspSession } from './lsp-client';

let root: string;
let lsp: LspSession;
const uri = (path: string) => pathToFileURL(join(root, path)).href;
const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => String(d.code)).sort();
const write = (path: string, text: string) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
};

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'dockwise-ws-'));
  write('a/Dockerfile', 'FROM python:latest\nWORKDIR /app\nCOPY . .\nUSER app\nCMD ["python", "app.py"]\n');
  write('a/package.json', '{}\n');
  write('b/Containerfile', 'FROM node:24.11-bookworm-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD node server.js\n');
  write('b/.dockerignore', 'node_modules\n');
  write('build/Dockerfile', 'FROM python\n');
  write('excluded/Dockerfile', 'FROM python\n');
  write('z/Dockerfile.prod', 'FROM alpine:3.24\nUSER nobody\nCMD ["true"]\n');
  write('.gitignore', 'build/\n');
  write('.hadolint.yaml', 'ignored:\n  - DL3007\n');
  lsp = startServer();
  lsp.settings = { dockwise: {}, 'dockwise.scope': 'workspace', 'files.exclude': { '**/excluded': true } };
  await lsp.connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'ws' }],
    capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true } } },
  });
  await lsp.connection.sendNotification(InitializedNotification.type, {});
});

after(() => {
  lsp.process.kill();
  rmSync(root, { recursive: true, force: true });
});

test('workspace scope lints unopened Dockerfiles from disk, leaving out .gitignore and files.exclude', async () => {
  const a = await lsp.diagnostics((p) => p.uri === uri('a/Dockerfile'));
  // .hadolint.yaml ignores DL3007 (latest), and a/ has no .dockerignore.
  assert.deepEqual(codes(a), ['dockerignore-missing']);
  const b = await lsp.diagnostics((p) => p.uri === uri('b/Containerfile'));
  assert.deepEqual(codes(b), ['cmd-shell-form']);
  // Files are linted in path order, so once z/ is in, the excluded ones would have been too.
  await lsp.diagnostics((p) => p.uri === uri('z/Dockerfile.prod'));
  await assert.rejects(lsp.diagnostics((p) => p.uri === uri('build/Dockerfile') || p.uri === uri('excluded/Dockerfile'), 300));
});

test('a .dockerignore created on disk updates the diagnostics of the files it affects', async () => {
  const since = lsp.received();
  write('a/.dockerignore', '.git\n');
  await lsp.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri('a/.dockerignore'), type: FileChangeType.Created }] });
  await lsp.diagnostics((p) => p.uri === uri('a/Dockerfile') && p.diagnostics.length === 0, 5000, since);
});

test('an open document wins over the disk, and closing it goes back to the disk version', async () => {
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri: uri('z/Dockerfile.prod'), languageId: 'dockerfile', version: 1, text: 'FROM alpine:3.24\nUSER nobody\nCMD true\n' },
  });
  const open = await lsp.diagnostics((p) => p.uri === uri('z/Dockerfile.prod') && p.version === 1);
  assert.deepEqual(codes(open), ['cmd-shell-form']);
  const since = lsp.received();
  await lsp.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: uri('z/Dockerfile.prod') } });
  await lsp.diagnostics((p) => p.uri === uri('z/Dockerfile.prod') && p.version === undefined && p.diagnostics.length === 0, 5000, since);
});
