/**
 * Facts from the file system around a Dockerfile, for the rules' context: its build context
 * (by default its folder, or what a compose service or bake target says), what is in it, what
 * `.dockerignore` leaves out, and which `.hadolint.yaml` governs it. Used by the server and the CLI.
 * Reads are bounded and cached until `forget` is told something changed.
 */
import dockerignore from '@balena/dockerignore';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { parseHadolintConfig, type HadolintConfig } from '../engine/hadolintConfig';
import type { RuleContext } from '../rules/rule';
import type { BuildDefinition } from './compose';

export type BuildContextFacts = NonNullable<RuleContext['buildContext']>;

export interface DockerfileSurroundings {
  readonly buildContext: BuildContextFacts;
  /** Absolute folder of the build context. */
  readonly contextDir: string;
  /** Build arguments a compose service or bake target passes. */
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly hadolint?: { readonly path: string; readonly config: HadolintConfig; readonly problem?: string };
}

const HADOLINT_FILES = ['.hadolint.yaml', '.hadolint.yml'];
/** A context bigger than this is not listed completely, and rules that need the listing stay quiet. */
const MAX_PATHS = 20_000;
/** Folders not listed inside (anything below them counts as present), only measured. */
const OPAQUE = new Set(['.git', 'node_modules', '.venv', 'venv', '__pycache__', '.tox', '.mypy_cache', '.pytest_cache', '.gradle', '.terraform']);
const MAX_MEASURED = 100_000;

/** What rarely belongs in an image, by name at the top of the context, with why. */
const UNWANTED: readonly (readonly [RegExp, string])[] = [
  [/^\.git$/, 'version-control history'],
  [/^node_modules$/, 'dependencies installed on this machine, which the image should install itself'],
  [/^\.?venv$/, 'a local virtualenv'],
  [/^\.env(?:\..+)?$/, 'environment settings, often secrets'],
  [/^(?:\.aws|\.ssh|\.docker|\.kube)$/, 'credentials'],
  [/^(?:id_rsa|id_ed25519|id_ecdsa)$|\.(?:pem|key|p12|pfx)$/, 'a private key'],
];

interface Listing {
  readonly paths: Set<string>;
  readonly opaque: string[];
  readonly complete: boolean;
  readonly top: string[];
}

export class BuildContextReader {
  private readonly hadolintByDir = new Map<string, DockerfileSurroundings['hadolint'] | null>();
  private readonly listings = new Map<string, Listing>();
  private readonly sizes = new Map<string, number>();
  private readonly byDockerfile = new Map<string, DockerfileSurroundings>();

  /**
   * Facts for a Dockerfile on disk; `definitions` are the compose/bake builds that name it, if any.
   * Asked on every keystroke, hover and lens, so the answer is kept until `forget`, which callers
   * also call when the definitions change.
   */
  read(dockerfilePath: string, definitions: readonly BuildDefinition[] = []): DockerfileSurroundings {
    let found = this.byDockerfile.get(dockerfilePath);
    if (!found) this.byDockerfile.set(dockerfilePath, (found = this.gather(dockerfilePath, definitions)));
    return found;
  }

  private gather(dockerfilePath: string, definitions: readonly BuildDefinition[]): DockerfileSurroundings {
    const definition = definitions[0];
    const contextDir = definition?.context ?? dirname(dockerfilePath);
    // BuildKit looks for `<Dockerfile>.dockerignore` beside the Dockerfile first, then the context's own.
    const ignoreFile = [join(dirname(dockerfilePath), `${basename(dockerfilePath)}.dockerignore`), join(contextDir, '.dockerignore')].find((p) => existsSync(p));
    const matcher = dockerignore();
    if (ignoreFile) {
      try {
        matcher.add(readFileSync(ignoreFile, 'utf8'));
      } catch {
        // An unreadable ignore file excludes nothing, as it would for the builder's error message.
      }
    }
    const isIgnored = (path: string) => path !== '' && path !== '.' && matcher.ignores(path);
    const listing = this.list(contextDir);
    const targets = [...new Set(definitions.flatMap((d) => (d.target ? [d.target] : [])))];
    const hadolint = this.hadolintFor(dirname(dockerfilePath));
    const buildContext: BuildContextFacts = {
      hasDockerignore: ignoreFile !== undefined,
      files: listing.top,
      ...(listing.complete ? { paths: listing.paths, opaque: listing.opaque } : {}),
      isIgnored,
      unwanted: listing.top.flatMap((name) => {
        const why = UNWANTED.find(([pattern]) => pattern.test(name))?.[1];
        return why && !isIgnored(name) ? [{ path: name, bytes: this.size(join(contextDir, name)), why }] : [];
      }),
      ...(definitions.length > 0 ? { origin: definitions.map((d) => d.origin).join(', '), targets } : {}),
      dir: relative(dirname(dockerfilePath), contextDir) || '.',
    };
    return { buildContext, contextDir, buildArgs: definition?.args ?? {}, ...(hadolint ? { hadolint } : {}) };
  }

  /** Drops what is cached, after files changed on disk. */
  forget(): void {
    this.hadolintByDir.clear();
    this.byDockerfile.clear();
    this.listings.clear();
    this.sizes.clear();
  }

  private list(dir: string): Listing {
    const cached = this.listings.get(dir);
    if (cached) return cached;
    const paths = new Set<string>();
    const opaque: string[] = [];
    let complete = true;
    const walk = (folder: string, prefix: string) => {
      let entries;
      try {
        entries = readdirSync(folder, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        if (paths.size >= MAX_PATHS) {
          complete = false;
          return;
        }
        const path = prefix ? `${prefix}/${entry.name}` : entry.name;
        paths.add(path);
        if (!entry.isDirectory()) continue;
        if (OPAQUE.has(entry.name)) opaque.push(path);
        else walk(join(folder, entry.name), path);
      }
    };
    walk(dir, '');
    const listing = { paths, opaque, complete, top: [...paths].filter((p) => !p.includes('/')) };
    this.listings.set(dir, listing);
    return listing;
  }

  /** Bytes under a path, counted up to a bound (a huge node_modules is "at least" that much). */
  private size(path: string): number {
    const cached = this.sizes.get(path);
    if (cached !== undefined) return cached;
    let total = 0;
    let seen = 0;
    const visit = (p: string) => {
      if (seen++ > MAX_MEASURED) return;
      try {
        const stat = lstatSync(p);
        if (stat.isDirectory()) for (const name of readdirSync(p)) visit(join(p, name));
        else total += stat.size;
      } catch {
        // Unreadable entries count as nothing.
      }
    };
    visit(path);
    this.sizes.set(path, total);
    return total;
  }

  /** The nearest `.hadolint.yaml` in the folder or above it, as hadolint itself looks for it. */
  private hadolintFor(dir: string): DockerfileSurroundings['hadolint'] {
    const cached = this.hadolintByDir.get(dir);
    if (cached !== undefined) return cached ?? undefined;
    const path = HADOLINT_FILES.map((name) => join(dir, name)).find((p) => existsSync(p));
    let found: DockerfileSurroundings['hadolint'];
    if (path) {
      let text = '';
      let readProblem: string | undefined;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        readProblem = error instanceof Error ? error.message : String(error);
      }
      const { config, problem } = parseHadolintConfig(text);
      found = { path, config, ...(readProblem ?? problem ? { problem: readProblem ?? problem } : {}) };
    } else if (dirname(dir) !== dir) {
      found = this.hadolintFor(dirname(dir));
    }
    this.hadolintByDir.set(dir, found ?? null);
    return found;
  }
}
