/**
 * What the compose, bake and devcontainer readers report: the builds that name a Dockerfile, and
 * the ones they saw but could not read without guessing, with why.
 */
import { resolve } from 'node:path';

export interface BuildDefinition {
  /** `compose service api`, `bake target api` or `devcontainer .devcontainer/devcontainer.json`, for people. */
  readonly origin: string;
  /** The compose, bake or devcontainer file it comes from. */
  readonly file: string;
  /** Absolute build context folder. */
  readonly context: string;
  /** Absolute path of the Dockerfile it builds. */
  readonly dockerfile: string;
  readonly args: Readonly<Record<string, string>>;
  readonly target?: string;
  /**
   * Named contexts (compose `additional_contexts`, bake `contexts`) by name: an absolute folder for
   * local ones, else as written (`docker-image://…`, `target:…`, `service:…`, URLs). Never the main context.
   */
  readonly namedContexts?: Readonly<Record<string, string>>;
}

/** A build that was seen but left out (remote context, inline Dockerfile, unresolved value, parse error…). */
export interface Skipped {
  readonly file: string;
  readonly reason: string;
}

export interface Found {
  readonly definitions: BuildDefinition[];
  readonly skipped: Skipped[];
}

/**
 * Whether a context is a path, not a git or HTTP URL (`https://…`, `git@host:repo`, `github.com/org/repo`)
 * nor a reference to an image, a target or a service (`docker-image://…`, `target:base`, `service:db`);
 * a drive letter is one letter, so `C:\src` is a path.
 */
export const isLocalPath = (path: string): boolean => !/^[a-z][a-z0-9+.-]*:\/\/|^git@|^github\.com\/|^[a-z][a-z-]+:/i.test(path);

/** A named context's value: an absolute folder for a local path, else as written. */
export const namedContext = (value: string, base: string): string => (isLocalPath(value) ? resolve(base, value) : value);
