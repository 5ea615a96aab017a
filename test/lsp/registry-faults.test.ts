// A misbehaving registry never changes the diagnostics that do not need it, and hovers say why.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { DidOpenTextDocumentNotification, HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { startFaultServer, type FaultServer } from '../registry/fault-server';
import { startInitializedServer, type LspSession } from './lsp-client';
import { lint } from '../../server/src/linter';

let faults: FaultServer;
let lsp: LspSession;

before(async () => {
  faults = await startFaultServer();
  lsp = await startInitializedServer({ dockwise: { registry: { hosts: [faults.host], timeoutSeconds: 1 } } });
});

after(async () => {
  lsp?.process.kill();
  await faults?.stop();
});

for (const fault of ['timeout', 'server-error', 'malformed-json', 'unauthorized-loop', 'huge'] as const) {
  test(`${fault}: diagnostics stay those of the text alone, and the hover says what went wrong`, async () => {
    const uri = `untitled:${fault}`;
    const text = `FROM ${faults.host}/${fault}/app:latest\nRUN apt-get install curl\n`;
    await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
    const offline = lint(text).map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}`);
    const first = await lsp.diagnostics((p) => p.uri === uri);
    assert.deepEqual(first.diagnostics.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}`), offline);
    const hover = await lsp.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 8 } });
    const line = (hover?.contents as MarkupContent).value;
    assert.match(line, /registry data unavailable: /);
    assert.ok(!line.includes('\n'));
    // The failure has landed by now (the hover waited for it): every publish for this file says the same.
    for (const publish of lsp.publishedFor(uri)) {
      assert.deepEqual(publish.diagnostics.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}`), offline);
    }
  });
}
