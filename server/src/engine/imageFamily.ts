/**
 * What a base image's name says about it, before any registry is asked: whether it has a shell,
 * which C library it uses, whether it already runs as non-root. Facts kept as data.
 */
import type { ImageRef } from './imageRef';

/** Shell-less families and the tags that add a shell back. */
const SHELL_LESS: readonly { readonly match: (ref: ImageRef) => boolean; readonly shellTag: RegExp }[] = [
  { match: (r) => r.domain === 'gcr.io' && r.path.startsWith('distroless/'), shellTag: /(?:^|-)debug(?:-|$)/ },
  { match: (r) => r.domain === 'cgr.dev' && r.path.startsWith('chainguard/'), shellTag: /(?:^|-)dev(?:-|$)/ },
];

/** Debian's Python in each distroless Python image. */
const DISTROLESS_PYTHON: Readonly<Record<string, string>> = {
  'distroless/python3-debian11': '3.9',
  'distroless/python3-debian12': '3.11',
  'distroless/python3-debian13': '3.13',
};

export function isDistroless(ref: ImageRef): boolean {
  return SHELL_LESS.some((f) => f.match(ref));
}

/** `false` when the image is known to have no `/bin/sh`; `true` otherwise (most images have one). */
export function hasShell(ref: ImageRef): boolean {
  const family = SHELL_LESS.find((f) => f.match(ref));
  return !family || family.shellTag.test(ref.tag ?? '');
}

/** Images that are documented to run as an unprivileged user by default. */
export function runsAsNonRoot(ref: ImageRef): boolean {
  if (ref.domain === 'gcr.io' && ref.path.startsWith('distroless/')) return /nonroot/.test(ref.tag ?? '');
  return ref.domain === 'cgr.dev' && ref.path.startsWith('chainguard/') && !/(?:^|-)dev(?:-|$)/.test(ref.tag ?? '');
}

export function isAlpine(ref: ImageRef): boolean {
  return ref.path === 'library/alpine' || /(?:^|-)alpine/.test(ref.tag ?? '');
}

/** The Python minor version an image runs, when its name says so (`python:3.12-slim` → `3.12`). */
export function pythonVersion(ref: ImageRef): string | undefined {
  const distroless = DISTROLESS_PYTHON[ref.path];
  if (ref.domain === 'gcr.io' && distroless) return distroless;
  if (ref.path !== 'library/python') return undefined;
  return /^(\d+\.\d+)/.exec(ref.tag ?? '')?.[1];
}

/** How to run as non-root on a base: the command that creates the user, if one is needed, and the user. */
export interface NonRootUser {
  readonly create?: string;
  readonly user: string;
  /** What `COPY --chown=` should name. */
  readonly owner: string;
}

const DEBIAN_USER: NonRootUser = { create: 'groupadd --system app && useradd --system --gid app --no-log-init --create-home app', user: 'app', owner: 'app:app' };
const ALPINE_USER: NonRootUser = { create: 'addgroup -S app && adduser -S -D -G app app', user: 'app', owner: 'app:app' };
/** The uid distroless and Chainguard images use for their built-in unprivileged user. */
const NUMERIC_USER: NonRootUser = { user: '65532:65532', owner: '65532:65532' };

/** The user to add to a stage built on `ref` (`undefined`: scratch), by the image's family. */
export function nonRootUserFor(ref: ImageRef | undefined): NonRootUser {
  if (!ref || !hasShell(ref)) return ref && ref.domain === 'gcr.io' ? { user: 'nonroot', owner: '65532:65532' } : NUMERIC_USER;
  if (ref.path === 'library/node') return { user: 'node', owner: 'node:node' };
  return isAlpine(ref) || ref.path === 'library/busybox' ? ALPINE_USER : DEBIAN_USER;
}
