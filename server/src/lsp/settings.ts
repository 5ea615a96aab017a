/**
 * Settings per resource. Each document's `dockwise` and `http` sections are pulled together with
 * its scope (`http` carries the editor's proxy and certificates, which the registry follows), cached
 * per URI until the configuration changes, with the `.dockwise.yaml` above it under them. Registry
 * connections are made from those settings, one per distinct registry setting, so nothing of the
 * registry lives outside a document's settings.
 */
import type { DockwiseConfig } from '../config/dockwiseConfig';
import { withConfigFile } from '../config/merge';
import type { RegistryConnection, RegistryServices } from '../services';
import { readSettings, type Settings } from '../settings';

export interface ResourceSettings {
  readonly settings: Settings;
  /** The editor's `http` section as pulled for this resource. */
  readonly http: unknown;
}

export interface SettingsOptions {
  /** Pulls `[dockwise, http]` for a resource (`workspace/configuration`); undefined when the client cannot. */
  readonly pull?: (uri: string) => Promise<readonly unknown[]>;
  /** The `.dockwise.yaml` that governs a resource, if any. */
  readonly configFile: (uri: string) => DockwiseConfig | undefined;
  readonly maxEntries?: number;
}

export class SettingsCache {
  private readonly byUri = new Map<string, Promise<ResourceSettings>>();

  constructor(private readonly options: SettingsOptions) {}

  get(uri: string): Promise<ResourceSettings> {
    let found = this.byUri.get(uri);
    if (!found) {
      const pulled = this.options.pull ? this.options.pull(uri).catch(() => []) : Promise.resolve([]);
      // The editor's settings win over the `.dockwise.yaml` above the document.
      found = pulled.then(([dockwise, http]) => ({ settings: withConfigFile(readSettings(dockwise), this.options.configFile(uri)), http }));
      if (this.byUri.size >= (this.options.maxEntries ?? 5000)) this.byUri.delete(this.byUri.keys().next().value!);
      this.byUri.set(uri, found);
    }
    return found;
  }

  async settings(uri: string): Promise<Settings> {
    return (await this.get(uri)).settings;
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
  }

  clear(): void {
    this.byUri.clear();
  }
}

export interface ConnectionsOptions {
  readonly trusted: boolean;
  readonly storagePath?: string;
  readonly log: (line: string) => void;
  /** Told when a connection is made with the network off. */
  readonly onOff?: () => void;
}

/** Registry connections by the settings they follow; the disk cache under them is shared. */
export class RegistryConnections {
  private readonly byKey = new Map<string, RegistryConnection>();

  constructor(
    private readonly services: RegistryServices | undefined,
    private readonly options: ConnectionsOptions,
    /** Different registry settings at once are rare (they are window-level in VS Code): a few suffice. */
    private readonly max = 4,
  ) {}

  /** The connection for a resource's settings; undefined where there is no registry (the browser). */
  for({ settings, http }: ResourceSettings): RegistryConnection | undefined {
    if (!this.services) return undefined;
    const key = JSON.stringify([settings.registry, http ?? null]);
    let connection = this.byKey.get(key);
    if (!connection) {
      if (settings.registry.network === 'off') this.options.onOff?.();
      connection = this.services.connect({ settings: settings.registry, trusted: this.options.trusted, ...(this.options.storagePath ? { storagePath: this.options.storagePath } : {}), http, log: this.options.log });
      if (this.byKey.size >= this.max) this.byKey.delete(this.byKey.keys().next().value!);
      this.byKey.set(key, connection);
    }
    return connection;
  }

  /** Forgets what the registries said (the refresh command). */
  refresh(): void {
    for (const connection of this.byKey.values()) connection.registry.refresh();
  }

  /** Settings changed: connections are made again as documents ask. */
  clear(): void {
    this.byKey.clear();
  }

  /** What the caches have pending goes to disk (before the editor stops the server). */
  async flush(): Promise<void> {
    await Promise.all([...this.byKey.values()].map((c) => c.registry.flush()));
  }
}
