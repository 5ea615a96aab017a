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
import type { BuildDefinition } from './buildDefinition';

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

const union = (sets: readonly ReadonlySet<string>[]): Set<string> => (sets.length === 1 ? (sets[0] as Set<string>) : new Set(sets.flatMap((s) => [...s])));

/** Build arguments every build of the Dockerfile passes with the same value; the others are left to the ARG defaults. */
function agreedArgs(definitions: readonly BuildDefinition[]): Record<string, string> {
  const [first, ...rest] = definitions;
  if (!first) return {};
  return Object.fromEntries(Object.entries(first.args).filter(([name, value]) => rest.every((d) => d.args[name] === value)));
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

  /**
   * Several builds may name one Dockerfile (a compose service and a devcontainer, two bake targets):
   * it gets the union of their facts, so that no build's context makes another's source look missing.
   */
  private gather(dockerfilePath: string, definitions: readonly BuildDefinition[]): DockerfileSurroundings {
    const contextDirs = [...new Set(definitions.length > 0 ? definitions.map((d) => d.context) : [dirname(dockerfilePath)])];
    const contexts = contextDirs.map((dir) => this.contextFacts(dockerfilePath, dir));
    const isIgnored = (path: string) => contexts.every((c) => c.isIgnored(path));
    const complete = contexts.every((c) => c.listing.complete);
    const targets = [...new Set(definitions.flatMap((d) => (d.target ? [d.target] : [])))];
    const namedContexts = [...new Set(definitions.flatMap((d) => Object.keys(d.namedContexts ?? {})))];
    const unwanted = new Map(contexts.flatMap((c) => c.unwanted.map((u) => [u.path, u] as const)));
    const hadolint = this.hadolintFor(dirname(dockerfilePath));
    const buildContext: BuildContextFacts = {
      hasDockerignore: contexts.some((c) => c.ignoreFile !== undefined),
      files: [...new Set(contexts.flatMap((c) => c.listing.top))],
      ...(complete ? { paths: union(contexts.map((c) => c.listing.paths)), opaque: [...new Set(contexts.flatMap((c) => c.listing.opaque))] } : {}),
      isIgnored,
      unwanted: [...unwanted.values()],
      ...(definitions.length > 0 ? { origin: definitions.map((d) => d.origin).join(', '), targets } : {}),
      ...(namedContexts.length > 0 ? { namedContexts } : {}),
      dir: relative(dirname(dockerfilePath), contextDirs[0]!) || '.',
    };
    return { buildContext, contextDir: contextDirs[0]!, buildArgs: agreedArgs(definitions), ...(hadolint ? { hadolint } : {}) };
  }

  /** One context folder: its listing, its ignore file and matcher, and what it holds that rarely belongs in an image. */
  private contextFacts(dockerfilePath: string, contextDir: string) {
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
    const unwanted = listing.top.flatMap((name) => {
      const why = UNWANTED.find(([pattern]) => pattern.test(name))?.[1];
      return why && !isIgnored(name) ? [{ path: name, bytes: this.size(join(contextDir, name)), why }] : [];
    });
    return { ignoreFile, isIgnored, listing, unwanted };
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
