/**
 * The most specific tag that points at the same digest as a floating one: `python:3.12-slim` →
 * `python:3.12.7-slim`. Candidates keep the variant suffix and extend the version written; the
 * longest, newest versions are checked first, with a bounded number of HEAD requests.
 */
import type { ImageRef } from '../language/imageRef';
import type { RegistryClient } from './types';

const VERSIONED = /^(\d+(?:\.\d+)*)(.*)$/;
const MAX_CHECKS = 12;

/** The version part written (`3.12`, none for `latest`) and the variant suffix (`-slim`). */
export function splitTag(tag: string): { version?: string; suffix: string } {
  const match = VERSIONED.exec(tag);
  if (match) return { version: match[1]!, suffix: match[2]! };
  if (tag === 'latest') return { suffix: '' };
  // A channel such as `lts-alpine` or a bare variant such as `alpine`.
  const dash = tag.indexOf('-');
  return { suffix: dash === -1 ? (/^(?:lts|current|stable|mainline)$/.test(tag) ? '' : `-${tag}`) : tag.slice(dash) };
}

export function pinCandidates(tag: string, tags: readonly string[]): string[] {
  const { version, suffix } = splitTag(tag);
  const parts = (v: string) => v.split('.').map(Number);
  return tags
    .flatMap((t) => {
      const match = VERSIONED.exec(t);
      if (!match || match[2] !== suffix || match[1] === version) return [];
      if (version && !match[1]!.startsWith(`${version}.`)) return [];
      return [{ tag: t, version: parts(match[1]!) }];
    })
    .sort((a, b) => b.version.length - a.version.length || compareVersions(b.version, a.version))
    .map((c) => c.tag);
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export async function mostSpecificTag(client: RegistryClient, ref: ImageRef, digest: string): Promise<string | undefined> {
  const candidates = pinCandidates(ref.tag ?? 'latest', await client.tags(ref)).slice(0, MAX_CHECKS);
  for (const candidate of candidates) {
    if ((await client.digestOf(ref, candidate)) === digest) return candidate;
  }
  return undefined;
}

/**
 * Newer releases in the same variant family: the next patch of the same minor line and the newest
 * of each later minor (`3.12.7-slim` → `3.12.8-slim`, `3.13.1-slim`), newest last, at most `limit`.
 */
export function newerTags(tag: string, tags: readonly string[], limit = 4): string[] {
  const { version, suffix } = splitTag(tag);
  if (!version) return [];
  const current = version.split('.').map(Number);
  const depth = current.length;
  const newestPerLine = new Map<string, { tag: string; version: number[] }>();
  for (const t of tags) {
    const match = VERSIONED.exec(t);
    if (!match || match[2] !== suffix) continue;
    const v = match[1]!.split('.').map(Number);
    // Same precision as written (3.12.7 → x.y.z), and newer.
    if (v.length !== depth || compareVersions(v, current) <= 0 || v[0] !== current[0]) continue;
    const line = v.slice(0, Math.max(1, depth - 1)).join('.');
    const best = newestPerLine.get(line);
    if (!best || compareVersions(v, best.version) > 0) newestPerLine.set(line, { tag: t, version: v });
  }
  return [...newestPerLine.values()].sort((a, b) => compareVersions(a.version, b.version)).slice(-limit).map((e) => e.tag);
}

/** Variants worth comparing for size: the same version as `-slim` and `-alpine`, when published. */
export function variantCandidates(tag: string, tags: readonly string[]): string[] {
  const { version, suffix } = splitTag(tag);
  if (!version || suffix !== '') return [];
  return ['-slim', '-alpine'].map((v) => `${version}${v}`).filter((t) => tags.includes(t));
}
