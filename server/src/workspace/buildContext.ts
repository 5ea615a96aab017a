/**
 * Facts from the file system around a Dockerfile, for the rules' context: its build context
 * (by default its folder, or what a compose service or bake target says), what is in it, what
 * `.dockerignore` leaves out, and which `.hadolint.yaml` governs it. Used by the server and the CLI.
 * Reads are bounded and cached until `forget` is told something changed.
 *
 * The repository is not trusted: files are read with `readCapped` (regular files only, capped, not
 * through a link out of the workspace), folders are listed without following symbolic links, a
 * number of entries at a time, and, when the workspace folders are known, a context outside all of
 * them (a compose `context: /`) is neither listed nor linked into, which its label says.
 */
import { lstatSync, opendirSync, type Dir } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { parseHadolintConfig, type HadolintConfig } from '../engine/hadolintConfig';
import type { RuleContext } from '../engine/rule';
import type { BuildDefinition } from './buildDefinition';
import { dockerignoreMatcher } from './dockerignore';
import { isInside, readCapped, realPath, realRoots } from './readCapped';

export type BuildContextFacts = NonNullable<RuleContext['buildContext']>;

export interface DockerfileSurroundings {
  readonly buildContext: BuildContextFacts;
  /** Absolute folder of the build context. */
  readonly contextDir: string;
  /** Build arguments a compose service or bake target passes. */
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly hadolint?: { readonly path: string; readonly config: HadolintConfig; readonly problem?: string };
  /**
   * One line each for what could not be used (a `.dockerignore` that is a FIFO, a context outside the
   * workspace…). Matching can add to it later, when rules ask about paths; callers report each once.
   */
  readonly problems: readonly string[];
  /** Whether the (first) context may be linked into: it lies in the workspace. */
  readonly contextReadable: boolean;
}

export interface BuildContextOptions {
  /**
   * The workspace folders (asked each time, as they change). When given, a context must really lie in
   * one of them to be listed, except the Dockerfile's own folder as its default context; without
   * them (tests, the precision review) any context is read.
   */
  readonly roots?: () => readonly string[];
}

const HADOLINT_FILES = ['.hadolint.yaml', '.hadolint.yml'];
/** A context bigger than this is not listed completely, and rules that need the listing stay quiet. */
const MAX_PATHS = 20_000;
/** Folders not listed inside (anything below them counts as present), only measured. */
const OPAQUE = new Set(['.git', 'node_modules', '.venv', 'venv', '__pycache__', '.tox', '.mypy_cache', '.pytest_cache', '.gradle', '.terraform']);
const MAX_MEASURED = 100_000;
/** Distinct contexts whose listings one Dockerfile unites; more builds than this leave the listing incomplete. */
const MAX_CONTEXTS = 16;
/** Builds named in the origin people read; the others are counted. */
const MAX_ORIGINS = 5;

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

const NOT_LISTED: Listing = { paths: new Set(), opaque: [], complete: false, top: [] };

export class BuildContextReader {
  private readonly hadolintByDir = new Map<string, DockerfileSurroundings['hadolint'] | null>();
  private readonly listings = new Map<string, Listing>();
  private readonly sizes = new Map<string, number>();
  private readonly byDockerfile = new Map<string, DockerfileSurroundings>();

  constructor(private readonly options: BuildContextOptions = {}) {}

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
    const problems: string[] = [];
    const allDirs = [...new Set(definitions.length > 0 ? definitions.map((d) => d.context) : [dirname(dockerfilePath)])];
    const contextDirs = allDirs.slice(0, MAX_CONTEXTS);
    if (allDirs.length > MAX_CONTEXTS) problems.push(`${dockerfilePath}: built with ${allDirs.length} different contexts; only the first ${MAX_CONTEXTS} are read, and rules that need the whole listing stay quiet`);
    const readable = (dir: string) => definitions.length === 0 || this.insideWorkspace(dir);
    const contexts = contextDirs.map((dir) => this.contextFacts(dockerfilePath, dir, readable(dir), problems));
    const isIgnored = (path: string) => contexts.every((c) => c.isIgnored(path));
    const complete = allDirs.length <= MAX_CONTEXTS && contexts.every((c) => c.listing.complete);
    const targets = [...new Set(definitions.flatMap((d) => (d.target ? [d.target] : [])))];
    const namedContexts = [...new Set(definitions.flatMap((d) => Object.keys(d.namedContexts ?? {})))];
    const unwanted = new Map(contexts.flatMap((c) => c.unwanted.map((u) => [u.path, u] as const)));
    const hadolint = this.hadolintFor(dirname(dockerfilePath));
    const origins = definitions.slice(0, MAX_ORIGINS).map((d) => d.origin).join(', ');
    const first = contexts[0]!;
    const dir = relative(dirname(dockerfilePath), contextDirs[0]!) || '.';
    const buildContext: BuildContextFacts = {
      hasDockerignore: contexts.some((c) => c.ignoreFile !== undefined),
      files: [...new Set(contexts.flatMap((c) => c.listing.top))],
      ...(complete ? { paths: union(contexts.map((c) => c.listing.paths)), opaque: [...new Set(contexts.flatMap((c) => c.listing.opaque))] } : {}),
      isIgnored,
      unwanted: [...unwanted.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
      ...(definitions.length > 0 ? { origin: definitions.length > MAX_ORIGINS ? `${origins} and ${definitions.length - MAX_ORIGINS} more` : origins, targets } : {}),
      ...(namedContexts.length > 0 ? { namedContexts } : {}),
      // The lens and the hover show this; it says when the context was not read.
      dir: first.readable ? dir : `${dir} (outside the workspace, not read)`,
    };
    return { buildContext, contextDir: contextDirs[0]!, buildArgs: agreedArgs(definitions), ...(hadolint ? { hadolint } : {}), problems, contextReadable: first.readable };
  }

  /** Whether a folder really lies in a workspace folder (always, when they are not known). */
  private insideWorkspace(dir: string): boolean {
    const roots = this.options.roots?.();
    if (!roots) return true;
    const real = realPath(dir);
    return real !== undefined && realRoots(roots).some((root) => isInside(real, root));
  }

  /**
   * One context folder: its listing, its ignore file and matcher, and what it holds that rarely
   * belongs in an image; nothing of a context that may not be read.
   */
  private contextFacts(dockerfilePath: string, contextDir: string, readable: boolean, problems: string[]) {
    if (!readable) {
      problems.push(`the build context ${contextDir} of ${dockerfilePath} is outside the workspace: it is not read, listed or linked`);
      return { ignoreFile: undefined, isIgnored: () => false, listing: NOT_LISTED, unwanted: [], readable };
    }
    // BuildKit looks for `<Dockerfile>.dockerignore` beside the Dockerfile first, then the context's own.
    const within = [dirname(dockerfilePath), contextDir, ...(this.options.roots?.() ?? [])];
    let ignoreFile: string | undefined;
    let text = '';
    for (const candidate of [join(dirname(dockerfilePath), `${basename(dockerfilePath)}.dockerignore`), join(contextDir, '.dockerignore')]) {
      const read = readCapped(candidate, 'ignore', { within });
      if ('problem' in read && read.reason === 'missing') continue;
      ignoreFile = candidate;
      // An unreadable ignore file excludes nothing, as it would for the builder's error message.
      if ('text' in read) text = read.text;
      else problems.push(`${candidate}: ${read.problem}`);
      break;
    }
    const matcher = dockerignoreMatcher(text);
    // The matcher gives up on patterns, or on answers past its bounds; say so the first time.
    let reported = 0;
    const flush = () => {
      for (; reported < matcher.problems.length; reported++) problems.push(`${ignoreFile}: ${matcher.problems[reported]}`);
    };
    flush();
    const isIgnored = (path: string) => {
      const ignored = path !== '' && path !== '.' && matcher.ignores(path);
      flush();
      return ignored;
    };
    const listing = this.list(contextDir);
    const unwanted = listing.top.flatMap((name) => {
      const why = UNWANTED.find(([pattern]) => pattern.test(name))?.[1];
      return why && !isIgnored(name) ? [{ path: name, bytes: this.size(join(contextDir, name)), why }] : [];
    });
    return { ignoreFile, isIgnored, listing, unwanted, readable };
  }

  /**
   * The file a COPY source names in a Dockerfile's context, when it exists and really lies inside the
   * context (a symbolic link in the context does not lead out of it), for a link; else undefined.
   */
  contextFile(surroundings: DockerfileSurroundings, path: string): string | undefined {
    if (!surroundings.contextReadable) return undefined;
    const context = realPath(surroundings.contextDir);
    const target = context && realPath(join(surroundings.contextDir, path));
    return context && target && isInside(target, context) ? target : undefined;
  }

  /** Drops what is cached, after files changed on disk. */
  forget(): void {
    this.hadolintByDir.clear();
    this.byDockerfile.clear();
    this.listings.clear();
    this.sizes.clear();
  }

  /**
   * Every path in a context, without following symbolic links (a link is listed, as the builder
   * sends it, but not entered), read a few entries at a time so that a folder of a million entries
   * costs no more than the bound.
   */
  private list(dir: string): Listing {
    const cached = this.listings.get(dir);
    if (cached) return cached;
    const paths = new Set<string>();
    const opaque: string[] = [];
    let complete = true;
    const walk = (folder: string, prefix: string) => {
      // A folder that cannot be read (the context itself missing, say) leaves sources unknown, not absent.
      const read = entries(folder, (entry) => {
        if (paths.size >= MAX_PATHS) {
          complete = false;
          return false;
        }
        const path = prefix ? `${prefix}/${entry.name}` : entry.name;
        paths.add(path);
        if (entry.isDirectory()) {
          if (OPAQUE.has(entry.name)) opaque.push(path);
          else walk(join(folder, entry.name), path);
        }
        return complete;
      });
      if (!read) complete = false;
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
        if (stat.isDirectory()) entries(p, (entry) => (visit(join(p, entry.name)), seen <= MAX_MEASURED));
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
    let found: DockerfileSurroundings['hadolint'];
    let path: string | undefined;
    let read: ReturnType<typeof readCapped> | undefined;
    for (const name of HADOLINT_FILES) {
      read = readCapped(join(dir, name), 'hadolint', { within: [dir, ...(this.options.roots?.() ?? [])] });
      if ('problem' in read && read.reason === 'missing') continue;
      path = join(dir, name);
      break;
    }
    if (path && read) {
      const text = 'text' in read ? read.text : '';
      const readProblem = 'problem' in read ? read.problem : undefined;
      const { config, problem } = parseHadolintConfig(text);
      found = { path, config, ...(readProblem ?? problem ? { problem: readProblem ?? problem } : {}) };
    } else if (dirname(dir) !== dir) {
      found = this.hadolintFor(dirname(dir));
    }
    this.hadolintByDir.set(dir, found ?? null);
    return found;
  }
}

/**
 * Calls `each` for the entries of a folder, a batch at a time, until it returns false. False when the
 * folder could not be read to its end (missing, not a folder, no permission, failed half-way): what
 * was read is all it has.
 */
function entries(folder: string, each: (entry: { readonly name: string; isDirectory(): boolean }) => boolean): boolean {
  let dir: Dir;
  try {
    dir = opendirSync(folder, { bufferSize: 64 });
  } catch {
    return false;
  }
  try {
    for (let entry = dir.readSync(); entry; entry = dir.readSync()) if (!each(entry)) return true;
    return true;
  } catch {
    return false;
  } finally {
    dir.closeSync();
  }
}
