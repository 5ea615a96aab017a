// Completion, navigation, symbols, folding, links, formatting, semantic tokens and inlay hints over
// the protocol, against the built server; tags come from a real registry on loopback.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import {
  CompletionRequest,
  DefinitionRequest,
  DidOpenTextDocumentNotification,
  DocumentFormattingRequest,
  DocumentHighlightRequest,
  DocumentRangeFormattingRequest,
  FoldingRangeRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  DocumentLinkRequest,
  DocumentSymbolRequest,
  ExitNotification,
  InlayHintRequest,
  RenameRequest,
  SemanticTokensRequest,
  ShutdownRequest,
  SignatureHelpRequest,
  WorkspaceSymbolRequest,
  type CompletionItem,
  type CompletionList,
  type DocumentSymbol,
  type Location,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { pushImage, startRegistry, type LocalRegistry } from '../registry/local-registry';
import { startInitializedServer, type LspSession } from './lsp-client';

let registry: LocalRegistry;
let lsp: LspSession;
let folder: string;
let storage: string;

before(async () => {
  registry = await startRegistry();
  for (const tags of [['3.12.7-slim', '3.12-slim'], ['3.13.1-slim', '3.13-slim', '3-slim'], ['3.13.1', '3.13', 'latest']]) {
    await pushImage(registry.host, 'library/python', tags, [{ os: 'linux', architecture: 'amd64', created: '2026-10-26T00:00:00Z' }]);
  }
  folder = mkdtempSync(join(tmpdir(), 'dockwise-features-'));
  storage = mkdtempSync(join(tmpdir(), 'dockwise-storage-'));
  writeFileSync(join(folder, 'requirements.txt'), 'flask\n');
  lsp = await startInitializedServer({ dockwise: { registry: { hosts: [registry.host] }, format: { indentWidth: 2 } }, storagePath: storage });
});

after(async () => {
  lsp?.process.kill();
  await registry?.stop();
  rmSync(folder, { recursive: true, force: true });
  rmSync(storage, { recursive: true, force: true });
});

let opened = 0;
async function open(text: string, path = `untitled:Dockerfile-${++opened}`): Promise<string> {
  const uri = path;
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
  return uri;
}

test('completing a FROM tag lists the registry\'s tags, newest and most specific first', async () => {
  const line = `FROM ${registry.host}/library/python:3.13`;
  const uri = await open(`${line}\n`);
  const result = (await lsp.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 0, character: line.length } })) as CompletionList;
  const labels = [...result.items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((i) => i.label);
  assert.deepEqual(labels.slice(0, 4), ['3.13.1', '3.13.1-slim', '3.13', '3.13-slim']);
  assert.ok(labels.includes('latest') && labels.indexOf('latest') > labels.indexOf('3-slim'));
  assert.deepEqual(result.items.find((i) => i.label === '3.13.1')!.textEdit, { range: { start: { line: 0, character: line.length - 4 }, end: { line: 0, character: line.length } }, newText: '3.13.1' });
});

test('completion of instructions and flags comes as snippets', async () => {
  const uri = await open('FROM alpine:3.24\nCOPY --\n');
  const flags = (await lsp.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 1, character: 7 } })) as CompletionItem[];
  assert.equal(flags.find((i) => i.label === '--chown')?.textEdit && (flags.find((i) => i.label === '--chown')!.textEdit as TextEdit).newText, '--chown=${1:user}:${2:group}');
  const keywords = (await lsp.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 2, character: 0 } })) as CompletionItem[];
  assert.ok(keywords.some((i) => i.label === 'HEALTHCHECK' && i.insertTextFormat === 2));
});

test('go to definition and rename of a stage reach every --from', async () => {
  const text = 'FROM python:3.12 AS build\nRUN true\nFROM gcr.io/distroless/python3\nCOPY --from=build /a /a\nRUN --mount=from=build,target=/b true\n';
  const uri = await open(text);
  const location = (await lsp.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line: 3, character: 14 } })) as Location;
  assert.deepEqual(location.range, { start: { line: 0, character: 20 }, end: { line: 0, character: 25 } });
  const edit = await lsp.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position: { line: 0, character: 21 }, newName: 'compile' });
  const renamed = TextDocument.applyEdits(TextDocument.create(uri, 'dockerfile', 1, text), edit!.changes![uri]!);
  assert.equal(renamed, text.replaceAll('build', 'compile'));
  await assert.rejects(lsp.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position: { line: 0, character: 21 }, newName: 'no spaces' }), /not a valid stage name/);
});

test('symbols: the outline has stages with their instructions, workspace search finds stages', async () => {
  const uri = await open('ARG V=1\nFROM alpine:3.24 AS base\nRUN true\nFROM base AS final\nUSER app\n');
  const symbols = (await lsp.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as DocumentSymbol[];
  assert.deepEqual(symbols.map((s) => [s.name, (s.children ?? []).map((c) => c.name)]), [['V', []], ['base', ['RUN']], ['final', ['USER']]]);
  const found = await lsp.connection.sendRequest(WorkspaceSymbolRequest.type, { query: 'fin' });
  assert.ok(found?.some((s) => s.name === 'final' && 'location' in s && s.location.uri === uri));
});

test('formatting uses dockwise.format.indentWidth; links point at the registry page and at files in the context', async () => {
  const path = join(folder, 'Dockerfile');
  const text = 'from python:3.12\nrun pip install \\\n        flask\nCOPY requirements.txt missing.txt ./\n';
  writeFileSync(path, text);
  const uri = await open(text, pathToFileURL(path).href);
  const edits = await lsp.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 8, insertSpaces: true } });
  assert.equal(TextDocument.applyEdits(TextDocument.create(uri, 'dockerfile', 1, text), edits!), 'FROM python:3.12\nRUN pip install \\\n  flask\nCOPY requirements.txt missing.txt ./\n');
  const links = await lsp.connection.sendRequest(DocumentLinkRequest.type, { textDocument: { uri } });
  assert.deepEqual(links!.map((l) => l.target), ['https://hub.docker.com/_/python', pathToFileURL(join(folder, 'requirements.txt')).href]);
});

test('signature help, semantic tokens and inlay hints answer with what the document holds', async () => {
  const text = `ARG BASE=${registry.host}/library/python\nFROM \${BASE}:3.13\nCOPY a \n`;
  const uri = await open(text);
  const help = await lsp.connection.sendRequest(SignatureHelpRequest.type, { textDocument: { uri }, position: { line: 2, character: 7 } });
  assert.match(help!.signatures[0]!.label, /^COPY /);
  const tokens = await lsp.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } });
  assert.equal(tokens!.data.length, 10);
  const hints = await lsp.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } } });
  assert.deepEqual(hints!.map((h) => h.label), [`= ${registry.host}/library/python:3.13`]);
});

test('references, highlights, prepare-rename, folding and range formatting answer over the protocol', async () => {
  const text = 'ARG V=1\nFROM alpine:$V AS base\nrun echo $V \\\n      && true\nFROM base\nCOPY --from=base /a /a\n';
  const uri = await open(text);
  const refs = await lsp.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position: { line: 1, character: 20 }, context: { includeDeclaration: false } });
  assert.deepEqual(refs!.map((l) => l.range.start.line), [4, 5]);
  const marks = await lsp.connection.sendRequest(DocumentHighlightRequest.type, { textDocument: { uri }, position: { line: 0, character: 4 } });
  assert.deepEqual(marks!.map((h) => [h.range.start.line, h.kind]), [[0, 3], [1, 2], [2, 2]]);
  assert.deepEqual(await lsp.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri }, position: { line: 5, character: 13 } }), { range: { start: { line: 5, character: 12 }, end: { line: 5, character: 16 } }, placeholder: 'base' });
  assert.equal(await lsp.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri }, position: { line: 1, character: 6 } }), null);
  const folds = await lsp.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } });
  assert.deepEqual(folds!.map((f) => [f.startLine, f.endLine]), [[1, 3], [2, 3], [4, 5]]);
  const edits = await lsp.connection.sendRequest(DocumentRangeFormattingRequest.type, { textDocument: { uri }, range: { start: { line: 2, character: 0 }, end: { line: 3, character: 0 } }, options: { tabSize: 4, insertSpaces: true } });
  assert.equal(TextDocument.applyEdits(TextDocument.create(uri, 'dockerfile', 1, text), edits!), 'ARG V=1\nFROM alpine:$V AS base\nRUN echo $V \\\n  && true\nFROM base\nCOPY --from=base /a /a\n');
});

test('tag completion works from the disk cache after a restart while the registry is down', async () => {
  const line = `FROM ${registry.host}/library/python:3.12`;
  const warm = await open(`${line}\n`);
  await lsp.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: warm }, position: { line: 0, character: line.length } });
  // Stopped the way an editor stops it (the cache is written in the background, and at shutdown).
  await lsp.connection.sendRequest(ShutdownRequest.type);
  const exited = new Promise((done) => lsp.process.once('exit', done));
  await lsp.connection.sendNotification(ExitNotification.type);
  await exited;
  await registry.stop();
  lsp = await startInitializedServer({ dockwise: { registry: { hosts: [registry.host] } }, storagePath: storage });
  const uri = await open(`${line}\n`);
  const result = (await lsp.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 0, character: line.length } })) as CompletionList;
  assert.ok(result.items.some((i) => i.label === '3.12.7-slim'), JSON.stringify(result.items.map((i) => i.label)));
});
