/**
 * The language server's services on Node (the desktop and code-server): the disk around documents
 * and the registry client with the user's credentials, proxy and disk cache.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { connectRegistry } from '../registry/connect';
import { dockerCredentials } from '../registry/credentials';
import { imageFactsOf } from '../registry/imageFacts';
import { editorNetwork } from '../registry/network';
import { registryBase } from '../registry/ociClient';
import { addressPolicy, hostPolicy } from '../registry/policy';
import type { Rule } from '../engine/rule';
import type { DiskServices, RegistryServices, ServerServices } from '../services';
import { BuildContextReader } from '../workspace/buildContext';
import { ConfigFiles } from '../workspace/configFiles';
import { BUILD_DEFINITION_GLOBS, findBuildDefinitions, isBuildDefinitionFile } from '../workspace/definitions';
import { readCapped } from '../workspace/readCapped';
import { DOCKERFILE_GLOB, findWorkspaceDockerfiles } from '../workspace/scan';

export const nodeDisk: DiskServices = {
  pathOf: (uri) => (uri.startsWith('file:') ? fileURLToPath(uri) : undefined),
  uriOf: (path) => pathToFileURL(path).href,
  dockerfileGlob: DOCKERFILE_GLOB,
  buildDefinitionGlobs: BUILD_DEFINITION_GLOBS,
  isBuildDefinitionFile,
  buildContexts: (roots) => new BuildContextReader({ roots }),
  configFiles: () => new ConfigFiles(),
  findBuildDefinitions,
  findDockerfiles: findWorkspaceDockerfiles,
  readDockerfile: (path, within) => readCapped(path, 'dockerfile', { within }),
};

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

/**
 * `DOCKWISE_FAULT_RULE=<id>` makes that rule throw, so the tests can watch the server survive a
 * broken rule end to end; nothing sets it otherwise.
 */
function withInjectedFault(rules: readonly Rule[], faulty: string | undefined): readonly Rule[] {
  if (!faulty) return rules;
  return rules.map((rule) => (rule.meta.id === faulty ? { ...rule, check: () => { throw new Error('injected fault'); } } : rule));
}

export function nodeServices(rules: readonly Rule[]): ServerServices {
  return { rules: withInjectedFault(rules, process.env.DOCKWISE_FAULT_RULE), disk: nodeDisk, registry: nodeRegistry() };
}
