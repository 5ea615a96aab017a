/**
 * Which `.dockwise.yaml` governs a Dockerfile: the nearest one in its folder or above, up to the
 * file-system root, as `.hadolint.yaml` is found (or one file for all, `--config`). Each folder is
 * looked at once until `forget`. Also answers whether the file's `ignorePaths` leave a Dockerfile out.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { CONFIG_FILE_NAMES, parseDockwiseConfig, type DockwiseConfig } from '../config/dockwiseConfig';
import { readCapped } from './readCapped';

export interface FoundConfig {
  readonly path: string;
  readonly config: DockwiseConfig;
}

/** A file that could not be used, with one line saying where and why: `/repo/.dockwise.yaml:3: rules.x: unknown rule id`. */
export interface BrokenConfig {
  readonly path: string;
  readonly problem: string;
}

export type ConfigLookup = FoundConfig | BrokenConfig | undefined;

export class ConfigFiles {
  private readonly byDir = new Map<string, ConfigLookup>();
  private readonly matchers = new WeakMap<FoundConfig, Ignore>();

  /** `only`: this file for every Dockerfile instead of the nearest one (`--config`). */
  constructor(private readonly only?: string) {}

  /** The configuration for the Dockerfile at `dockerfilePath`, which need not exist. */
  lookup(dockerfilePath: string): ConfigLookup {
    if (!this.only) return this.nearest(dirname(resolve(dockerfilePath)));
    // The empty key is no folder: it holds the one file.
    if (!this.byDir.has('')) this.byDir.set('', this.load(resolve(this.only)));
    return this.byDir.get('');
  }

  /** Whether `ignorePaths` of the governing file matches the Dockerfile. */
  ignores(found: FoundConfig | undefined, dockerfilePath: string): boolean {
    if (!found || found.config.ignorePaths.length === 0) return false;
    const path = relative(dirname(found.path), resolve(dockerfilePath));
    // Patterns are relative to the file's folder; a Dockerfile outside it (with --config) matches none.
    if (path === '' || path.startsWith('..') || isAbsolute(path)) return false;
    let matcher = this.matchers.get(found);
    if (!matcher) this.matchers.set(found, (matcher = ignore().add([...found.config.ignorePaths])));
    return matcher.ignores(path.split(sep).join('/'));
  }

  /** Drops what was read, after a configuration file changed. */
  forget(): void {
    this.byDir.clear();
  }

  private nearest(dir: string): ConfigLookup {
    if (this.byDir.has(dir)) return this.byDir.get(dir);
    const here = CONFIG_FILE_NAMES.map((name) => join(dir, name)).find((p) => existsSync(p));
    const found = here ? this.load(here) : dirname(dir) !== dir ? this.nearest(dirname(dir)) : undefined;
    this.byDir.set(dir, found);
    return found;
  }

  private load(path: string): FoundConfig | BrokenConfig {
    // A repository's file: a regular file of at most 16 KB, never a FIFO or a device (`.dockwise.yaml -> /dev/zero`).
    const read = readCapped(path, 'dockwise');
    if ('problem' in read) return { path, problem: `${path}: ${read.reason === 'missing' ? 'no such file' : read.problem}` };
    const text = read.text;
    const { config, problem } = parseDockwiseConfig(text);
    if (problem) return { path, problem: `${path}:${problem.line}: ${problem.key ? `${problem.key}: ` : ''}${problem.message}` };
    return { path, config };
  }
}
