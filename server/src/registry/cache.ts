/**
 * Caching in front of a registry client. Content addressed by digest never changes and is kept
 * (memory and disk), by registry and digest: one registry's answer never stands in for another's,
 * and an entry is used only if it is the description of that digest with a known media type. A
 * tag's digest is trusted for a TTL and served stale, marked so, when the registry cannot be
 * reached. Concurrent requests for the same thing share one fetch.
 *
 * The disk side is bounded and off the main path: files are written at most once per SAVE_DELAY_MS,
 * asynchronously (temporary file, then rename), and once more synchronously when the process exits
 * with changes not written yet; tag lists and tag entries are pruned by count, size and age, old
 * descriptions by count. The folder is private to the user (0700, files 0600): tag lists of private
 * registries name private images.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageRef } from '../language/imageRef';
import { INDEX_TYPES, MANIFEST_TYPES } from './ociClient';
import { RegistryError, type ImageDescription, type RegistryClient } from './types';
import { isDigest, isTag, MAX_TAGS } from './validate';

interface TagEntry {
  readonly digest: string;
  readonly at: number;
}

interface TagList {
  readonly tags: readonly string[];
  readonly at: number;
}

/** Failures that say the registry is unreachable, when old data is better than none. */
const UNREACHABLE = new Set(['offline', 'timeout', 'rate-limited', 'server-error']);

export const SAVE_DELAY_MS = 2000;
/** Bounds of what is kept (memory and disk). */
export const LIMITS = {
  /** Tag → digest entries, newest kept. */
  tagEntries: 2000,
  /** Repositories with a tag list, newest kept. */
  tagLists: 100,
  /** Tags over all kept lists (about 20 bytes each on disk). */
  totalTags: 50_000,
  /** Anything learnt longer ago than this is dropped, stale or not. */
  maxAgeMs: 90 * 24 * 3_600_000,
  /** Descriptions in memory. */
  memoryDescriptions: 500,
  /** Description files on disk; the oldest go beyond this. */
  diskDescriptions: 1000,
  /** A cache file larger than this is not read. */
  fileBytes: 8 * 1024 * 1024,
};

const KNOWN_TYPES = new Set([...INDEX_TYPES, ...MANIFEST_TYPES]);
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/** Instances with changes not on disk yet, written synchronously if the process exits first. */
const unsaved = new Set<CachingRegistry>();
let exitHooked = false;

export interface CacheOptions {
  /** How long changes wait before they are written (they are written together). */
  readonly saveDelayMs?: number;
}

export class CachingRegistry implements RegistryClient {
  private readonly byDigest = new Map<string, ImageDescription>();
  private readonly byTag = new Map<string, TagEntry>();
  private readonly tagLists = new Map<string, TagList>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  /** Descriptions to write, by file name. */
  private readonly pendingDescriptions = new Map<string, string>();
  private tagsDirty = false;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  /** How many times the tag files were written (for tests: "at most once per interval"). */
  writes = 0;

  constructor(
    private readonly inner: RegistryClient,
    private readonly ttlMs: number,
    /** Folder for the disk cache (the extension's global storage); none keeps it in memory. */
    private readonly dir?: string,
    private readonly now: () => number = Date.now,
    private readonly options: CacheOptions = {},
  ) {
    if (dir) {
      this.load();
      void this.pruneDescriptions();
    }
  }

  describe(ref: ImageRef): Promise<ImageDescription> {
    return this.once(`describe ${ref.familiar}`, async () => {
      if (ref.digest) return this.cachedDigest(ref.domain, ref.digest) ?? this.store(ref, await this.inner.describe(ref));
      const key = `${ref.canonicalName}:${ref.tag ?? 'latest'}`;
      const tag = this.byTag.get(key);
      const known = tag && this.cachedDigest(ref.domain, tag.digest);
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
        const tags = (await this.inner.tags(ref)).filter(isTag).slice(0, MAX_TAGS);
        this.tagLists.delete(ref.canonicalName);
        this.tagLists.set(ref.canonicalName, { tags, at: this.now() });
        this.trimLists();
        this.changed();
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
      this.setTag(key, digest);
      this.changed();
      return digest;
    });
  }

  /** Forgets what tags point at (the "refresh registry data" command); digests stay valid. */
  refresh(): void {
    this.byTag.clear();
    this.tagLists.clear();
    this.changed();
  }

  /** Writes what is pending now (asynchronously); resolves when it is on disk. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.writing = this.writing.then(() => this.write()).catch(() => undefined);
    return this.writing;
  }

  private once<T>(key: string, run: () => Promise<T>): Promise<T> {
    const pending = this.inFlight.get(key) as Promise<T> | undefined;
    if (pending) return pending;
    const promise = run().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  private setTag(key: string, digest: string): void {
    this.byTag.delete(key);
    this.byTag.set(key, { digest, at: this.now() });
    // Maps keep insertion order and entries are re-inserted when learnt: the first is the oldest.
    while (this.byTag.size > LIMITS.tagEntries) this.byTag.delete(this.byTag.keys().next().value!);
  }

  /** The oldest tag lists go while there are too many, or too many tags in all. */
  private trimLists(): void {
    let total = 0;
    for (const list of this.tagLists.values()) total += list.tags.length;
    while (this.tagLists.size > 1 && (this.tagLists.size > LIMITS.tagLists || total > LIMITS.totalTags)) {
      const oldest = this.tagLists.keys().next().value!;
      total -= this.tagLists.get(oldest)!.tags.length;
      this.tagLists.delete(oldest);
    }
  }

  private static memoryKey(registry: string, digest: string): string {
    return `${registry} ${digest}`;
  }

  /** `descriptions/v2-<registry hash>-<algorithm>-<hex>.json`: the registry is part of the name. */
  private static fileName(registry: string, digest: string): string {
    return `v2-${createHash('sha256').update(registry).digest('hex').slice(0, 16)}-${digest.replace(':', '-')}.json`;
  }

  /** A stored description is used only if it is one, of this digest, from this registry. */
  private static valid(entry: unknown, registry: string, digest: string): entry is { registry: string; description: ImageDescription } {
    if (typeof entry !== 'object' || entry === null) return false;
    const { registry: from, description } = entry as { registry?: unknown; description?: Partial<ImageDescription> };
    return (
      from === registry &&
      typeof description === 'object' &&
      description !== null &&
      description.digest === digest &&
      typeof description.mediaType === 'string' &&
      KNOWN_TYPES.has(description.mediaType) &&
      Array.isArray(description.platforms) &&
      typeof description.fetchedAt === 'number' &&
      (!MANIFEST_TYPES.includes(description.mediaType) || description.platforms.length === 1)
    );
  }

  private cachedDigest(registry: string, digest: string): ImageDescription | undefined {
    const key = CachingRegistry.memoryKey(registry, digest);
    const hit = this.byDigest.get(key);
    if (hit || !this.dir || !isDigest(digest)) return hit;
    try {
      const path = join(this.dir, 'descriptions', CachingRegistry.fileName(registry, digest));
      if (statSync(path).size > LIMITS.fileBytes) return undefined;
      const entry: unknown = JSON.parse(readFileSync(path, 'utf8'));
      if (!CachingRegistry.valid(entry, registry, digest)) return undefined;
      this.remember(key, entry.description);
      return entry.description;
    } catch {
      return undefined;
    }
  }

  private remember(key: string, description: ImageDescription): void {
    this.byDigest.delete(key);
    if (this.byDigest.size >= LIMITS.memoryDescriptions) this.byDigest.delete(this.byDigest.keys().next().value!);
    this.byDigest.set(key, description);
  }

  private store(ref: ImageRef, description: ImageDescription): ImageDescription {
    // Only what the client checked is kept by digest: a digest it computed, a media type it knows.
    if (!isDigest(description.digest) || !KNOWN_TYPES.has(description.mediaType)) return description;
    this.remember(CachingRegistry.memoryKey(ref.domain, description.digest), description);
    if (!ref.digest) this.setTag(`${ref.canonicalName}:${ref.tag ?? 'latest'}`, description.digest);
    if (this.dir) {
      this.pendingDescriptions.set(CachingRegistry.fileName(ref.domain, description.digest), JSON.stringify({ registry: ref.domain, description }));
      this.changed();
    }
    return description;
  }

  private changed(): void {
    if (!this.dir) return;
    this.tagsDirty = true;
    unsaved.add(this);
    if (!exitHooked) {
      exitHooked = true;
      process.once('exit', () => {
        for (const cache of unsaved) cache.writeSync();
      });
    }
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.options.saveDelayMs ?? SAVE_DELAY_MS);
      this.timer.unref();
    }
  }

  /** The kept tag data, pruned: by age, then the newest entries and lists within the bounds. */
  private pruned(): { tags: Record<string, TagEntry>; lists: Record<string, TagList> } {
    const oldest = this.now() - LIMITS.maxAgeMs;
    const newestFirst = <T extends { at: number }>(map: Map<string, T>) => [...map].filter(([, v]) => v.at >= oldest).sort((a, b) => b[1].at - a[1].at);
    const tags = newestFirst(this.byTag).slice(0, LIMITS.tagEntries);
    const lists: [string, TagList][] = [];
    let total = 0;
    for (const [name, list] of newestFirst(this.tagLists).slice(0, LIMITS.tagLists)) {
      if (total + list.tags.length > LIMITS.totalTags) continue;
      total += list.tags.length;
      lists.push([name, list]);
    }
    // What is not written is forgotten in memory too, so memory and disk stay within the same bounds.
    const keptTags = new Set(tags.map(([k]) => k));
    for (const key of [...this.byTag.keys()]) if (!keptTags.has(key)) this.byTag.delete(key);
    const keptLists = new Set(lists.map(([k]) => k));
    for (const key of [...this.tagLists.keys()]) if (!keptLists.has(key)) this.tagLists.delete(key);
    return { tags: Object.fromEntries(tags), lists: Object.fromEntries(lists) };
  }

  private take(): { files: [string, string][]; descriptions: [string, string][] } {
    const descriptions = [...this.pendingDescriptions];
    this.pendingDescriptions.clear();
    const files: [string, string][] = [];
    if (this.tagsDirty) {
      this.tagsDirty = false;
      const { tags, lists } = this.pruned();
      files.push(['tags.json', JSON.stringify(tags)], ['tag-lists.json', JSON.stringify(lists)]);
      this.writes++;
    }
    unsaved.delete(this);
    return { files, descriptions };
  }

  private async write(): Promise<void> {
    const dir = this.dir;
    if (!dir) return;
    const { files, descriptions } = this.take();
    if (!files.length && !descriptions.length) return;
    try {
      await mkdir(join(dir, 'descriptions'), { recursive: true, mode: DIR_MODE });
      await Promise.all([chmod(dir, DIR_MODE), chmod(join(dir, 'descriptions'), DIR_MODE)]);
      for (const [name, text] of descriptions) await writeAtomically(join(dir, 'descriptions', name), text);
      for (const [name, text] of files) await writeAtomically(join(dir, name), text);
    } catch {
      // A read-only or full disk only costs the cache.
    }
  }

  /** At exit: what is still pending, written before the process goes. */
  private writeSync(): void {
    const dir = this.dir;
    if (!dir) return;
    const { files, descriptions } = this.take();
    try {
      mkdirSync(join(dir, 'descriptions'), { recursive: true, mode: DIR_MODE });
      chmodSync(dir, DIR_MODE);
      chmodSync(join(dir, 'descriptions'), DIR_MODE);
      const put = (path: string, text: string) => {
        const temporary = `${path}.${process.pid}.exit.tmp`;
        writeFileSync(temporary, text, { mode: FILE_MODE });
        renameSync(temporary, path);
      };
      for (const [name, text] of descriptions) put(join(dir, 'descriptions', name), text);
      for (const [name, text] of files) put(join(dir, name), text);
    } catch {
      // As above.
    }
  }

  /** Tag → digest and repository → tag list, both with the time they were learnt (`tags.json`, `tag-lists.json`). */
  private load(): void {
    const read = (file: string): Record<string, unknown> => {
      try {
        const path = join(this.dir!, file);
        if (statSync(path).size > LIMITS.fileBytes) return {};
        const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
        return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
      } catch {
        // No cache yet, or a damaged one: start empty.
        return {};
      }
    };
    const oldest = this.now() - LIMITS.maxAgeMs;
    for (const [key, entry] of Object.entries(read('tags.json'))) {
      const { digest, at } = (entry ?? {}) as Partial<TagEntry>;
      if (isDigest(digest) && typeof at === 'number' && at >= oldest) this.byTag.set(key, { digest, at });
    }
    for (const [key, entry] of Object.entries(read('tag-lists.json'))) {
      const { tags, at } = (entry ?? {}) as Partial<TagList>;
      if (Array.isArray(tags) && typeof at === 'number' && at >= oldest) this.tagLists.set(key, { tags: tags.filter(isTag).slice(0, MAX_TAGS), at });
    }
    this.pruned();
  }

  /** Off the main path: descriptions written by older versions (keyed by digest alone) go, and the oldest beyond the bound. */
  private async pruneDescriptions(): Promise<void> {
    const folder = join(this.dir!, 'descriptions');
    try {
      const names = (await readdir(folder)).filter((n) => n.endsWith('.json'));
      const legacy = names.filter((n) => !n.startsWith('v2-'));
      const current = names.filter((n) => n.startsWith('v2-'));
      const excess = current.length - LIMITS.diskDescriptions;
      const old = excess > 0 ? (await Promise.all(current.map(async (n) => ({ n, at: (await stat(join(folder, n))).mtimeMs })))).sort((a, b) => a.at - b.at).slice(0, excess).map((e) => e.n) : [];
      await Promise.all([...legacy, ...old].map((n) => unlink(join(folder, n)).catch(() => undefined)));
    } catch {
      // No folder yet.
    }
  }
}

let temporaries = 0;

async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${temporaries++}.tmp`;
  await writeFile(temporary, text, { mode: FILE_MODE });
  await rename(temporary, path);
}
