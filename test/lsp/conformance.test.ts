// Protocol conformance: what the server advertises, how it syncs, cancels, settles and survives.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  LSPErrorCodes,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  type InitializeResult,
} from 'vscode-languageserver-protocol/node';
import { ROOT } from '../paths';
import { startServer, type LspSession } from './lsp-client';
import { lint } from '../../server/src/linter';

let lsp: LspSession;
let capabilities: InitializeResult['capabilities'];

before(async () => {
  lsp = startServer();
  const result = await lsp.connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: {} });
  capabilities = result.capabilities;
  await lsp.connection.sendNotification(InitializedNotification.type, {});
});

after(() => lsp.process.kill());

test('the capabilities advertised are the ones implemented, and nothing more', async () => {
  assert.deepEqual(Object.keys(capabilities).sort(), [
    'codeActionProvider',
    'codeLensProvider',
    'completionProvider',
    'definitionProvider',
    'documentFormattingProvider',
    'documentHighlightProvider',
    'documentLinkProvider',
    'documentRangeFormattingProvider',
    'documentSymbolProvider',
    'executeCommandProvider',
    // dockwise's own: the rule count the client shows in its language status.
    'experimental',
    'foldingRangeProvider',
    'hoverProvider',
    'inlayHintProvider',
    'referencesProvider',
    'renameProvider',
    'semanticTokensProvider',
    'signatureHelpProvider',
    'textDocumentSync',
    'workspaceSymbolProvider',
  ]);
  const uri = 'untitled:caps';
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text: 'FROM scratch\n' } });
  // Each advertised request answers (a non-image position hovers to nothing).
  assert.equal(await lsp.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 0 } }), null);
  assert.deepEqual(await lsp.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }), []);
  for (const command of (capabilities.executeCommandProvider as { commands: string[] }).commands) assert.match(command, /^dockwise\.server\./);
  const document = { textDocument: { uri } };
  const position = { ...document, position: { line: 0, character: 2 } };
  const range = { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } };
  const requests: [string, unknown][] = [
    ['textDocument/completion', position],
    ['textDocument/signatureHelp', position],
    ['textDocument/definition', position],
    ['textDocument/references', { ...position, context: { includeDeclaration: true } }],
    ['textDocument/documentHighlight', position],
    ['textDocument/prepareRename', position],
    ['textDocument/documentSymbol', document],
    ['workspace/symbol', { query: '' }],
    ['textDocument/foldingRange', document],
    ['textDocument/documentLink', document],
    ['textDocument/formatting', { ...document, options: { tabSize: 4, insertSpaces: true } }],
    ['textDocument/rangeFormatting', { ...document, range, options: { tabSize: 4, insertSpaces: true } }],
    ['textDocument/semanticTokens/full', document],
    ['textDocument/inlayHint', { ...document, range }],
    ['textDocument/codeLens', document],
  ];
  for (const [method, params] of requests) await lsp.connection.sendRequest(method, params);
});

test('incremental sync with several ranges per change, CRLF and non-ASCII keeps ranges exact (UTF-16)', async () => {
  const uri = 'untitled:sync';
  let text = '# café ☕ résumé\r\nFROM python:3.12-slim\r\nUSER app\r\n';
  let version = 1;
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version, text } });
  const edits = [
    // Two edits in one change: the emoji line grows (a surrogate pair), the tag becomes `latest`.
    [
      { range: { start: { line: 0, character: 8 }, end: { line: 0, character: 8 } }, text: '🐳🐳' },
      { range: { start: { line: 1, character: 12 }, end: { line: 1, character: 21 } }, text: 'latest' },
    ],
    [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: 'RUN echo ünïcødé\r\n' }],
  ];
  for (const contentChanges of edits) {
    version += 1;
    text = TextDocument.applyEdits(TextDocument.create(uri, 'dockerfile', version, text), contentChanges.map((c) => ({ range: c.range, newText: c.text })));
    await lsp.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
  }
  const published = await lsp.diagnostics((p) => p.uri === uri && p.version === version);
  // The server's view of the text equals ours: the same diagnostics as linting our copy.
  assert.deepEqual(published.diagnostics.map((d) => [d.code, d.range]), lint(text).map((d) => [d.code, d.range]));
  assert.deepEqual(published.diagnostics.find((d) => d.code === 'image-tag-latest')?.range, { start: { line: 1, character: 12 }, end: { line: 1, character: 18 } });
});

test('a burst of changes settles into one publish for the last version', async () => {
  const uri = 'untitled:burst';
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text: 'FROM python:3.12\nUSER app\n' } });
  await lsp.diagnostics((p) => p.uri === uri && p.version === 1);
  const since = lsp.received();
  // Written back to back, as a typing burst reaches the server: awaiting each write would let a loaded
  // machine put more than the debounce between two of them, and that is not a burst.
  const sent: Promise<void>[] = [];
  for (let version = 2; version <= 30; version++) {
    sent.push(lsp.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text: `FROM python:3.${version}\nUSER app\n` }] }));
  }
  await Promise.all(sent);
  await lsp.diagnostics((p) => p.uri === uri && p.version === 30, 5000, since);
  const burst = lsp.publishedFor(uri).slice(1);
  assert.equal(burst.length, 1, `published ${burst.length} times for 29 quick changes: ${burst.map((p) => p.version).join(', ')}`);
});

test('a cancelled request answers RequestCancelled', async () => {
  const { startFaultServer } = await import('../registry/fault-server');
  const { startInitializedServer } = await import('./lsp-client');
  const { CancellationTokenSource } = await import('vscode-languageserver-protocol/node');
  const faults = await startFaultServer();
  const slow = await startInitializedServer({ dockwise: { registry: { hosts: [faults.host] } } });
  try {
    const uri = 'untitled:cancel';
    await slow.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text: `FROM ${faults.host}/timeout/app:1\n` } });
    // The registry never answers, so the hover is still waiting when the cancellation arrives.
    const source = new CancellationTokenSource();
    const pending = slow.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 8 } }, source.token);
    setTimeout(() => source.cancel(), 100);
    await assert.rejects(pending, (e: { code?: number }) => e.code === LSPErrorCodes.RequestCancelled);
  } finally {
    slow.process.kill();
    await faults.stop();
  }
});

test('garbage on stdin is answered with an error and the server keeps working; closing stdin ends it', async () => {
  const child = spawn(process.execPath, [join(ROOT, 'server/out/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  const frame = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  child.stdin.write(frame('{not json at all'));
  child.stdin.write(frame(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'no/such/method', params: {} })));
  child.stdin.write(frame(JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } })));
  const answered = () => Buffer.concat(out).toString('utf8');
  for (let i = 0; i < 100 && !answered().includes('"id":8'); i++) await new Promise((r) => setTimeout(r, 20));
  assert.match(answered(), /"id":7,"error":\{"code":-32601/);
  assert.match(answered(), /"id":8,"result":\{"capabilities"/);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.stdin.end();
  const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running'), 5000))]);
  assert.notEqual(code, 'still running');
});
