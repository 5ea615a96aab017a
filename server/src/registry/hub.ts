/**
 * Docker Hub's web API, for what the registry API does not say: the publisher's badge, the short
 * description, pulls and last update. Official images are known by their `library/` namespace;
 * other badges come from Hub's search (undocumented, so failures only cost the badge).
 */
import { DOCKER_HUB, type ImageRef } from '../engine/imageRef';
import type { Transport } from './transport';
import type { ImageDescription, PlatformImage } from './types';

export type HubBadge = 'official' | 'verified_publisher' | 'open_source' | 'none';

export interface HubRepository {
  readonly badge?: HubBadge;
  readonly description?: string;
  readonly pullCount?: number;
  readonly lastUpdated?: string;
}

const BADGES = new Set<HubBadge>(['official', 'verified_publisher', 'open_source', 'none']);

export class HubClient {
  private readonly cache = new Map<string, { at: number; value: HubRepository }>();

  constructor(
    private readonly transport: Transport,
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
    const value: HubRepository = {
      ...(badge ? { badge } : {}),
      ...(typeof info.description === 'string' && info.description ? { description: info.description } : {}),
      ...(typeof info.pull_count === 'number' ? { pullCount: info.pull_count } : {}),
      ...(typeof info.last_updated === 'string' ? { lastUpdated: info.last_updated } : {}),
    };
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
    const json = await this.json(`/v2/namespaces/${namespace}/repositories/${rest.join('/')}/tags/${encodeURIComponent(ref.tag)}`);
    const images = Array.isArray(json.images) ? (json.images as Record<string, unknown>[]) : [];
    const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    const platforms: PlatformImage[] = images.flatMap((image) => {
      const os = text(image.os);
      const architecture = text(image.architecture);
      const variant = text(image.variant);
      const digest = text(image.digest);
      if (!os || !architecture || os === 'unknown' || !digest) return [];
      return [{ os, architecture, ...(variant ? { variant } : {}), digest, compressedSize: typeof image.size === 'number' ? image.size : 0 }];
    });
    const digest = text(json.digest);
    return digest && platforms.length ? { digest, mediaType: text(json.media_type) ?? '', platforms, fetchedAt: Date.now(), source: 'hub' } : undefined;
  }

  private async badge(path: string): Promise<HubBadge | undefined> {
    try {
      const search = await this.json(`/api/search/v4?query=${encodeURIComponent(path)}&type=image&from=0&size=25`);
      const results = Array.isArray(search.results) ? (search.results as { name?: unknown; badge?: unknown }[]) : [];
      const hit = results.find((r) => r.name === path);
      if (!hit) return undefined;
      return typeof hit.badge === 'string' && BADGES.has(hit.badge as HubBadge) ? (hit.badge as HubBadge) : 'none';
    } catch {
      return undefined;
    }
  }

  private async json(path: string): Promise<Record<string, unknown>> {
    const response = await this.transport.request(new URL(path, this.base), 'GET', 'application/json', 'hub');
    const value: unknown = JSON.parse(response.body.toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  }
}
