/**
 * The OCI distribution API, read-only: manifests (index → per-platform manifests → configs, three
 * sequential round trips at most), tags with Link pagination, and tag → digest by HEAD.
 * Every manifest and config body read is checked against its digest.
 */
import { createHash } from 'node:crypto';
import { DOCKER_HUB, type ImageRef } from '../engine/imageRef';
import type { Transport } from './transport';
import { RegistryError, type ImageConfigSummary, type ImageDescription, type PlatformImage, type RegistryClient } from './types';

const INDEX_TYPES = ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json'];
const MANIFEST_TYPES = ['application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json'];
/** All four, always: a partial Accept makes registries convert, and the digest then changes. */
const ACCEPT = [...INDEX_TYPES, ...MANIFEST_TYPES].join(', ');
const MAX_TAG_PAGES = 20;

const LOOPBACK = /^(?:localhost|127\.\d+\.\d+\.\d+|\[::1\])(?::\d+)?$/;

/**
 * Docker Hub's registry endpoint. DOCKWISE_DOCKER_HUB_REGISTRY points it elsewhere (a mirror, or a
 * loopback registry in tests) without changing any other code path.
 */
const DOCKER_HUB_REGISTRY = process.env.DOCKWISE_DOCKER_HUB_REGISTRY ?? 'https://registry-1.docker.io';

/** The API endpoint of a registry: Docker Hub's lives elsewhere; loopback registries speak plain HTTP. */
export function registryBase(domain: string): URL {
  if (domain === DOCKER_HUB) return new URL(DOCKER_HUB_REGISTRY);
  return new URL(`${LOOPBACK.test(domain) ? 'http' : 'https'}://${domain}`);
}

const digestOf = (body: Buffer) => `sha256:${createHash('sha256').update(body).digest('hex')}`;

interface Descriptor {
  readonly mediaType?: string;
  readonly digest: string;
  readonly size?: number;
  readonly platform?: { os?: string; architecture?: string; variant?: string };
}

export class OciClient implements RegistryClient {
  constructor(private readonly transport: Transport) {}

  async describe(ref: ImageRef): Promise<ImageDescription> {
    const reference = ref.digest ?? ref.tag ?? 'latest';
    const top = await this.manifest(ref, reference);
    const platforms = INDEX_TYPES.includes(top.mediaType)
      ? await this.fromIndex(ref, (top.json.manifests ?? []) as Descriptor[])
      : [await this.platformOf(ref, top.digest, top.json)];
    return { digest: top.digest, mediaType: top.mediaType, platforms, fetchedAt: Date.now() };
  }

  async digestOf(ref: ImageRef, tag: string): Promise<string> {
    const response = await this.transport.request(this.url(ref, `manifests/${tag}`), 'HEAD', ACCEPT, ref.path);
    const digest = response.headers.get('docker-content-digest');
    // Old registries leave the header out; then the body tells.
    return digest ?? (await this.manifest(ref, tag)).digest;
  }

  async tags(ref: ImageRef): Promise<readonly string[]> {
    const tags: string[] = [];
    let url: URL | undefined = this.url(ref, 'tags/list');
    url.searchParams.set('n', '1000');
    for (let page = 0; url && page < MAX_TAG_PAGES; page++) {
      const response = await this.transport.request(url, 'GET', 'application/json', ref.path);
      const json = parseJson(response.body, url.host) as { tags?: unknown };
      if (Array.isArray(json.tags)) tags.push(...json.tags.filter((t): t is string => typeof t === 'string'));
      const next = nextLink(response.headers.get('link'), response.url);
      url = next && next.origin === response.url.origin ? next : undefined;
    }
    return [...new Set(tags)].sort();
  }

  private url(ref: ImageRef, path: string): URL {
    return new URL(`/v2/${ref.path}/${path}`, registryBase(ref.domain));
  }

  private async manifest(ref: ImageRef, reference: string): Promise<{ digest: string; mediaType: string; json: Record<string, unknown> }> {
    const response = await this.transport.request(this.url(ref, `manifests/${reference}`), 'GET', ACCEPT, ref.path);
    const digest = digestOf(response.body);
    if (reference.startsWith('sha256:') && reference !== digest) {
      throw new RegistryError('invalid-response', `${response.url.host} sent a manifest whose content does not match ${reference.slice(0, 19)}….`);
    }
    const json = parseJson(response.body, response.url.host);
    const mediaType = (typeof json.mediaType === 'string' ? json.mediaType : response.headers.get('content-type')?.split(';')[0]) ?? '';
    return { digest, mediaType, json };
  }

  private async fromIndex(ref: ImageRef, entries: readonly Descriptor[]): Promise<PlatformImage[]> {
    // Attestations are stored as pseudo-platforms `unknown/unknown`; they are not images to run.
    const images = entries.filter((e) => e.platform && e.platform.os !== 'unknown' && e.platform.architecture !== 'unknown');
    return Promise.all(
      images.map(async (entry) => {
        const child = await this.manifest(ref, entry.digest);
        return this.platformOf(ref, entry.digest, child.json, entry.platform);
      }),
    );
  }

  private async platformOf(ref: ImageRef, digest: string, manifest: Record<string, unknown>, platform?: Descriptor['platform']): Promise<PlatformImage> {
    const layers = (Array.isArray(manifest.layers) ? manifest.layers : []) as Descriptor[];
    const compressedSize = layers.reduce((sum, l) => sum + (typeof l.size === 'number' ? l.size : 0), 0);
    const configDescriptor = manifest.config as Descriptor | undefined;
    const config = configDescriptor?.digest ? await this.config(ref, configDescriptor.digest) : undefined;
    const os = platform?.os ?? config?.os ?? 'unknown';
    const architecture = platform?.architecture ?? config?.architecture ?? 'unknown';
    const variant = platform?.variant ?? config?.variant;
    return { os, architecture, ...(variant ? { variant } : {}), digest, compressedSize, ...(config ? { config: config.summary } : {}) };
  }

  private async config(ref: ImageRef, digest: string): Promise<{ os?: string; architecture?: string; variant?: string; summary: ImageConfigSummary }> {
    const response = await this.transport.request(this.url(ref, `blobs/${digest}`), 'GET', 'application/json, */*', ref.path);
    if (digestOf(response.body) !== digest) throw new RegistryError('invalid-response', `${response.url.host} sent an image config that does not match its digest.`);
    const json = parseJson(response.body, response.url.host);
    const c = (json.config ?? {}) as Record<string, unknown>;
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined);
    const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
    const labels = Object.fromEntries(Object.entries((c.Labels ?? {}) as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
    const summary: ImageConfigSummary = {
      ...(text(json.created) ? { created: text(json.created)! } : {}),
      ...(text(c.User) ? { user: text(c.User)! } : {}),
      ...(strings(c.Entrypoint) ? { entrypoint: strings(c.Entrypoint)! } : {}),
      ...(strings(c.Cmd) ? { cmd: strings(c.Cmd)! } : {}),
      exposedPorts: Object.keys((c.ExposedPorts ?? {}) as Record<string, unknown>).sort(),
      ...(text(c.WorkingDir) ? { workingDir: text(c.WorkingDir)! } : {}),
      labels,
    };
    return { ...(text(json.os) ? { os: text(json.os)! } : {}), ...(text(json.architecture) ? { architecture: text(json.architecture)! } : {}), ...(text(json.variant) ? { variant: text(json.variant)! } : {}), summary };
  }
}

function parseJson(body: Buffer, host: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Reported below.
  }
  throw new RegistryError('invalid-response', `${host} sent a response that is not valid JSON.`);
}

/** The `rel="next"` target of a Link header, resolved against the request URL. */
function nextLink(header: string | null, base: URL): URL | undefined {
  const match = /<([^>]+)>\s*;[^,]*rel="?next"?/i.exec(header ?? '');
  if (!match) return undefined;
  try {
    return new URL(match[1]!, base);
  } catch {
    return undefined;
  }
}
