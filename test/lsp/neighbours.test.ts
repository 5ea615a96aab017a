// Good neighbours over the protocol: the client says which extensions are enabled and what they
// report on a Dockerfile (dockwise/neighbours, dockwise/otherDiagnostics); a problem reported twice
// gets one note (dockwise/note), and dockwise.buildkitChecks "other" leaves what they cover to them.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { DidChangeConfigurationNotification, DidOpenTextDocumentNotification, NotificationType, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import type { Note } from '../../server/src/neighbours';
import { startInitializedServer, type LspSession } from './lsp-client';

const NEIGHBOURS = new NotificationType<{ extensions: string[] }>('dockwise/neighbours');
const OTHER = new NotificationType<{ uri: string; diagnostics: { source: string; code: string }[] }>('dockwise/otherDiagnostics');
const NOTE = new NotificationType<Note>('dockwise/note');

const DX = 'Docker DX (docker-language-server)';
// A Dockerfile with three findings BuildKit also checks, and one it does not.
const TEXT = 'FROM python:3.12-slim\nMAINTAINER me@example.com\nRUN pip install flask\nUSER nobody\nCMD python app.py\n';

let lsp: LspSession;
const notes: Note[] = [];
const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => String(d.code)).sort();

async function open(uri: string, text = TEXT): Promise<PublishDiagnosticsParams> {
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
  return lsp.diagnostics((p) => p.uri === uri);
}

/** The next publish for `uri` after now. */
function republished(uri: string, match: (codes: string[]) => boolean = () => true): Promise<PublishDiagnosticsParams> {
  return lsp.diagnostics((p) => p.uri === uri && match(codes(p)), 5000, lsp.received());
}

async function setMode(mode: 'dockwise' | 'other', uri: string, match: (codes: string[]) => boolean): Promise<void> {
  lsp.settings = { dockwise: { buildkitChecks: mode } };
  const next = republished(uri, match);
  await lsp.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  await next;
}

const noteAfter = (count: number, ms = 3000) =>
  new Promise<Note | undefined>((resolve) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (notes.length > count || Date.now() - started > ms) {
        clearInterval(poll);
        resolve(notes[count]);
      }
    }, 20);
  });

before(async () => {
  lsp = await startInitializedServer();
  lsp.connection.onNotification(NOTE, (note) => void notes.push(note));
});

after(() => lsp?.process.kill());

test('a BuildKit check Docker DX also reports, on a file where dockwise reports it, gets one note saying it has no setting for it', async () => {
  const uri = 'untitled:dx/Dockerfile';
  const first = await open(uri);
  assert.deepEqual(codes(first), ['cmd-shell-form', 'maintainer-deprecated', 'pip-no-cache-dir']);
  // Docker DX reports other things too (Scout), which match nothing of ours.
  await lsp.connection.sendNotification(OTHER, { uri, diagnostics: [{ source: DX, code: 'JSONArgsRecommended' }, { source: DX, code: 'not_pinned_digest' }] });
  const note = await noteAfter(0);
  assert.ok(note, 'a note');
  assert.equal(note.key, 'neighbour.docker-dx');
  assert.match(note.message, /^Docker DX also reports BuildKit's JSONArgsRecommended check, as dockwise does \(cmd-shell-form\): that problem shows twice\./);
  assert.match(note.message, /Docker DX has no setting that turns it off/);
  assert.deepEqual(note.actions, [{ title: 'Leave them to Docker DX', setting: { section: 'dockwise.buildkitChecks', value: 'other' } }]);
  // Once per neighbour: more overlap on this or another file says nothing more.
  await lsp.connection.sendNotification(OTHER, { uri, diagnostics: [{ source: DX, code: 'JSONArgsRecommended' }, { source: DX, code: 'MaintainerDeprecated' }] });
  assert.equal(await noteAfter(1, 800), undefined);
});

test('Container Tools (dockerfile-utils codes) gets its own note, naming the settings that turn its copies off', async () => {
  const uri = 'untitled:ct/Dockerfile';
  await open(uri);
  const count = notes.length;
  // 45 is dockerfile-utils' DEPRECATED_MAINTAINER; 38 (UNKNOWN_INSTRUCTION) has no BuildKit check.
  await lsp.connection.sendNotification(OTHER, { uri, diagnostics: [{ source: 'dockerfile-utils', code: '45' }, { source: 'dockerfile-utils', code: '38' }] });
  const note = await noteAfter(count);
  assert.ok(note, 'a note');
  assert.equal(note.key, 'neighbour.container-tools');
  assert.match(note.message, /^Container Tools also reports its own version of BuildKit's MaintainerDeprecated check, as dockwise does \(maintainer-deprecated\)/);
  assert.match(note.message, /docker\.languageserver\.diagnostics\.deprecatedMaintainer to "ignore"/);
  assert.deepEqual(
    note.actions?.map((a) => a.title),
    ['Open Container Tools settings', 'Leave them to Container Tools'],
  );
  assert.deepEqual(note.actions?.[0], { title: 'Open Container Tools settings', command: 'workbench.action.openSettings', arguments: ['docker.languageserver.diagnostics'] });
});

test('"other": what a neighbour reports on a file is left to it there, and nothing else', async () => {
  const uri = 'untitled:dx/Dockerfile';
  await setMode('other', uri, (c) => !c.includes('cmd-shell-form'));
  // Docker DX reported JSONArgsRecommended and MaintainerDeprecated here; pip's cache is dockwise's alone.
  assert.deepEqual(codes(lsp.publishedFor(uri).at(-1)!), ['pip-no-cache-dir']);
  // When Docker DX stops reporting them (the problems are fixed, or it is gone), dockwise reports them again.
  const back = republished(uri, (c) => c.includes('cmd-shell-form'));
  await lsp.connection.sendNotification(OTHER, { uri, diagnostics: [] });
  assert.deepEqual(codes(await back), ['cmd-shell-form', 'maintainer-deprecated', 'pip-no-cache-dir']);
});

test('"other": with Docker DX enabled, every BuildKit-mapped rule is left to it; with Container Tools, only the checks it has', async () => {
  const uri = 'untitled:enabled/Dockerfile';
  const first = await open(uri);
  assert.deepEqual(codes(first), ['cmd-shell-form', 'maintainer-deprecated', 'pip-no-cache-dir']);

  let next = republished(uri, (c) => !c.includes('cmd-shell-form'));
  await lsp.connection.sendNotification(NEIGHBOURS, { extensions: ['vscode.git', 'docker.docker'] });
  assert.deepEqual(codes(await next), ['pip-no-cache-dir']);

  next = republished(uri, (c) => c.includes('cmd-shell-form'));
  await lsp.connection.sendNotification(NEIGHBOURS, { extensions: ['ms-azuretools.vscode-containers'] });
  // Its Dockerfile Language Server has MAINTAINER, not shell-form CMD.
  assert.deepEqual(codes(await next), ['cmd-shell-form', 'pip-no-cache-dir']);

  next = republished(uri, (c) => c.includes('maintainer-deprecated'));
  await lsp.connection.sendNotification(NEIGHBOURS, { extensions: [] });
  assert.deepEqual(codes(await next), ['cmd-shell-form', 'maintainer-deprecated', 'pip-no-cache-dir']);
});

test('"dockwise" (the default): dockwise reports everything, whoever else is there', async () => {
  const uri = 'untitled:enabled/Dockerfile';
  await lsp.connection.sendNotification(NEIGHBOURS, { extensions: ['docker.docker', 'ms-azuretools.vscode-containers'] });
  await setMode('dockwise', uri, (c) => c.includes('cmd-shell-form') && c.includes('maintainer-deprecated'));
  assert.deepEqual(codes(lsp.publishedFor(uri).at(-1)!), ['cmd-shell-form', 'maintainer-deprecated', 'pip-no-cache-dir']);
});
