/**
 * What the client and the server say to each other beyond LSP itself: the ids of the commands each
 * side runs for the other, the custom notifications, and the shapes of their parameters. Names and
 * types only, no logic, so that both sides (the client must not import `server/`) spell them the
 * same way and a rename breaks the build instead of a feature.
 */

/** Commands the server runs (`workspace/executeCommand`). */
export const ServerCommand = {
  /** "dockwise: Fix all auto-fixable problems" on a document: `[uri]`. */
  applyFixAll: 'dockwise.server.applyFixAll',
  /** Forgets cached registry answers and asks again. */
  refreshRegistry: 'dockwise.server.refreshRegistry',
  /** The base-image report for the image at a position: `[uri, position?]` → `BaseImageReportResult`. */
  baseImageReport: 'dockwise.server.baseImageReport',
  /** Opens a rule's web page: `[url]`. */
  openRuleDocs: 'dockwise.server.openRuleDocs',
} as const;

/** Commands the client registers and the server links to (hovers, code actions, diagnostics). */
export const ClientCommand = {
  /** Shows the base-image report: `[uri?, position?]`; the only command hover Markdown may run. */
  showBaseImageReport: 'dockwise.showBaseImageReport',
  /** Shows a rule's shipped page: `[id, web page?]`. */
  showRuleDocs: 'dockwise.showRuleDocs',
} as const;

/**
 * Environment variables the client sets for the server's process. The editor's NODE_EXTRA_CA_CERTS
 * reaches the server under `deferredExtraCaCerts` instead, so Node does not build its certificate
 * store at start (client/src/processFlags.ts); the server puts it back and reads the file itself
 * when it first opens a TLS connection (server/src/node/launch.ts, server/src/registry/certificates.ts).
 */
export const ServerEnvironment = {
  deferredExtraCaCerts: 'DOCKWISE_EXTRA_CA_CERTS',
} as const;

/** Custom notifications, by direction. */
export const Notification = {
  /** server → client: how the registry is doing (`RegistryStatusParams`). */
  registryStatus: 'dockwise/registryStatus',
  /** server → client: a note to show once ever (`Note`). */
  note: 'dockwise/note',
  /** client → server: the other extensions that activate on Dockerfiles (`NeighboursParams`). */
  neighbours: 'dockwise/neighbours',
  /** client → server: what they report on one document (`OtherDiagnosticsParams`). */
  otherDiagnostics: 'dockwise/otherDiagnostics',
} as const;

/** `unavailable`: this server has no registry client (the browser build); said once, at start. */
export type RegistryState = 'online' | 'offline' | 'cached' | 'denied' | 'off' | 'unavailable';

export interface RegistryStatusParams {
  readonly state: RegistryState;
  readonly detail: string;
}

/** A button of a note: runs a command, or writes a user setting. */
export interface NoteAction {
  readonly title: string;
  readonly command?: string;
  readonly arguments?: readonly unknown[];
  readonly setting?: { readonly section: string; readonly value: unknown };
}

/** What the client shows once (it remembers that it did): a message and its buttons. */
export interface Note {
  readonly key: string;
  readonly message: string;
  readonly actions: readonly NoteAction[];
}

export interface NeighboursParams {
  readonly extensions: readonly string[];
}

/** A diagnostic another extension published on a Dockerfile, as the client forwards it. */
export interface OtherDiagnostic {
  readonly source: string;
  readonly code: string;
}

export interface OtherDiagnosticsParams {
  readonly uri: string;
  readonly diagnostics: readonly OtherDiagnostic[];
}

export type BaseImageReportResult = { readonly title: string; readonly html: string } | { readonly error: string };

/** `initializationOptions` the client sends. */
export interface InitializationOptions {
  /** The extension's global storage folder, for the registry's disk cache. */
  readonly storagePath?: string;
  /** Workspace trust: only a trusted workspace gets the user's hosts and credentials. */
  readonly trusted?: boolean;
  /** The typing delay before a lint, in ms (the benchmark sets 0). */
  readonly lintDelayMs?: number;
}

/** `capabilities.experimental` of the server's initialize result. */
export interface ExperimentalCapabilities {
  readonly dockwise: { readonly rules: number };
}
