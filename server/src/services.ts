/**
 * What the language server needs from the machine it runs on, handed to `createServer`. The
 * server itself (`server.ts`) only speaks LSP and calls pure code; every piece of I/O is here,
 * and a piece the platform lacks is simply absent: in the browser there is no disk and no
 * registry, so build-context facts are skipped and registry features say they need the desktop.
 *
 * Types only: an entry (`node/main.ts`, `browser/main.ts`) fills them in, so a bundle pulls in the
 * Node-only modules only when its entry does.
 */
import type { ImageRef } from './language/imageRef';
import type { CachingRegistry } from './registry/cache';
import type { HubClient } from './registry/hub';
import type { ImageDescription } from './registry/types';
import type { ImageFactName, ImageFacts, Rule } from './engine/rule';
import type { Settings } from './settings';
import type { BuildContextReader } from './workspace/buildContext';
import type { ConfigFiles } from './workspace/configFiles';
import type { BuildDefinition } from './workspace/definitions';
import type { ReadResult } from './workspace/readCapped';

export interface ServerServices {
  /** The rules to run (the Node entry can inject a failing one for the robustness tests). */
  readonly rules: readonly Rule[];
  readonly disk?: DiskServices;
  readonly registry?: RegistryServices;
}

/** The workspace on a local disk: build contexts, `.dockwise.yaml`, compose and bake files, workspace scope. */
export interface DiskServices {
  /** The path of a `file:` URI; undefined for any other scheme (those documents get settings only). */
  pathOf(uri: string): string | undefined;
  uriOf(path: string): string;
  /** Globs of Dockerfiles and build definitions, for the file watchers. */
  readonly dockerfileGlob: string;
  readonly buildDefinitionGlobs: readonly string[];
  isBuildDefinitionFile(uri: string): boolean;
  /** Contexts outside `roots` (the workspace folders, asked each time) are not read. */
  buildContexts(roots: () => readonly string[]): BuildContextReader;
  configFiles(): ConfigFiles;
  findBuildDefinitions(roots: readonly string[], onProblem: (message: string) => void): Promise<Map<string, BuildDefinition[]>>;
  findDockerfiles(root: string, filesExclude: Readonly<Record<string, unknown>>, onProblem: (message: string) => void): Promise<string[]>;
  readDockerfile(path: string, within: readonly string[]): ReadResult;
}

export interface RegistryConnectOptions {
  readonly settings: Settings['registry'];
  /** Untrusted workspaces get public registries only, anonymously. */
  readonly trusted: boolean;
  /** The extension's storage folder, for the disk cache. */
  readonly storagePath?: string;
  /** The editor's `http` settings section as pulled (proxy, noProxy, proxyStrictSSL, proxyAuthorization, systemCertificates). */
  readonly http?: unknown;
  readonly log: (line: string) => void;
}

export interface RegistryConnection {
  readonly registry: CachingRegistry;
  readonly hub: HubClient;
  /** Whether the host policy lets us ask this image's registry. */
  allows(ref: ImageRef): boolean;
  /** What the rules read about a base image, with the description it came from: the facts named in `wanted` (and the description's own). */
  imageFacts(ref: ImageRef, wanted: ReadonlySet<ImageFactName>): Promise<{ readonly description: ImageDescription; readonly facts: ImageFacts }>;
}

export interface RegistryServices {
  connect(options: RegistryConnectOptions): RegistryConnection;
}
