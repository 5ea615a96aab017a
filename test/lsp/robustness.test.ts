// The server keeps serving when a rule breaks or a file is absurdly large.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import {
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  HoverRequest,
  NotificationType,
  type LogMessageParams,
} from 'vscode-languageserver-protocol/node';
import { startInitializedServer } from './lsp-client';

test('a rule that throws loses only its own findings, is logged once, and the others keep publishing', async () => {
  const lsp = await startInitializedServer({ env: { DOCKWISE_FAULT_RULE: 'image-tag-latest' }, init: { lintDelayMs: 0 } });
  const logs: LogMessageParams[] = [];
  lsp.connection.onNotification(new NotificationType<LogMessageParams>('window/logMessage'), (params) => {
    logs.push(params);
  });
  try {
    const uri = 'file:///faulty/Dockerfile';
    const text = 'FROM python:latest\nRUN pip install flask\nCMD python app.py\n';
    await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
    const first = await lsp.diagnostics((p) => p.uri === uri && p.version === 1);
    const codes = first.diagnostics.map((d) => d.code);
    assert.ok(!codes.includes('image-tag-latest'), codes.join());
    assert.ok(codes.includes('cmd-shell-form') && codes.includes('pip-no-cache-dir'), codes.join());
    for (let version = 2; version <= 4; version++) {
      await lsp.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line: 2, character: 17 }, end: { line: 2, character: 17 } }, text: ' ' }],
      });
      const later = await lsp.diagnostics((p) => p.uri === uri && p.version === version);
      assert.ok(later.diagnostics.some((d) => d.code === 'cmd-shell-form'));
    }
    const reports = logs.filter((l) => l.message.includes('rule image-tag-latest failed'));
    assert.equal(reports.length, 1, JSON.stringify(logs));
    assert.match(reports[0]!.message, /injected fault/);
  } finally {
    lsp.process.kill();
  }
});

test('a file over the documented limits gets one information line instead of seconds of analysis', async () => {
  const lsp = await startInitializedServer({ init: { lintDelayMs: 0 } });
  try {
    const uri = 'file:///huge/Dockerfile';
    const text = `FROM python:latest\n${'RUN echo layer\n'.repeat(12_000)}`;
    await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
    const { diagnostics } = await lsp.diagnostics((p) => p.uri === uri);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.code, 'file-too-large');
    assert.match(diagnostics[0]!.message as string, /over 512 KB or 10,000 lines; this one has \d+ KB in 12,002 lines/);
    assert.equal(await lsp.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 7 } }), null);
    // Cut back under the limit, it is analysed as usual.
    const small = 'FROM python:latest\n';
    await lsp.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ text: small }] });
    const back = await lsp.diagnostics((p) => p.uri === uri && p.version === 2);
    assert.ok(back.diagnostics.some((d) => d.code === 'image-tag-latest'));
  } finally {
    lsp.process.kill();
  }
});
