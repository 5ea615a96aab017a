/**
 * The registry client on Node, with the user's credentials, proxy and disk cache. `services.ts`
 * loads this module on the first connection, so its network modules are not loaded at start.
 */
import { join } from 'node:path';
import { connectRegistry } from '../registry/connect';
import { dockerCredentials } from '../registry/credentials';
import { imageFactsOf } from '../registry/imageFacts';
import { editorNetwork } from '../registry/network';
import { registryBase } from '../registry/ociClient';
import { addressPolicy, hostPolicy } from '../registry/policy';
import type { RegistryServices } from '../services';

export function nodeRegistry(): RegistryServices {
  // Docker's configuration is read once per server; trust decides per connection whether it is used.
  const credentials = dockerCredentials();
  return {
    connect({ settings, trusted, storagePath, http, log }) {
      const policy = { mode: settings.network, hosts: settings.hosts, trusted };
      const allowHost = hostPolicy(policy);
      const { registry, hub } = connectRegistry({
        allowHost,
        // In "all" mode, names are checked again by the addresses they resolve to, as connections are made.
        allowAddress: addressPolicy(policy),
        credentials: (host) => (trusted ? credentials(host) : Promise.resolve(undefined)),
        timeoutMs: settings.timeoutMs,
        ttlMs: settings.ttlMs,
        ...(storagePath ? { cacheDir: join(storagePath, 'registry') } : {}),
        log,
        // The editor's http.* settings over the environment's HTTP(S)_PROXY, NO_PROXY and NODE_EXTRA_CA_CERTS.
        network: editorNetwork(http),
      });
      return { registry, hub, allows: (ref) => allowHost(registryBase(ref.domain).host), imageFacts: (ref, wanted) => imageFactsOf(registry, ref, hub, wanted) };
    },
  };
}
