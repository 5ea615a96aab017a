/**
 * Registry facts on demand, for the rules (`RuleContext.images`) and the digest-age hints. A lint
 * says which image references the document used and which facts its enabled rules name in
 * `meta.facts`; only facts nobody has fetched yet are asked for, in the background (linting never
 * waits). When an answer lands, the change names the reference and exactly the documents whose
 * last lint used it, so nothing else is linted again.
 */
import type { ImageFactName, ImageFacts, Rule } from '../engine/rule';
import type { RuleLevel } from '../engine/lint';
import type { ImageRef } from '../language/imageRef';
import { RegistryError, type ImageDescription } from '../registry/types';

/** What the facts service asks: a registry connection under the host policy. */
export interface FactsSource {
  allows(ref: ImageRef): boolean;
  imageFacts(ref: ImageRef, wanted: ReadonlySet<ImageFactName>): Promise<{ readonly description: ImageDescription; readonly facts: ImageFacts }>;
}

export interface FactsChange {
  /** The reference as written, familiar form (`python:3.12`). */
  readonly ref: string;
  /** The documents whose last lint used it. */
  readonly uris: readonly string[];
}

export interface FactsOptions {
  /** After a failure the image is left alone this long, instead of asked again on every keystroke. */
  readonly retryMs?: number;
  /** How many images' facts are kept; the least recently used go first. */
  readonly maxImages?: number;
  /** Told of every answer and failure, for the registry's status. */
  readonly onOutcome?: (result: ImageDescription | RegistryError) => void;
  readonly now?: () => number;
}

/** Facts every answer carries, from the image's description (see registry/imageFacts.ts). */
const DESCRIPTION_FACTS: readonly ImageFactName[] = ['digest', 'platforms', 'manifestKind', 'user', 'created', 'compressedSize'];

interface Entry {
  facts?: ImageFacts;
  /** The facts fetched so far, and those on their way. */
  readonly has: Set<ImageFactName>;
  readonly pending: Set<ImageFactName>;
  failedAt?: number;
}

/** The facts the rules that are not turned off read, with `extra` for features (the digest-age hints read `created`). */
export function wantedFacts(rules: readonly Rule[], levels: Readonly<Record<string, RuleLevel>> | undefined, extra: readonly ImageFactName[] = []): ReadonlySet<ImageFactName> {
  return new Set([...rules.filter((r) => levels?.[r.meta.id] !== 'off').flatMap((r) => r.meta.facts ?? []), ...extra]);
}

export class FactsService {
  private readonly entries = new Map<string, Entry>();
  /** The references each document's last lint used. */
  private readonly usedBy = new Map<string, ReadonlySet<string>>();
  private readonly listeners: ((change: FactsChange) => void)[] = [];
  /** Answers to a request made before `reset` are dropped. */
  private generation = 0;
  private readonly retryMs: number;
  private readonly maxImages: number;
  private readonly now: () => number;

  constructor(private readonly options: FactsOptions = {}) {
    this.retryMs = options.retryMs ?? 60_000;
    this.maxImages = options.maxImages ?? 500;
    this.now = options.now ?? Date.now;
  }

  onDidChange(listener: (change: FactsChange) => void): void {
    this.listeners.push(listener);
  }

  /** What is known about a reference; undefined while nothing has landed. */
  get(ref: ImageRef): ImageFacts | undefined {
    return this.entries.get(ref.familiar)?.facts;
  }

  /**
   * A document was linted with these references: remember that, and fetch what `wanted` names (for
   * all of them, or per reference) and nobody has yet, from `source` (undefined: no registry).
   */
  request(uri: string, refs: readonly ImageRef[], wanted: ReadonlySet<ImageFactName> | ((ref: ImageRef) => ReadonlySet<ImageFactName>), source: FactsSource | undefined): void {
    this.usedBy.set(uri, new Set(refs.map((r) => r.familiar)));
    if (!source) return;
    for (const ref of refs) {
      const names = typeof wanted === 'function' ? wanted(ref) : wanted;
      if (names.size === 0) continue;
      const entry = this.entry(ref.familiar);
      const missing = new Set([...names].filter((name) => !entry.has.has(name) && !entry.pending.has(name)));
      if (missing.size === 0 || (entry.failedAt !== undefined && this.now() - entry.failedAt < this.retryMs) || !source.allows(ref)) continue;
      void this.fetch(ref, entry, missing, source);
    }
  }

  /** The document closed: its references no longer bring it a lint. */
  forget(uri: string): void {
    this.usedBy.delete(uri);
  }

  /** Everything is asked again (a refresh, another registry connection); which documents use what is kept. */
  reset(): void {
    this.generation++;
    this.entries.clear();
  }

  private entry(key: string): Entry {
    let entry = this.entries.get(key);
    if (entry) {
      // Most recently used last, so the bound drops the oldest.
      this.entries.delete(key);
    } else {
      entry = { has: new Set(), pending: new Set() };
      for (const oldest of this.entries.keys()) {
        if (this.entries.size < this.maxImages) break;
        this.entries.delete(oldest);
      }
    }
    this.entries.set(key, entry);
    return entry;
  }

  private async fetch(ref: ImageRef, entry: Entry, missing: ReadonlySet<ImageFactName>, source: FactsSource): Promise<void> {
    const generation = this.generation;
    for (const name of missing) entry.pending.add(name);
    try {
      const { description, facts } = await source.imageFacts(ref, missing);
      this.options.onOutcome?.(description);
      if (generation !== this.generation) return;
      entry.facts = { ...entry.facts, ...facts };
      for (const name of [...missing, ...DESCRIPTION_FACTS]) entry.has.add(name);
      delete entry.failedAt;
      const change = { ref: ref.familiar, uris: [...this.usedBy].filter(([, refs]) => refs.has(ref.familiar)).map(([uri]) => uri) };
      for (const listener of this.listeners) listener(change);
    } catch (error) {
      if (error instanceof RegistryError) this.options.onOutcome?.(error);
      if (generation === this.generation) entry.failedAt = this.now();
    } finally {
      for (const name of missing) entry.pending.delete(name);
    }
  }
}
