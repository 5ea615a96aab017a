/**
 * The registry client as the editor and `dockwise lint --online` both build it: HTTP under the
 * host policy with the user's credentials, the OCI client behind the memory and disk cache, and
 * Docker Hub's web API on the same transport.
 */
import { CachingRegistry } from './cache';
import { HubClient } from './hub';
import type { NetworkSettings } from './network';
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
  /** Proxy, certificates and strict SSL (the editor's `http.*` settings); by default the environment's. */
  readonly network?: NetworkSettings;
}

/** Manifests and configs are kilobytes; anything far larger is not one. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export function connectRegistry({ allowHost, allowAddress, credentials, timeoutMs, ttlMs, cacheDir, log, network }: ConnectOptions): RegistryConnection {
  const transport = new Transport({ timeoutMs, maxBytes: MAX_BODY_BYTES, allowHost, ...(allowAddress ? { allowAddress } : {}), credentials, log, ...(network ? { network } : {}) });
  return { registry: new CachingRegistry(new OciClient(transport), ttlMs, cacheDir), hub: new HubClient(transport, ttlMs) };
}
