// Docker Hub images end to end: the registry API (a loopback registry standing in for
// registry-1.docker.io) and Hub's web API (recorded responses on loopback).
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DidOpenTextDocumentNotification, HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { startHubServer } from '../registry/hub-server';
import { pushImage, startRegistry, type LocalRegistry } from '../registry/local-registry';
import { startInitializedServer, type LspSession } from './lsp-client';

let registry: LocalRegistry;
let hubApi: { host: string; stop(): Promise<void> };
let storage: string;
let lsp: LspSession;

before(async () => {
  registry = await startRegistry();
  hubApi = await startHubServer();
  storage = mkdtempSync(join(tmpdir(), 'dockwise-storage-'));
  await pushImage(registry.host, 'library/python', ['3.12-slim'], [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }]);
  await pushImage(registry.host, 'someuser/tools', ['1.0'], [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }]);
  lsp = await startInitializedServer({
    dockwise: { registry: { hosts: [registry.host, hubApi.host] } },
    storagePath: storage,
    env: { DOCKWISE_DOCKER_HUB_REGISTRY: `http://${registry.host}`, DOCKWISE_HUB_API: `http://${hubApi.host}` },
  });
});

after(async () => {
  lsp?.process.kill();
  await registry?.stop();
  await hubApi?.stop();
  rmSync(storage, { recursive: true, force: true });
});

test('a Docker Official Image hover shows the badge, pulls, last update and the description as plain text', async () => {
  const uri = 'untitled:official';
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text: 'FROM python:3.12-slim\nUSER app\n' } });
  const hover = await lsp.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 7 } });
  const text = (hover?.contents as MarkupContent).value;
  assert.match(text, /Docker Official Image · 1\.2B pulls · updated 2026-11-20/);
  // The description's Markdown link stays text: escaped brackets, and no clickable URL.
  assert.match(text, /See \\\[docs\\\]\\\(https:\u200b\/\/example\\\.invalid\/x\\\)/);
  assert.match(text, /\[Open the image's page\]\(https:\/\/hub\.docker\.com\/_\/python\)/);
});

test('a Docker Hub image without a badge is reported by untrusted-publisher once Hub has answered', async () => {
  const uri = 'untitled:tools';
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text: 'FROM someuser/tools:1.0\nUSER app\n' } });
  const published = await lsp.diagnostics((p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'untrusted-publisher'), 10_000);
  const d = published.diagnostics.find((x) => x.code === 'untrusted-publisher')!;
  assert.deepEqual(d.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 19 } });
});

test('when the registry cannot be asked, the hover falls back to Docker Hub tag details', async () => {
  const uri = 'untitled:node';
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text: 'FROM node:20.18-slim\nUSER node\n' } });
  const hover = await lsp.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 6 } });
  const text = (hover?.contents as MarkupContent).value;
  assert.match(text, /`sha256:dddd4444dddd`/);
  assert.match(text, /\| linux\/amd64 \| 74\.2 MB \|\n\| linux\/arm64\/v8 \| 73\.0 MB \|/);
  assert.match(text, /From Docker Hub: the registry itself could not be asked/);
});
