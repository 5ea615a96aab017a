/**
 * The registry client as the editor and `dockwise lint --online` both build it: HTTP under the
 * host policy with the user's credentials, the OCI client behind the memory and disk cache, and
 * Docker Hub's web API on the same transport.
 */
import type { Dispatcher } from 'undici';
import { CachingRegistry } from './cache';
import { HubClient } from './hub';
import { OciClient } from './ociClient';
import { Transport, type Credential } from './transport';

export interface RegistryConnection {
  readonly registry: CachingRegistry;
  readonly hub: HubClient;
}

export interface ConnectOptions {
  /** The network policy, asked for every host, redirects included. */
  readonly allowHost: (host: string) => boolean;
  /** In `"all"` mode, the policy for the addresses a name resolves to, checked as connections are made. */
  readonly allowAddress?: (host: string, address: string) => boolean;
  readonly credentials: (host: string) => Promise<Credential | undefined>;
  readonly timeoutMs: number;
  /** How long a tag's digest is trusted. */
  readonly ttlMs: number;
  /** Folder of the disk cache; memory only without one. */
  readonly cacheDir?: string;
  readonly log: (line: string) => void;
  /** A proxy; by default HTTP(S)_PROXY and NO_PROXY from the environment. */
  readonly dispatcher?: Dispatcher;
}

/** Manifests and configs are kilobytes; anything far larger is not one. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export function connectRegistry({ allowHost, allowAddress, credentials, timeoutMs, ttlMs, cacheDir, log, dispatcher }: ConnectOptions): RegistryConnection {
  const transport = new Transport({ timeoutMs, maxBytes: MAX_BODY_BYTES, allowHost, ...(allowAddress ? { allowAddress } : {}), credentials, log, ...(dispatcher ? { dispatcher } : {}) });
  return { registry: new CachingRegistry(new OciClient(transport), ttlMs, cacheDir), hub: new HubClient(transport, ttlMs) };
}
