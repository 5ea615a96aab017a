/**
 * Caching in front of a registry client. Content addressed by digest never changes and is kept
 * (memory and disk); a tag's digest is trusted for a TTL and served stale, marked so, when the
 * registry cannot be reached. Concurrent requests for the same thing share one fetch.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageRef } from '../engine/imageRef';
import { RegistryError, type ImageDescription, type RegistryClient } from './types';

interface TagEntry {
  readonly digest: string;
  readonly at: number;
}

/** Failures that say the registry is unreachable, when old data is better than none. */
const UNREACHABLE = new Set(['offline', 'timeout', 'rate-limited', 'server-error']);

export class CachingRegistry implements RegistryClient {
  private readonly byDigest = new Map<string, ImageDescription>();
  private readonly byTag = new Map<string, TagEntry>();
  private readonly tagLists = new Map<string, { tags: readonly string[]; at: number }>();
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly inner: RegistryClient,
    private readonly ttlMs: number,
    /** Folder for the disk cache (the extension's global storage); none keeps it in memory. */
    private readonly dir?: string,
    private readonly now: () => number = Date.now,
  ) {
    if (dir) this.load();
  }

  describe(ref: ImageRef): Promise<ImageDescription> {
    return this.once(`describe ${ref.familiar}`, async () => {
      if (ref.digest) return this.cachedDigest(ref.digest) ?? this.store(ref, await this.inner.describe(ref));
      const key = `${ref.canonicalName}:${ref.tag ?? 'latest'}`;
      const tag = this.byTag.get(key);
      const known = tag && this.cachedDigest(tag.digest);
      if (tag && known && this.now() - tag.at < this.ttlMs) return known;
      try {
        return this.store(ref, await this.inner.describe(ref));
      } catch (error) {
        if (known && error instanceof RegistryError && UNREACHABLE.has(error.kind)) return { ...known, stale: true, fetchedAt: tag.at };
        throw error;
      }
    });
  }

  tags(ref: ImageRef): Promise<readonly string[]> {
    return this.once(`tags ${ref.canonicalName}`, async () => {
      const cached = this.tagLists.get(ref.canonicalName);
      if (cached && this.now() - cached.at < this.ttlMs) return cached.tags;
      try {
        const tags = await this.inner.tags(ref);
        this.tagLists.set(ref.canonicalName, { tags, at: this.now() });
        this.save();
        return tags;
      } catch (error) {
        if (cached && error instanceof RegistryError && UNREACHABLE.has(error.kind)) return cached.tags;
        throw error;
      }
    });
  }

  digestOf(ref: ImageRef, tag: string): Promise<string> {
    return this.once(`digest ${ref.canonicalName}:${tag}`, async () => {
      const key = `${ref.canonicalName}:${tag}`;
      const cached = this.byTag.get(key);
      if (cached && this.now() - cached.at < this.ttlMs) return cached.digest;
      const digest = await this.inner.digestOf(ref, tag);
      this.byTag.set(key, { digest, at: this.now() });
      this.save();
      return digest;
    });
  }

  /** Forgets what tags point at (the "refresh registry data" command); digests stay valid. */
  refresh(): void {
    this.byTag.clear();
    this.tagLists.clear();
    this.save();
  }

  private once<T>(key: string, run: () => Promise<T>): Promise<T> {
    const pending = this.inFlight.get(key) as Promise<T> | undefined;
    if (pending) return pending;
    const promise = run().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  private cachedDigest(digest: string): ImageDescription | undefined {
    const hit = this.byDigest.get(digest);
    if (hit || !this.dir) return hit;
    try {
      const loaded = JSON.parse(readFileSync(join(this.dir, 'descriptions', `${digest.replace(':', '-')}.json`), 'utf8')) as ImageDescription;
      this.byDigest.set(digest, loaded);
      return loaded;
    } catch {
      return undefined;
    }
  }

  private store(ref: ImageRef, description: ImageDescription): ImageDescription {
    this.byDigest.set(description.digest, description);
    if (!ref.digest) this.byTag.set(`${ref.canonicalName}:${ref.tag ?? 'latest'}`, { digest: description.digest, at: this.now() });
    if (this.dir) {
      try {
        mkdirSync(join(this.dir, 'descriptions'), { recursive: true });
        writeFileSync(join(this.dir, 'descriptions', `${description.digest.replace(':', '-')}.json`), JSON.stringify(description));
      } catch {
        // A read-only or full disk only costs the cache.
      }
      this.save();
    }
    return description;
  }

  /** Tag → digest and repository → tag list, both with the time they were learnt (`tags.json`, `tag-lists.json`). */
  private load(): void {
    const read = <T>(file: string, into: Map<string, T>) => {
      try {
        for (const [key, entry] of Object.entries(JSON.parse(readFileSync(join(this.dir!, file), 'utf8')) as Record<string, T>)) into.set(key, entry);
      } catch {
        // No cache yet, or a damaged one: start empty.
      }
    };
    read('tags.json', this.byTag);
    read('tag-lists.json', this.tagLists);
  }

  private save(): void {
    if (!this.dir) return;
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(join(this.dir, 'tags.json'), JSON.stringify(Object.fromEntries(this.byTag)));
      writeFileSync(join(this.dir, 'tag-lists.json'), JSON.stringify(Object.fromEntries(this.tagLists)));
    } catch {
      // As above: the cache is an optimisation.
    }
  }
}
