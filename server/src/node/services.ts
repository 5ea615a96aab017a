/**
 * The language server's services on Node (the desktop and code-server): the disk around documents
 * and the registry client with the user's credentials, proxy and disk cache.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
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

/**
 * The registry client is loaded on the first connection, not at start: it brings Node's http, https,
 * tls and dns, which neither `initialize` nor the first lint needs (the session connects when it
 * first wants image facts).
 */
function lazyRegistry(): RegistryServices {
  let registry: RegistryServices | undefined;
  return { connect: (options) => (registry ??= (require('./registry') as typeof import('./registry')).nodeRegistry()).connect(options) };
}

/**
 * `DOCKWISE_FAULT_RULE=<id>` makes that rule throw, so the tests can watch the server survive a
 * broken rule end to end; nothing sets it otherwise.
 */
function withInjectedFault(rules: readonly Rule[], faulty: string | undefined): readonly Rule[] {
  if (!faulty) return rules;
  const broken = (): never => {
    throw new Error('injected fault');
  };
  // A stage rule is checked through checkStage (and checkFile), not check, when the engine reuses stages.
  return rules.map((rule) => (rule.meta.id === faulty ? { ...rule, check: broken, ...(rule.checkStage ? { checkStage: broken } : {}), ...(rule.checkFile ? { checkFile: broken } : {}) } : rule));
}

export function nodeServices(rules: readonly Rule[]): ServerServices {
  return { rules: withInjectedFault(rules, process.env.DOCKWISE_FAULT_RULE), disk: nodeDisk, registry: lazyRegistry() };
}
