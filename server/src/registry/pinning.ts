/**
 * The most specific tag that points at the same digest as a floating one: `python:3.12-slim` →
 * `python:3.12.7-slim`. Candidates keep the variant suffix and extend the version written; the
 * longest, newest versions are checked first, with a bounded number of HEAD requests.
 */
import type { ImageRef } from '../engine/imageRef';
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
