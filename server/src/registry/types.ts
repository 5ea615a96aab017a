/** What the registry client tells the rest of dockwise about an image. */
import type { ImageRef } from '../language/imageRef';

export interface ImageConfigSummary {
  readonly created?: string;
  readonly user?: string;
  readonly entrypoint?: readonly string[];
  readonly cmd?: readonly string[];
  readonly exposedPorts: readonly string[];
  readonly workingDir?: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface PlatformImage {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
  /** The per-platform manifest digest. */
  readonly digest: string;
  /** Sum of the compressed layer sizes: what a pull downloads. */
  readonly compressedSize: number;
  readonly config?: ImageConfigSummary;
}

export interface ImageDescription {
  /** The digest the reference resolves to (an index for multi-platform images). */
  readonly digest: string;
  readonly mediaType: string;
  readonly platforms: readonly PlatformImage[];
  /**
   * Platforms an index lists beyond the ones read (at most MAX_PLATFORMS are read, the common ones
   * first): their names only, bounded, so a hover can still say what is published.
   */
  readonly morePlatforms?: readonly string[];
  /** When this was fetched from the registry (ms since epoch). */
  readonly fetchedAt: number;
  /** Served from cache because the registry could not be reached. */
  readonly stale?: boolean;
  /** Where it came from when not the registry: Docker Hub's web API (no image config then). */
  readonly source?: 'hub';
}

export type RegistryFailure = 'offline' | 'timeout' | 'unauthorized' | 'not-found' | 'rate-limited' | 'denied-by-policy' | 'invalid-response' | 'server-error';

/** A failure with a short sentence fit for a hover; never carries credentials. */
export class RegistryError extends Error {
  constructor(
    readonly kind: RegistryFailure,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** The registry as the server and the hovers see it; rules never call it. */
export interface RegistryClient {
  describe(ref: ImageRef): Promise<ImageDescription>;
  /** Tags of the repository, sorted, bounded. */
  tags(ref: ImageRef): Promise<readonly string[]>;
  /** The digest a tag points at now (a HEAD request). */
  digestOf(ref: ImageRef, tag: string): Promise<string>;
}

export const platformName = (p: Pick<PlatformImage, 'os' | 'architecture' | 'variant'>) => `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;

/** The platform whose facts stand for the image (user, config, size): linux/amd64, else the first. */
export const mainPlatform = (description: Pick<ImageDescription, 'platforms'>): PlatformImage | undefined =>
  description.platforms.find((p) => platformName(p) === 'linux/amd64') ?? description.platforms[0];
