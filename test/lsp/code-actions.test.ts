// Code actions over the protocol: order, edits that apply cleanly, fix-all on save and by command.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  ApplyWorkspaceEditRequest,
  CodeActionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  InitializedNotification,
  InitializeRequest,
  ShowDocumentRequest,
  type CodeAction,
  type Diagnostic,
  type TextDocumentEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { startServer, type LspSession } from './lsp-client';

const uri = 'untitled:Dockerfile';
let lsp: LspSession;
let text = 'FROM python:3.12-slim\nRUN pip install flask\nUSER app\nCMD python app.py\n';
let version = 1;
const shown: string[] = [];
const applied: WorkspaceEdit[] = [];

function apply(edit: WorkspaceEdit): void {
  const change = edit.documentChanges![0] as TextDocumentEdit;
  assert.equal(change.textDocument.version, version, 'edits carry the version they were computed for');
  text = TextDocument.applyEdits(TextDocument.create(uri, 'dockerfile', version, text), change.edits as never);
}

async function sync(): Promise<Diagnostic[]> {
  version += 1;
  await lsp.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
  return (await lsp.diagnostics((p) => p.uri === uri && p.version === version)).diagnostics;
}

before(async () => {
  lsp = startServer();
  lsp.connection.onRequest(ShowDocumentRequest.type, (params) => {
    shown.push(params.uri);
    return { success: true };
  });
  lsp.connection.onRequest(ApplyWorkspaceEditRequest.type, ({ edit }) => {
    applied.push(edit);
    return { applied: true };
  });
  await lsp.connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: { workspace: { applyEdit: true } } });
  await lsp.connection.sendNotification(InitializedNotification.type, {});
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version, text } });
  await lsp.diagnostics((p) => p.uri === uri && p.version === version);
});

after(() => lsp.process.kill());

async function actionsFor(diagnostic: Diagnostic): Promise<CodeAction[]> {
  return (await lsp.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } })) as CodeAction[];
}

test('actions come in order: fixes (safest preferred), disable for line, disable for file, docs', async () => {
  const { diagnostics } = await lsp.diagnostics((p) => p.uri === uri && p.version === 1);
  const cmd = diagnostics.find((d) => d.code === 'cmd-shell-form')!;
  const actions = await actionsFor(cmd);
  assert.deepEqual(actions.map((a) => [a.title, a.isPreferred ?? false]), [
    ['Switch to exec form', true],
    ['Disable cmd-shell-form for this line', false],
    ['Disable cmd-shell-form for this file', false],
    ['Show documentation for cmd-shell-form', false],
  ]);
  apply(actions[0]!.edit!);
  assert.equal(text, 'FROM python:3.12-slim\nRUN pip install flask\nUSER app\nCMD ["python", "app.py"]\n');
  assert.ok(!(await sync()).some((d) => d.code === 'cmd-shell-form'));
});

test('"disable for this line" writes the comment above and the diagnostic goes', async () => {
  const diagnostics = await sync();
  const pip = diagnostics.find((d) => d.code === 'pip-no-cache-dir')!;
  const disable = (await actionsFor(pip)).find((a) => a.title === 'Disable pip-no-cache-dir for this line')!;
  apply(disable.edit!);
  assert.match(text, /\n# dockwise-ignore pip-no-cache-dir\nRUN pip install flask\n/);
  assert.ok(!(await sync()).some((d) => d.code === 'pip-no-cache-dir'));
});

test('"show documentation" runs the client\'s command with the rule id (the page ships in the extension) and the web page', async () => {
  text = 'FROM python\nUSER app\n';
  const diagnostics = await sync();
  const docs = (await actionsFor(diagnostics[0]!)).find((a) => a.title.startsWith('Show documentation'))!;
  assert.deepEqual(docs.command, {
    title: 'Show documentation for image-tag-latest',
    command: 'dockwise.showRuleDocs',
    arguments: ['image-tag-latest', 'https://github.com/dockwise/dockwise/blob/main/docs/rules/image-tag-latest.md'],
  });
  // The diagnostic itself keeps the published page, for every other client (VS Code's opens the shipped one).
  assert.equal(diagnostics[0]!.codeDescription?.href, 'https://github.com/dockwise/dockwise/blob/main/docs/rules/image-tag-latest.md');
  // The server's own command still opens the web page, for clients without dockwise's command.
  await lsp.connection.sendRequest(ExecuteCommandRequest.type, { command: 'dockwise.server.openRuleDocs', arguments: [docs.command!.arguments![1]] });
  assert.equal(shown.at(-1), 'https://github.com/dockwise/dockwise/blob/main/docs/rules/image-tag-latest.md');
});

test('source.fixAll.dockwise applies every safe fix at once, and only safe ones', async () => {
  text = 'FROM python:3.12-slim\nrun pip install flask\nMAINTAINER me\nCMD python app.py\n';
  await sync();
  const actions = (await lsp.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [], only: ['source.fixAll'] },
  })) as CodeAction[];
  assert.deepEqual(actions.map((a) => a.kind), ['source.fixAll.dockwise']);
  apply(actions[0]!.edit!);
  assert.equal(text, 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\nLABEL org.opencontainers.image.authors="me"\nCMD ["python", "app.py"]\n');
  // runs-as-root has only an unsafe fix, so it stays.
  assert.deepEqual((await sync()).map((d) => d.code), ['runs-as-root']);
});

test('the fix-all command sends the edit to the client as workspace/applyEdit', async () => {
  text = 'FROM alpine:3.24\nRUN apk add curl\nUSER nobody\nCMD ["true"]\n';
  await sync();
  await lsp.connection.sendRequest(ExecuteCommandRequest.type, { command: 'dockwise.server.applyFixAll', arguments: [uri] });
  apply(applied.at(-1)!);
  assert.equal(text, 'FROM alpine:3.24\nRUN apk add --no-cache curl\nUSER nobody\nCMD ["true"]\n');
});
