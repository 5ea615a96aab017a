// Ctrl+T (workspace/symbol) over a workspace of 2,000 Dockerfiles made from the corpus: the first
// query scans and reads the workspace, later ones only filter the index; a file event re-reads one file.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeWatchedFilesNotification, FileChangeType, InitializedNotification, InitializeRequest, WorkspaceSymbolRequest } from 'vscode-languageserver-protocol/node';
import { SERVER_NODE_FLAGS, serverEnvironment } from '../client/src/processFlags';
import { startServer, type LspSession } from '../test/lsp/lsp-client';
import { ROOT } from '../test/paths';
import { stop } from './servers';
import { percentile, row, section } from './table';

const FILES = 2000;
const QUERIES = ['build', 'run', 'ver', 'b', 'node', 'app', 'py', 'base', 'prod', 'dev'];
const ROUNDS = 10;

async function query(lsp: LspSession, text: string): Promise<{ ms: number; count: number }> {
  const started = performance.now();
  const found = await lsp.connection.sendRequest(WorkspaceSymbolRequest.type, { query: text });
  return { ms: performance.now() - started, count: found?.length ?? 0 };
}

export async function symbols(files: readonly string[]): Promise<void> {
  section(`6. Workspace symbols (Ctrl+T) over ${FILES.toLocaleString('en')} Dockerfiles on disk (corpus files, one per folder)`);
  const root = mkdtempSync(join(tmpdir(), 'dockwise-bench-symbols-'));
  try {
    for (let i = 0; i < FILES; i++) {
      const dir = join(root, `svc${i}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'Dockerfile'), readFileSync(files[i % files.length]!, 'utf8'));
    }
    // DOCKWISE_BENCH_SERVER: another build of ours to compare (as in servers.ts).
    const lsp = startServer(serverEnvironment(), [...SERVER_NODE_FLAGS, join(ROOT, process.env.DOCKWISE_BENCH_SERVER ?? 'server/out/server.js'), '--stdio']);
    const folder = pathToFileURL(root).href;
    await lsp.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folder,
      workspaceFolders: [{ uri: folder, name: 'bench' }],
      capabilities: { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
      initializationOptions: { lintDelayMs: 0, trusted: true },
    });
    await lsp.connection.sendNotification(InitializedNotification.type, {});
    const first = await query(lsp, 'build');
    row({ name: 'first query (scan, read and parse every file)', value: first.ms, unit: 'ms' });
    row({ name: 'symbols found for "build"', value: first.count, unit: 'symbols' });
    const later: number[] = [];
    for (let round = 0; round < ROUNDS; round++) for (const text of QUERIES) later.push((await query(lsp, text)).ms);
    const p95 = percentile(later, 95);
    row({ name: `later queries: median of ${later.length}`, value: percentile(later, 50), unit: 'ms' });
    row({ name: `later queries: p95 of ${later.length}`, value: p95, unit: 'ms', target: '< 50', pass: p95 < 50 });
    // A file changed on disk: the next query reads that one file again, nothing else.
    writeFileSync(join(root, 'svc0', 'Dockerfile'), 'FROM alpine:3.21 AS rebuilt\n');
    await lsp.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(join(root, 'svc0', 'Dockerfile')).href, type: FileChangeType.Changed }] });
    const afterEvent = await query(lsp, 'rebuilt');
    row({ name: 'query after a file event (that file re-read)', value: afterEvent.ms, unit: 'ms', target: '< 50', pass: afterEvent.ms < 50 && afterEvent.count === 1 });
    await stop(lsp);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
