// The two language servers the benchmark starts over stdio, and what it asks of them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  ShutdownRequest,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { SERVER_NODE_FLAGS, serverEnvironment } from '../client/src/processFlags';
import { startInitializedServer, type LspSession } from '../test/lsp/lsp-client';
import { ROOT } from '../test/paths';

export interface Contestant {
  readonly name: string;
  /** `nodeArgs`: more Node options for our server's process (the memory section's heap probe). */
  start(extra?: { storagePath?: string; dockwise?: Record<string, unknown>; nodeArgs?: readonly string[] }): Promise<LspSession>;
}

/**
 * The bench's client holds the latest publishes only, as an editor holds the latest per document:
 * holding all of them made its own collections land in the keystrokes it timed (lsp-client.ts).
 */
const KEEP = 16;

/** Our built bundle as the extension starts it, with the typing delay set to 0 so the figure is the work after a keystroke. */
export const dockwise: Contestant = {
  name: 'dockwise',
  start: ({ nodeArgs = [], ...extra } = {}) => {
    const profile = process.env.DOCKWISE_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.DOCKWISE_BENCH_PROFILE}`] : [];
    const bundle = join(ROOT, process.env.DOCKWISE_BENCH_SERVER ?? 'server/out/server.js');
    return startInitializedServer({ ...extra, keep: KEEP, env: serverEnvironment(), init: { lintDelayMs: 0 }, args: [...SERVER_NODE_FLAGS, ...nodeArgs, ...profile, bundle, '--stdio'] });
  },
};

/** rcjsuen's dockerfile-language-server-nodejs, the server behind the Docker extension's Dockerfile support. */
export const incumbent: Contestant = {
  name: 'dockerfile-language-server-nodejs',
  start: () => startInitializedServer({ keep: KEEP, args: [join(ROOT, 'node_modules/dockerfile-language-server-nodejs/bin/docker-langserver'), '--stdio'] }),
};

/** Opens a document and resolves when its first diagnostics arrive. */
export async function open(lsp: LspSession, uri: string, text: string): Promise<void> {
  const since = lsp.received();
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
  await lsp.diagnostics((p) => p.uri === uri, 30_000, since);
}

/** Sends one change and resolves with the ms until the server publishes diagnostics for it. */
export async function edit(lsp: LspSession, uri: string, version: number, change: TextDocumentContentChangeEvent): Promise<number> {
  const since = lsp.received();
  const started = performance.now();
  await lsp.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [change] });
  await lsp.diagnostics((p) => p.uri === uri, 30_000, since);
  return performance.now() - started;
}

/** Resident set size of the server process, from /proc. */
export function rssMiB(lsp: LspSession): number {
  const status = readFileSync(`/proc/${lsp.process.pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

export async function stop(lsp: LspSession): Promise<void> {
  await lsp.connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
  await lsp.connection.sendNotification(ExitNotification.type).catch(() => undefined);
  const exited = await Promise.race([lsp.exited, new Promise((r) => setTimeout(() => r('late'), 2000))]);
  if (exited === 'late') lsp.process.kill();
  lsp.connection.dispose();
}
