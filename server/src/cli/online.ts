/**
 * `--online`: registry facts about the base images, gathered before anything is linted (CI waits
 * for them, where the editor lints at once and again when they land), with the editor's registry
 * client, Docker credentials and cache. Each Dockerfile is asked about, and sees facts from, only
 * the registries its `.dockwise.yaml` allows (`registry:`; by default the public ones).
 */
import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import type { DockwiseConfig } from '../config/dockwiseConfig';
import type { ImageRef } from '../language/imageRef';
import { declined, type LintOptions } from '../engine/lint';
import { buildModel } from '../language/model';
import { connectRegistry } from '../registry/connect';
import { dockerCredentials } from '../registry/credentials';
import { imageFactsOf } from '../registry/imageFacts';
import { registryBase } from '../registry/ociClient';
import { addressPolicy, hostPolicy, type PolicyInput } from '../registry/policy';
import type { ImageFacts } from '../engine/rule';
import { readSettings } from '../settings';

/** The user's cache folder, as each OS names it, with a dockwise folder in it. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const home = homedir();
  if (platform() === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'dockwise', 'Cache');
  if (platform() === 'darwin') return join(home, 'Library', 'Caches', 'dockwise');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'dockwise');
}

/** The images a Dockerfile builds on, with the build arguments its compose or bake build passes. */
export function baseImages(text: string, options: LintOptions): ImageRef[] {
  if (declined(text)) return [];
  try {
    return buildModel(text, options.uri, options.buildArgs).stages.flatMap((s) => (s.base?.kind === 'image' ? [s.base.ref] : []));
  } catch {
    // The parser's failure is reported when the file is linted.
    return [];
  }
}

export class OnlineImages {
  private readonly facts = new Map<string, ImageFacts>();
  private readonly allowedFor = new Map<string, (host: string) => boolean>();
  private readonly policies = new Map<string, PolicyInput>();
  private readonly wanted = new Map<string, ImageRef>();

  constructor(
    /** Holds `registry/`, laid out as the editor's storage folder holds it. */
    private readonly cacheDir: string,
    private readonly onProblem: (message: string) => void,
  ) {}

  /** Registers a Dockerfile's base images under its configuration's registry policy. */
  want(dockerfilePath: string, refs: readonly ImageRef[], registry: DockwiseConfig['registry'] | undefined): void {
    // CI runs the repository's own pipeline: its configuration is trusted as the editor trusts a trusted workspace.
    const policy: PolicyInput = { mode: registry?.network ?? 'public', hosts: registry?.hosts ?? [], trusted: true };
    const allow = hostPolicy(policy);
    this.policies.set(JSON.stringify(policy), policy);
    this.allowedFor.set(dockerfilePath, allow);
    for (const ref of refs) if (allow(registryBase(ref.domain).host)) this.wanted.set(ref.familiar, ref);
  }

  /** Asks the registries; an image they cannot describe is reported and left without facts, as offline. */
  async gather(): Promise<void> {
    if (this.wanted.size === 0) return;
    const policies = [...this.policies.values()].map((p) => ({ host: hostPolicy(p), address: addressPolicy(p) }));
    const { timeoutMs, ttlMs } = readSettings(undefined).registry;
    const { registry, hub } = connectRegistry({
      // Token services and redirects go to other hosts: any Dockerfile's policy may allow them,
      // and a connection must pass the address check of a policy that allows its host.
      allowHost: (host) => policies.some((p) => p.host(host)),
      ...(policies.some((p) => p.address)
        ? { allowAddress: (host: string, address: string) => policies.some((p) => p.host(host) && (p.address?.(host, address) ?? true)) }
        : {}),
      credentials: dockerCredentials(),
      timeoutMs,
      ttlMs,
      cacheDir: join(this.cacheDir, 'registry'),
      log: () => undefined,
    });
    await Promise.all(
      [...this.wanted.values()].map(async (ref) => {
        try {
          this.facts.set(ref.familiar, (await imageFactsOf(registry, ref, hub)).facts);
        } catch (error) {
          this.onProblem(`--online: no registry data for ${ref.familiar}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
    );
  }

  /** For `RuleContext.images`: the facts a Dockerfile's policy lets it see. */
  readonly images = (ref: ImageRef, dockerfilePath: string): ImageFacts | undefined =>
    this.allowedFor.get(dockerfilePath)?.(registryBase(ref.domain).host) ? this.facts.get(ref.familiar) : undefined;
}
