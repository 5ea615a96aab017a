// The built server in a hostile workspace (issue 16): .dockerignore and compose.yaml as links to
// /dev/zero, .hadolint.yaml and a Dockerfile as FIFOs, `root -> /` and `self -> .`, a 2 MB
// Dockerfile, a compose context of `/` and a link to /etc inside a context. The server must stay
// small and quick, say what it refused once each, publish the size line for the big file, and link
// nothing outside the workspace.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import {
  CodeLensRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentLinkRequest,
  DocumentSymbolRequest,
  InitializedNotification,
  InitializeRequest,
  NotificationType,
  type LogMessageParams,
} from 'vscode-languageserver-protocol/node';
import { startServer, type LspSession } from './lsp-client';

let root: string;
let lsp: LspSession;
const logs: string[] = [];
let rssAtStart = 0;
let cpuAtStart = 0;
const uri = (path: string) => pathToFileURL(join(root, path)).href;
const write = (path: string, text: string) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
};
/** The server process's resident memory (MB) and CPU time (ms), from /proc. */
function usage(): { rssMb: number; cpuMs: number } {
  const pid = lsp.process.pid!;
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime, in clock ticks (100 per second on Linux).
  return { rssMb: rss, cpuMs: (Number(fields[11]) + Number(fields[12])) * 10 };
}

before(async () => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'dockwise-hostile-lsp-')));
  write('Dockerfile', 'FROM alpine:3.24\nCOPY app.py /app/\nUSER nobody\nCMD ["true"]\n');
  write('app.py', 'print(1)\n');
  symlinkSync('/dev/zero', join(root, '.dockerignore'));
  execFileSync('mkfifo', [join(root, '.hadolint.yaml')]);
  symlinkSync('/dev/zero', join(root, 'compose.yaml'));
  symlinkSync('/', join(root, 'root'));
  symlinkSync('.', join(root, 'self'));
  mkdirSync(join(root, 'fifo'));
  execFileSync('mkfifo', [join(root, 'fifo/Dockerfile')]);
  mkdirSync(join(root, 'big'));
  const fd = openSync(join(root, 'big/Dockerfile'), 'w');
  ftruncateSync(fd, 2 * 1024 * 1024);
  closeSync(fd);
  write('svc/Dockerfile', 'FROM alpine:3.24\nCOPY etc/passwd /x\nUSER nobody\nCMD ["true"]\n');
  write('svc/compose.yaml', `services:\n  everything:\n    build: { context: /, dockerfile: ${join(root, 'svc/Dockerfile')} }\n`);
  write('ctx/Dockerfile', 'FROM alpine:3.24\nCOPY link/passwd ok.txt /x/\nUSER nobody\nCMD ["true"]\n');
  write('ctx/ok.txt', 'ok\n');
  write('ctx/.dockerignore', 'secret\n');
  symlinkSync('/etc', join(root, 'ctx/link'));

  lsp = startServer();
  lsp.settings = { dockwise: {}, 'dockwise.scope': 'workspace', 'files.exclude': {} };
  lsp.connection.onNotification(new NotificationType<LogMessageParams>('window/logMessage'), (params) => {
    logs.push(params.message);
  });
  await lsp.connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'ws' }],
    capabilities: { workspace: { configuration: true } },
    initializationOptions: { lintDelayMs: 0 },
  });
  ({ rssMb: rssAtStart, cpuMs: cpuAtStart } = usage());
  await lsp.connection.sendNotification(InitializedNotification.type, {});
});

after(() => {
  lsp.process.kill();
  rmSync(root, { recursive: true, force: true });
});

test('the workspace is linted from disk, each refusal logged once, the big file declined, nothing walked through links', { timeout: 60_000 }, async () => {
  const top = await lsp.diagnostics((p) => p.uri === uri('Dockerfile'), 15_000);
  assert.deepEqual(top.diagnostics.map((d) => d.code), []);
  const big = await lsp.diagnostics((p) => p.uri === uri('big/Dockerfile'), 15_000);
  assert.deepEqual(
    big.diagnostics.map((d) => [d.code, d.message]),
    [['file-too-large', 'dockwise does not analyse files over 512 KB or 10,000 lines; this one has 2.0 MB on disk and was not read.']],
  );
  await lsp.diagnostics((p) => p.uri === uri('svc/Dockerfile'), 15_000);
  await lsp.diagnostics((p) => p.uri === uri('ctx/Dockerfile'), 15_000);

  // Opened and edited, the files around are not read again, and nothing is logged twice.
  const text = 'FROM alpine:3.24\nCOPY app.py /app/\nUSER nobody\nCMD ["true"]\n';
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri('Dockerfile'), languageId: 'dockerfile', version: 1, text } });
  for (let version = 2; version <= 4; version++) {
    await lsp.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri('Dockerfile'), version }, contentChanges: [{ text: `${text}# ${version}\n` }] });
    await lsp.diagnostics((p) => p.uri === uri('Dockerfile') && p.version === version);
  }
  await lsp.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: uri('Dockerfile') } });

  const once = (message: string) => assert.equal(logs.filter((l) => l === message).length, 1, `${message}\n${logs.join('\n')}`);
  once(`dockwise: ${join(root, '.dockerignore')}: a symbolic link to /dev/zero, a character device, not read`);
  once(`dockwise: ignoring ${join(root, '.hadolint.yaml')}: not a regular file (a FIFO), not read`);
  once(`dockwise: ${join(root, 'big/Dockerfile')}: larger than 1 MB (${2 * 1024 * 1024} bytes), not read`);
  once(`dockwise: the build context / of ${join(root, 'svc/Dockerfile')} is outside the workspace: it is not read, listed or linked`);
  // Nothing under the links was ever published.
  for (const link of ['root/', 'self/', 'fifo/']) assert.equal(lsp.publishedFor(uri(`${link}Dockerfile`)).length, 0, link);

  const { rssMb, cpuMs } = usage();
  process.stdout.write(`# measured server: RSS ${rssAtStart.toFixed(0)} → ${rssMb.toFixed(0)} MB (+${(rssMb - rssAtStart).toFixed(1)}), ${cpuMs - cpuAtStart} ms CPU after initialize\n`);
  assert.ok(rssMb - rssAtStart < 50, `RSS grew ${rssMb - rssAtStart} MB`);
  assert.ok(cpuMs - cpuAtStart < 5000, `${cpuMs - cpuAtStart} ms of CPU`);
});

test('no document link leads out of the workspace, and the lens says the context was not read', { timeout: 30_000 }, async () => {
  for (const path of ['svc/Dockerfile', 'ctx/Dockerfile']) {
    const text = readFileSync(join(root, path), 'utf8');
    await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(path), languageId: 'dockerfile', version: 1, text } });
  }
  const svcLinks = (await lsp.connection.sendRequest(DocumentLinkRequest.type, { textDocument: { uri: uri('svc/Dockerfile') } })) ?? [];
  assert.deepEqual(svcLinks.filter((l) => l.target?.startsWith('file:')), []);
  const ctxLinks = (await lsp.connection.sendRequest(DocumentLinkRequest.type, { textDocument: { uri: uri('ctx/Dockerfile') } })) ?? [];
  assert.deepEqual(ctxLinks.filter((l) => l.target?.startsWith('file:')).map((l) => l.target), [uri('ctx/ok.txt')]);
  const lenses = (await lsp.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: uri('svc/Dockerfile') } })) ?? [];
  assert.match(lenses[0]?.command?.title ?? '', /^build context: (\.\.\/)*\.\. \(outside the workspace, not read\), from compose service everything$/);
});
