// A real LSP client over stdio against the built server bundle, for protocol-level tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import {
  createProtocolConnection,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ConfigurationRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { ROOT } from '../paths';

export interface LspSession {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcess;
  /** What the client answers `workspace/configuration` with, by section (`dockwise`, `files.exclude`, …). */
  settings: Record<string, unknown>;
  /** Resolves with the first publish that matches, among those after the first `since` received. */
  diagnostics(match: (p: PublishDiagnosticsParams) => boolean, timeoutMs?: number, since?: number): Promise<PublishDiagnosticsParams>;
  /** How many publishes have arrived so far, to wait only for later ones. */
  received(): number;
  /** Every publish held for one document, in order: all received, unless `keep` held fewer. */
  publishedFor(uri: string): PublishDiagnosticsParams[];
  exited: Promise<number | null>;
}

/** Our built server by default; the benchmark starts the incumbent server through `args` too. */
/**
 * `keep`: how many of the latest publishes to hold (all by default, for tests that read the history).
 * An editor holds only the latest per document; the benchmark's thousand publishes of a hundred
 * diagnostics each, all held, made this process's own collections take 8-17 ms each, counted in
 * whichever keystroke they fell on.
 */
export function startServer(env: Record<string, string | undefined> = {}, args: readonly string[] = [join(ROOT, 'server/out/server.js'), '--stdio'], keep = Number.POSITIVE_INFINITY): LspSession {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  /** The publishes held, the first of them the `dropped`-th received. */
  let published: PublishDiagnosticsParams[] = [];
  let dropped = 0;
  const waiters = new Set<() => void>();
  const session: LspSession = {
    connection,
    process: child,
    settings: { dockwise: {} },
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    received: () => dropped + published.length,
    publishedFor: (uri) => published.filter((p) => p.uri === uri),
    diagnostics(match, timeoutMs = 5000, since = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = published.slice(Math.max(0, since - dropped)).find(match);
          if (!hit) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching publishDiagnostics within ${timeoutMs} ms; got ${JSON.stringify(published)}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
  };
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    published.push(params);
    if (published.length > keep) {
      dropped += published.length - keep;
      published = published.slice(-keep);
    }
    for (const waiter of [...waiters]) waiter();
  });
  connection.onRequest(RegistrationRequest.type, () => undefined);
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => session.settings[item.section ?? ''] ?? null));
  // Once the server is gone its pipes and the connection must not keep the test process alive
  // (a test file that never exits stalls the whole run).
  child.once('exit', () => {
    connection.dispose();
    child.stdin?.destroy();
    child.stdout?.destroy();
  });
  connection.listen();
  return session;
}

/** A server that is initialized like an editor with settings support would do it. */
export async function startInitializedServer(
  options: { dockwise?: Record<string, unknown>; storagePath?: string; env?: Record<string, string | undefined>; trusted?: boolean; args?: readonly string[]; init?: Record<string, unknown>; keep?: number } = {},
): Promise<LspSession> {
  const lsp = startServer(options.env, options.args, options.keep);
  lsp.settings = { dockwise: options.dockwise ?? {} };
  await lsp.connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    workspaceFolders: null,
    capabilities: { workspace: { configuration: true } },
    initializationOptions: { ...(options.storagePath ? { storagePath: options.storagePath } : {}), trusted: options.trusted ?? true, ...options.init },
  });
  await lsp.connection.sendNotification(InitializedNotification.type, {});
  return lsp;
}
