/**
 * Image references as `docker pull` understands them, following the grammar of
 * distribution/reference: `[domain/]path[:tag][@algorithm:hex]`.
 * A name without a domain lives on Docker Hub, and a one-part Hub name is an
 * official image under `library/`, so `python` = `docker.io/library/python`.
 */
import { boundedMemo } from './memo';

export interface ImageRef {
  /** Registry host as written, or `docker.io` when none was written. */
  readonly domain: string;
  /** Repository path inside the registry, normalised (`library/python`). */
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
  /** The short form people write: `python:3.12`, `ghcr.io/org/app@sha256:…`. */
  readonly familiar: string;
  /** The fully qualified name without tag or digest: `docker.io/library/python`. */
  readonly canonicalName: string;
}

export const DOCKER_HUB = 'docker.io';

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?$/;
const HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** Where the pieces of a reference sit inside the text it was parsed from. */
export interface ImageRefSpans {
  readonly name: readonly [number, number];
  readonly tag?: readonly [number, number];
  readonly digest?: readonly [number, number];
}

export interface ParsedImageRef {
  readonly ref: ImageRef;
  readonly spans: ImageRefSpans;
}

/** Parses a reference; `undefined` when the text is not a valid one. */
export function parseImageRef(text: string): ParsedImageRef | undefined {
  return parsedRefs(text, () => readImageRef(text));
}

// Every FROM is read again on each keystroke; its text rarely changed.
const parsedRefs = boundedMemo<ParsedImageRef | undefined>(500);

function readImageRef(text: string): ParsedImageRef | undefined {
  const at = text.indexOf('@');
  const nameAndTag = at === -1 ? text : text.slice(0, at);
  const digest = at === -1 ? undefined : text.slice(at + 1);
  if (digest !== undefined && !DIGEST.test(digest)) return undefined;

  const lastColon = nameAndTag.lastIndexOf(':');
  const hasTag = lastColon > nameAndTag.lastIndexOf('/');
  const name = hasTag ? nameAndTag.slice(0, lastColon) : nameAndTag;
  const tag = hasTag ? nameAndTag.slice(lastColon + 1) : undefined;
  if (tag !== undefined && !TAG.test(tag)) return undefined;

  const parts = name.split('/');
  const first = parts[0] ?? '';
  const hasDomain = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase());
  if (hasDomain && !DOMAIN.test(first)) return undefined;
  const domainWritten = hasDomain ? first : undefined;
  const pathParts = hasDomain ? parts.slice(1) : parts;
  if (pathParts.length === 0 || !pathParts.every((p) => PATH_COMPONENT.test(p))) return undefined;

  const domain = domainWritten === undefined || HUB_ALIASES.has(domainWritten) ? DOCKER_HUB : domainWritten;
  const path = domain === DOCKER_HUB && pathParts.length === 1 ? `library/${pathParts[0]}` : pathParts.join('/');
  const canonicalName = `${domain}/${path}`;
  const shortName = domain === DOCKER_HUB ? path.replace(/^library\//, '') : canonicalName;
  const familiar = shortName + (tag !== undefined ? `:${tag}` : '') + (digest !== undefined ? `@${digest}` : '');

  const spans: ImageRefSpans = {
    name: [0, name.length],
    ...(tag !== undefined ? { tag: [lastColon + 1, nameAndTag.length] as const } : {}),
    ...(digest !== undefined ? { digest: [at + 1, text.length] as const } : {}),
  };
  const ref: ImageRef = {
    domain,
    path,
    familiar,
    canonicalName,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
  return { ref, spans };
}

/** Our own link to the image's page, for registries that have one. */
export function imagePageUrl(ref: ImageRef): string | undefined {
  if (ref.domain === DOCKER_HUB) {
    const [namespace, ...rest] = ref.path.split('/');
    return namespace === 'library' ? `https://hub.docker.com/_/${rest.join('/')}` : `https://hub.docker.com/r/${ref.path}`;
  }
  if (ref.domain === 'ghcr.io' || ref.domain === 'quay.io') return `https://${ref.domain}/${ref.path}`;
  return undefined;
}
