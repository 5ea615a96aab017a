/**
 * The OCI distribution API, read-only: manifests (index → per-platform manifests → configs, three
 * sequential round trips at most), tags with Link pagination, and tag → digest by HEAD.
 * Every manifest and config body read is checked against its digest, and what it is (index or
 * manifest) is read from the body, never from Content-Type alone. An index is read for at most
 * MAX_PLATFORMS platforms (the preferred ones first), de-duplicated by digest, and child manifests
 * and configs are kept by digest, so a hostile index cannot fan out.
 *
 * The parsing is in pure functions (`parseManifest`, `indexPlatforms`, `parseConfig`,
 * `parseTagPage`) that the fuzzer drives directly.
 */
import { createHash } from 'node:crypto';
import { DOCKER_HUB, type ImageRef } from '../language/imageRef';
import type { Response } from './transport';
import { RegistryError, platformName, type ImageConfigSummary, type ImageDescription, type PlatformImage, type RegistryClient } from './types';
import { byteCount, isDigest, isPlatformField, isTag, MAX_TAGS, plainText, timestamp } from './validate';

export const INDEX_TYPES = ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json'];
export const MANIFEST_TYPES = ['application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json'];
/** All four, always: a partial Accept makes registries convert, and the digest then changes. */
const ACCEPT = [...INDEX_TYPES, ...MANIFEST_TYPES].join(', ');
export const MAX_TAG_PAGES = 20;
/** Platforms of an index read (manifest and config each); real images have about ten. */
export const MAX_PLATFORMS = 16;
/** Names of further platforms kept (no request is made for them). */
const MAX_MORE_PLATFORMS = 64;
/** Read first when an index has more than MAX_PLATFORMS platforms. */
export const PREFERRED_PLATFORMS: readonly string[] = ['linux/amd64', 'linux/arm64'];
/** Child manifests and configs kept by digest. */
const MAX_KEPT = 512;

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

/** The digest of a body in the algorithm of `like` (sha256 unless it is a sha512 digest). */
function digestOf(body: Buffer, like = 'sha256:'): string {
  const algorithm = like.startsWith('sha512:') ? 'sha512' : 'sha256';
  return `${algorithm}:${createHash(algorithm).update(body).digest('hex')}`;
}

interface Descriptor {
  readonly digest: string;
  readonly platform?: { readonly os: string; readonly architecture: string; readonly variant?: string };
}

/** What the transport offers the client (a fake in the fuzzer and some tests). */
export interface RegistryTransport {
  request(url: URL, method: 'GET' | 'HEAD', accept: string, scope: string): Promise<Response>;
}

export interface ParsedManifest {
  readonly digest: string;
  readonly mediaType: string;
  readonly kind: 'index' | 'manifest';
  readonly json: Record<string, unknown>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Whether a media type names an index or a manifest; `undefined` for anything else (Docker Hub's API may leave it empty). */
export const kindOfType = (type: string): 'index' | 'manifest' | undefined => (INDEX_TYPES.includes(type) ? 'index' : MANIFEST_TYPES.includes(type) ? 'manifest' : undefined);

/**
 * A manifest or index body: checked against `reference` when that is a digest, its kind read from
 * the body (`manifests` for an index, `config` and `layers` for a manifest), and refused when its
 * own `mediaType` or the Content-Type header says otherwise.
 */
export function parseManifest(body: Buffer, contentType: string | null, host: string, reference?: string): ParsedManifest {
  let digest: string;
  if (reference !== undefined && reference.includes(':')) {
    if (!isDigest(reference)) throw new RegistryError('invalid-response', 'dockwise can check sha256 and sha512 digests only.');
    digest = digestOf(body, reference);
    if (digest !== reference) throw new RegistryError('invalid-response', `${host} sent a manifest whose content does not match ${reference.slice(0, 19)}….`);
  } else {
    digest = digestOf(body);
  }
  const json = parseJson(body, host);
  const index = Array.isArray(json.manifests);
  const manifest = isRecord(json.config) && Array.isArray(json.layers);
  if (index === manifest) throw new RegistryError('invalid-response', `${host} sent something that is neither an image manifest nor an index.`);
  const kind = index ? 'index' : 'manifest';
  const declared = typeof json.mediaType === 'string' ? json.mediaType : undefined;
  if (declared !== undefined && kindOfType(declared) !== kind) throw new RegistryError('invalid-response', `${host} sent a manifest whose mediaType does not match its content.`);
  const header = contentType?.split(';')[0]!.trim().toLowerCase();
  const labelled = header ? kindOfType(header) : undefined;
  if (labelled && labelled !== kind) throw new RegistryError('invalid-response', `${host} labelled a manifest as something its content is not.`);
  const mediaType = declared ?? (labelled ? header! : kind === 'index' ? INDEX_TYPES[0]! : MANIFEST_TYPES[0]!);
  return { digest, mediaType, kind, json };
}

/**
 * The platforms of an index worth reading: valid descriptors with a valid platform (attestations,
 * `unknown/unknown`, left out), the first of each digest, the preferred platforms first, at most
 * MAX_PLATFORMS; and the names of the others, bounded.
 */
export function indexPlatforms(json: Record<string, unknown>, preferred: readonly string[] = PREFERRED_PLATFORMS): { read: Descriptor[]; more: string[] } {
  const entries = Array.isArray(json.manifests) ? json.manifests : [];
  const seen = new Set<string>();
  const valid: Descriptor[] = [];
  for (const entry of entries) {
    if (!isRecord(entry) || !isDigest(entry.digest) || seen.has(entry.digest) || !isRecord(entry.platform)) continue;
    const { os, architecture, variant } = entry.platform;
    if (!isPlatformField(os) || !isPlatformField(architecture) || (variant !== undefined && variant !== '' && !isPlatformField(variant))) continue;
    // Attestations are stored as pseudo-platforms `unknown/unknown`; they are not images to run.
    if (os === 'unknown' || architecture === 'unknown') continue;
    seen.add(entry.digest);
    valid.push({ digest: entry.digest, platform: { os, architecture, ...(typeof variant === 'string' && variant ? { variant } : {}) } });
  }
  const rank = (d: Descriptor) => {
    const name = platformName(d.platform!);
    const at = preferred.findIndex((p) => name === p || name.startsWith(`${p}/`));
    return at === -1 ? preferred.length : at;
  };
  const ordered = valid.map((d, i) => ({ d, i, r: rank(d) })).sort((a, b) => a.r - b.r || a.i - b.i);
  // The ones read keep the index's order; the names of the rest are listed after them.
  const chosen = new Set(ordered.slice(0, MAX_PLATFORMS).map((x) => x.i));
  const read = valid.filter((_, i) => chosen.has(i));
  const names = new Set(read.map((d) => platformName(d.platform!)));
  const more = [...new Set(ordered.slice(MAX_PLATFORMS).map((x) => platformName(x.d.platform!)))].filter((n) => !names.has(n)).slice(0, MAX_MORE_PLATFORMS);
  return { read, more };
}

export interface ParsedConfig {
  readonly os?: string;
  readonly architecture?: string;
  readonly variant?: string;
  readonly summary: ImageConfigSummary;
}

/** An image config, checked against its digest; every string bounded and stripped of control characters, dates kept only when they are dates. */
export function parseConfig(body: Buffer, digest: string, host: string): ParsedConfig {
  if (!isDigest(digest) || digestOf(body, digest) !== digest) throw new RegistryError('invalid-response', `${host} sent an image config that does not match its digest.`);
  const json = parseJson(body, host);
  const c = isRecord(json.config) ? json.config : {};
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string').slice(0, 64).map((s) => (s.length > 1024 ? `${s.slice(0, 1023)}…` : s)) : undefined);
  const text = (v: unknown, max = 1024) => plainText(v, max);
  const labels: Record<string, string> = {};
  if (isRecord(c.Labels)) {
    for (const [key, value] of Object.entries(c.Labels).slice(0, 256)) {
      const k = text(key, 256);
      const v = text(value);
      if (k && v) labels[k] = v;
    }
  }
  const created = timestamp(json.created);
  const user = text(c.User, 256);
  const workingDir = text(c.WorkingDir);
  const entrypoint = strings(c.Entrypoint);
  const cmd = strings(c.Cmd);
  const summary: ImageConfigSummary = {
    ...(created ? { created } : {}),
    ...(user ? { user } : {}),
    ...(entrypoint ? { entrypoint } : {}),
    ...(cmd ? { cmd } : {}),
    exposedPorts: isRecord(c.ExposedPorts) ? Object.keys(c.ExposedPorts).slice(0, 100).flatMap((p) => text(p, 64) ?? []).sort() : [],
    ...(workingDir ? { workingDir } : {}),
    labels,
  };
  return {
    ...(isPlatformField(json.os) ? { os: json.os } : {}),
    ...(isPlatformField(json.architecture) ? { architecture: json.architecture } : {}),
    ...(isPlatformField(json.variant) ? { variant: json.variant } : {}),
    summary,
  };
}

/** One page of a tag list: the tags that follow the OCI grammar, at most `room` of them. */
export function parseTagPage(body: Buffer, host: string, room = MAX_TAGS): string[] {
  const json = parseJson(body, host);
  const tags: string[] = [];
  if (!Array.isArray(json.tags)) return tags;
  for (const tag of json.tags) {
    if (tags.length >= room) break;
    if (isTag(tag)) tags.push(tag);
  }
  return tags;
}

/** The layer sizes of a manifest, summed. */
function compressedSizeOf(manifest: Record<string, unknown>): number {
  const layers = Array.isArray(manifest.layers) ? manifest.layers : [];
  let sum = 0;
  for (const layer of layers) sum += isRecord(layer) ? byteCount(layer.size) : 0;
  return Math.min(sum, Number.MAX_SAFE_INTEGER);
}

export interface OciClientOptions {
  /** Platforms read first from a large index (`os/arch`); linux/amd64 and linux/arm64 by default. */
  readonly preferredPlatforms?: readonly string[];
}

export class OciClient implements RegistryClient {
  /** Child manifests and configs by registry and digest, shared by every image that points at them. */
  private readonly kept = new Map<string, Promise<unknown>>();
  private readonly preferred: readonly string[];

  constructor(
    private readonly transport: RegistryTransport,
    options: OciClientOptions = {},
  ) {
    this.preferred = options.preferredPlatforms?.length ? [...options.preferredPlatforms, ...PREFERRED_PLATFORMS] : PREFERRED_PLATFORMS;
  }

  async describe(ref: ImageRef): Promise<ImageDescription> {
    // A pin dockwise cannot check is refused before anything is asked.
    if (ref.digest !== undefined && !isDigest(ref.digest)) throw new RegistryError('invalid-response', 'dockwise can check sha256 and sha512 digests only.');
    const reference = ref.digest ?? ref.tag ?? 'latest';
    const top = await this.manifest(ref, reference);
    if (top.kind === 'manifest') {
      return { digest: top.digest, mediaType: top.mediaType, platforms: [await this.platformOf(ref, top.digest, top.json)], fetchedAt: Date.now() };
    }
    const { read, more } = indexPlatforms(top.json, this.preferred);
    const platforms = await Promise.all(
      read.map(async (entry) => {
        const child = await this.keep(`${ref.domain} manifest ${entry.digest}`, () => this.manifest(ref, entry.digest));
        return this.platformOf(ref, entry.digest, child.json, entry.platform);
      }),
    );
    return { digest: top.digest, mediaType: top.mediaType, platforms, ...(more.length ? { morePlatforms: more } : {}), fetchedAt: Date.now() };
  }

  async digestOf(ref: ImageRef, tag: string): Promise<string> {
    if (!isTag(tag)) throw new RegistryError('invalid-response', 'not a tag.');
    const response = await this.transport.request(this.url(ref, `manifests/${tag}`), 'HEAD', ACCEPT, ref.path);
    const digest = response.headers.get('docker-content-digest')?.trim();
    // Old registries leave the header out, and only a sha256 digest compares with ours; then the body tells.
    return digest && isDigest(digest) && digest.startsWith('sha256:') ? digest : (await this.manifest(ref, tag)).digest;
  }

  async tags(ref: ImageRef): Promise<readonly string[]> {
    const tags = new Set<string>();
    let url: URL | undefined = this.url(ref, 'tags/list');
    url.searchParams.set('n', '1000');
    for (let page = 0; url && page < MAX_TAG_PAGES && tags.size < MAX_TAGS; page++) {
      const response = await this.transport.request(url, 'GET', 'application/json', ref.path);
      for (const tag of parseTagPage(response.body, response.url.host, MAX_TAGS - tags.size)) tags.add(tag);
      const next = nextLink(response.headers.get('link'), response.url);
      url = next && next.origin === response.url.origin ? next : undefined;
    }
    return [...tags].slice(0, MAX_TAGS).sort();
  }

  private url(ref: ImageRef, path: string): URL {
    return new URL(`/v2/${ref.path}/${path}`, registryBase(ref.domain));
  }

  private async manifest(ref: ImageRef, reference: string): Promise<ParsedManifest> {
    const response = await this.transport.request(this.url(ref, `manifests/${reference}`), 'GET', ACCEPT, ref.path);
    return parseManifest(response.body, response.headers.get('content-type'), response.url.host, reference);
  }

  /** One fetch per key, kept while it lasts (failures are forgotten), at most MAX_KEPT keys. */
  private keep<T>(key: string, fetch: () => Promise<T>): Promise<T> {
    const hit = this.kept.get(key) as Promise<T> | undefined;
    if (hit) return hit;
    if (this.kept.size >= MAX_KEPT) this.kept.delete(this.kept.keys().next().value!);
    const promise = fetch();
    this.kept.set(key, promise);
    promise.catch(() => this.kept.delete(key));
    return promise;
  }

  private async platformOf(ref: ImageRef, digest: string, manifest: Record<string, unknown>, platform?: Descriptor['platform']): Promise<PlatformImage> {
    const configDigest = isRecord(manifest.config) && isDigest(manifest.config.digest) ? manifest.config.digest : undefined;
    const config = configDigest ? await this.keep(`${ref.domain} config ${configDigest}`, () => this.config(ref, configDigest)) : undefined;
    const os = platform?.os ?? config?.os ?? 'unknown';
    const architecture = platform?.architecture ?? config?.architecture ?? 'unknown';
    const variant = platform?.variant ?? config?.variant;
    return { os, architecture, ...(variant ? { variant } : {}), digest, compressedSize: compressedSizeOf(manifest), ...(config ? { config: config.summary } : {}) };
  }

  private async config(ref: ImageRef, digest: string): Promise<ParsedConfig> {
    const response = await this.transport.request(this.url(ref, `blobs/${digest}`), 'GET', 'application/json, */*', ref.path);
    return parseConfig(response.body, digest, response.url.host);
  }
}

function parseJson(body: Buffer, host: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (isRecord(value)) return value;
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
