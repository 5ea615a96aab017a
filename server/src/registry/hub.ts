/**
 * Docker Hub's web API, for what the registry API does not say: the publisher's badge, the short
 * description, pulls and last update. Official images are known by their `library/` namespace;
 * other badges come from Hub's search (undocumented, so failures only cost the badge).
 */
import { DOCKER_HUB, type ImageRef } from '../language/imageRef';
import { INDEX_TYPES, MANIFEST_TYPES, MAX_PLATFORMS, type RegistryTransport } from './ociClient';
import { platformName, RegistryError, type ImageDescription, type PlatformImage } from './types';
import { byteCount, isDigest, isPlatformField, plainText, timestamp } from './validate';

export type HubBadge = 'official' | 'verified_publisher' | 'open_source' | 'none';

export interface HubRepository {
  readonly badge?: HubBadge;
  readonly description?: string;
  readonly pullCount?: number;
  readonly lastUpdated?: string;
}

const BADGES = new Set<HubBadge>(['official', 'verified_publisher', 'open_source', 'none']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A repository answer (`/v2/namespaces/{ns}/repositories/{name}`), every field checked. */
export function hubRepositoryFrom(info: unknown, badge: HubBadge | undefined): HubRepository {
  const json = isRecord(info) ? info : {};
  const description = plainText(json.description);
  const lastUpdated = timestamp(json.last_updated);
  return {
    ...(badge && BADGES.has(badge) ? { badge } : {}),
    ...(description ? { description } : {}),
    ...(typeof json.pull_count === 'number' && Number.isSafeInteger(json.pull_count) && json.pull_count >= 0 ? { pullCount: json.pull_count } : {}),
    ...(lastUpdated ? { lastUpdated } : {}),
  };
}

/** The badge of `path` in a search answer (`/api/search/v4`): `none` when it is listed without a known one. */
export function hubBadgeFrom(search: unknown, path: string): HubBadge | undefined {
  const results = isRecord(search) && Array.isArray(search.results) ? search.results : [];
  const hit = results.find((r): r is Record<string, unknown> => isRecord(r) && r.name === path);
  if (!hit) return undefined;
  return typeof hit.badge === 'string' && BADGES.has(hit.badge as HubBadge) ? (hit.badge as HubBadge) : 'none';
}

/** A tag answer (`…/tags/{tag}`) as an image description, or `undefined` when it names no usable image. */
export function hubTagFrom(answer: unknown, fetchedAt = Date.now()): ImageDescription | undefined {
  const json = isRecord(answer) ? answer : {};
  const images = Array.isArray(json.images) ? json.images : [];
  const seen = new Set<string>();
  const platforms: PlatformImage[] = [];
  const more = new Set<string>();
  for (const image of images) {
    if (!isRecord(image)) continue;
    const { os, architecture, variant, digest } = image;
    if (!isPlatformField(os) || !isPlatformField(architecture) || os === 'unknown' || !isDigest(digest) || seen.has(digest)) continue;
    seen.add(digest);
    const platform: PlatformImage = { os, architecture, ...(isPlatformField(variant) ? { variant } : {}), digest, compressedSize: byteCount(image.size) };
    if (platforms.length < MAX_PLATFORMS) platforms.push(platform);
    else if (more.size < 64) more.add(platformName(platform));
  }
  const digest = isDigest(json.digest) ? json.digest : undefined;
  const mediaType = typeof json.media_type === 'string' && [...INDEX_TYPES, ...MANIFEST_TYPES].includes(json.media_type) ? json.media_type : '';
  return digest && platforms.length ? { digest, mediaType, platforms, ...(more.size ? { morePlatforms: [...more] } : {}), fetchedAt, source: 'hub' } : undefined;
}

export class HubClient {
  private readonly cache = new Map<string, { at: number; value: HubRepository }>();

  constructor(
    private readonly transport: RegistryTransport,
    private readonly ttlMs: number,
    /** `https://hub.docker.com`; tests point it at recorded responses on loopback. */
    private readonly base: URL = new URL(process.env.DOCKWISE_HUB_API ?? 'https://hub.docker.com'),
  ) {}

  /** `undefined` for images that are not on Docker Hub. */
  async repository(ref: ImageRef): Promise<HubRepository | undefined> {
    if (ref.domain !== DOCKER_HUB) return undefined;
    const cached = this.cache.get(ref.path);
    if (cached && Date.now() - cached.at < this.ttlMs) return cached.value;
    const [namespace, ...rest] = ref.path.split('/');
    const name = rest.join('/');
    const info = await this.json(`/v2/namespaces/${namespace}/repositories/${name}`);
    const badge = namespace === 'library' ? 'official' : await this.badge(ref.path);
    const value = hubRepositoryFrom(info, badge);
    if (this.cache.size > 500) this.cache.clear();
    this.cache.set(ref.path, { at: Date.now(), value });
    return value;
  }

  /**
   * A tag's digest, platforms and sizes from Hub's web API, for when the registry itself cannot be
   * asked (Docker Hub's pull limits apply to the registry, not to this API).
   */
  async tag(ref: ImageRef): Promise<ImageDescription | undefined> {
    if (ref.domain !== DOCKER_HUB || !ref.tag) return undefined;
    const [namespace, ...rest] = ref.path.split('/');
    return hubTagFrom(await this.json(`/v2/namespaces/${namespace}/repositories/${rest.join('/')}/tags/${encodeURIComponent(ref.tag)}`));
  }

  private async badge(path: string): Promise<HubBadge | undefined> {
    try {
      return hubBadgeFrom(await this.json(`/api/search/v4?query=${encodeURIComponent(path)}&type=image&from=0&size=25`), path);
    } catch {
      return undefined;
    }
  }

  private async json(path: string): Promise<Record<string, unknown>> {
    const response = await this.transport.request(new URL(path, this.base), 'GET', 'application/json', 'hub');
    try {
      const value: unknown = JSON.parse(response.body.toString('utf8'));
      return isRecord(value) ? value : {};
    } catch {
      throw new RegistryError('invalid-response', `${response.url.host} sent a response that is not valid JSON.`);
    }
  }
}
