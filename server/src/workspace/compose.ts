/**
 * Build definitions from compose files, read as `docker compose` reads them: YAML merge keys
 * (`<<: *common`), `extends` (in the file or `{ file, service }` beside it), `include:` of other
 * compose files, and several files merged in order (a base and its override file, or the list a
 * devcontainer names), service by service. Services under a profile count like the others: every
 * build that can happen is one we lint for.
 *
 * Relative paths are resolved as compose does: from the project folder (the first file's), from
 * the extended file's folder for what `extends: { file }` brings in, and from an included
 * project's own folder. Values with `${VAR}` take their default or are left out (see
 * composeVariables); a service whose context or Dockerfile cannot be known is skipped with why.
 */
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, parseDocument, visit } from 'yaml';
import { isRecord } from '../language/isRecord';
import { isLocalPath, namedContext, type BuildDefinition, type Found, type Skipped } from './buildDefinition';
import { interpolate } from './composeVariables';
import { READ_LIMITS, readCapped } from './readCapped';

/** The files compose reads without `-f`, by preference: the first present is the project's file. */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
/** Merged over that file when present (the first of them). */
export const COMPOSE_OVERRIDE_NAMES = ['compose.override.yml', 'compose.override.yaml', 'docker-compose.override.yml', 'docker-compose.override.yaml'];

const MAX_EXTENDS = 10;
const MAX_INCLUDE_DEPTH = 5;
/** Files one project may pull in through `extends` and `include`, so a hostile tree cannot fan out. */
const MAX_FILES = 50;
/** Bytes of YAML one project may read in all (each file is capped on its own too): parsing costs 1.5 to 3 ms per KB. */
const MAX_PROJECT_BYTES = 2 * READ_LIMITS.compose;
/** Services read from one project; real ones have tens, and each becomes a definition kept in memory. */
const MAX_SERVICES = 1000;

/** Why a value or a whole build cannot be read. */
class Unresolved {
  constructor(readonly why: string) {}
}

interface Build {
  /** Absolute, or a remote URL as written. */
  readonly context?: string | Unresolved;
  /** As written, relative to the context. */
  readonly dockerfile?: string | Unresolved;
  readonly inline: boolean;
  readonly target?: string | Unresolved;
  readonly args: Readonly<Record<string, string | Unresolved>>;
  readonly namedContexts: Readonly<Record<string, string | Unresolved>>;
}

interface Service {
  /** The file that defines it first. */
  readonly file: string;
  /** The files of the project that say something about its build. */
  readonly buildFiles: readonly string[];
  /** Where a build without a context builds from. */
  readonly projectDir: string;
  readonly build?: Build | Unresolved;
}

export interface ComposeOptions {
  /** Said after each origin, for what asked for these builds (a devcontainer, an extra `-f` file). */
  readonly label?: string;
  /** Only the services whose build this file of the project changes: the others read the same without it. */
  readonly servicesOf?: string;
  /** Folders the compose files must really lie in (the workspace): an `include` or `extends` out of them is not read. */
  readonly within?: readonly string[];
}

/** The builds of the compose project made of `files`: the first is the base, the others merge over it in order. */
export function composeDefinitions(files: readonly string[], options: ComposeOptions = {}): Found {
  const loader = new Loader(options.within);
  const services = loader.project(files, dirname(files[0]!), []);
  const found: Found = { definitions: [], skipped: loader.skipped };
  if (services.size > MAX_SERVICES) found.skipped.push({ file: files[0]!, reason: `more than ${MAX_SERVICES} compose services: ${services.size - MAX_SERVICES} not read` });
  let count = 0;
  for (const [name, service] of services) {
    if (++count > MAX_SERVICES) break;
    if (options.servicesOf && !service.buildFiles.includes(options.servicesOf)) continue;
    const origin = options.label ? `compose service ${name} (${options.label})` : `compose service ${name}`;
    const definition = service.build && toDefinition(service.build, service, origin);
    if (typeof definition === 'string') found.skipped.push({ file: service.file, reason: `${origin}: ${definition}` });
    else if (definition) found.definitions.push(definition);
  }
  return found;
}

class Loader {
  readonly skipped: Skipped[] = [];
  private readonly documents = new Map<string, Record<string, unknown> | string>();
  private bytes = 0;

  constructor(private readonly within?: readonly string[]) {}

  /** A project's services: includes first, then each file's services merged over the earlier ones. */
  project(files: readonly string[], projectDir: string, includedFrom: readonly string[]): Map<string, Service> {
    const services = new Map<string, Service>();
    for (const file of files) {
      const document = this.document(file);
      if (typeof document === 'string') {
        // Compose refuses a project with a broken file, so the rest is not read alone either.
        this.skipped.push({ file, reason: document });
        return new Map();
      }
      for (const entry of list(document.include)) {
        for (const [name, service] of this.include(entry, file, includedFrom)) services.set(name, service);
      }
      for (const [name, service] of Object.entries(record(document.services) ?? {})) {
        if (!isRecord(service)) continue;
        const build = this.serviceBuild(file, name, projectDir, []);
        const earlier = services.get(name);
        const merged = mergeBuilds(earlier?.build, build);
        services.set(name, { file: earlier?.file ?? file, buildFiles: [...(earlier?.buildFiles ?? []), ...(build ? [file] : [])], projectDir, ...(merged ? { build: merged } : {}) });
      }
    }
    return services;
  }

  /** `include: [path]` or `include: [{ path, project_directory }]`, relative to the including file. */
  private include(entry: unknown, from: string, includedFrom: readonly string[]): Map<string, Service> {
    const spec = typeof entry === 'string' ? { path: entry } : record(entry);
    const paths = list(spec?.path).map((p) => text(p));
    const refuse = (why: string) => {
      this.skipped.push({ file: from, reason: `include: ${why}` });
      return new Map<string, Service>();
    };
    if (!paths.length || paths.some((p) => p === undefined)) return refuse('a path that cannot be read or uses an unset variable');
    if (paths.some((p) => !isLocalPath(p!))) return refuse(`a remote file (${paths.join(', ')})`);
    const absolute = paths.map((p) => resolve(dirname(from), p!));
    const chain = [...includedFrom, from];
    if (absolute.some((p) => chain.includes(p))) return refuse(`${absolute.join(', ')} includes itself`);
    if (chain.length > MAX_INCLUDE_DEPTH) return refuse(`more than ${MAX_INCLUDE_DEPTH} levels deep`);
    const projectDirectory = spec?.project_directory === undefined ? undefined : text(spec.project_directory);
    return this.project(absolute, projectDirectory ? resolve(dirname(from), projectDirectory) : dirname(absolute[0]!), chain);
  }

  /**
   * One service's build with what it extends merged under it; relative paths resolve from `baseDir`.
   * Undefined when it has no build.
   */
  private serviceBuild(file: string, name: string, baseDir: string, chain: readonly string[]): Build | Unresolved | undefined {
    const document = this.document(file);
    if (typeof document === 'string') return new Unresolved(`extends ${file}: ${document}`);
    const service = record(record(document.services)?.[name]);
    if (!service) return new Unresolved(`extends "${name}", which ${file} does not define`);
    const own = readBuild(service.build, baseDir);
    if (service.extends === undefined) return own;
    const spec = typeof service.extends === 'string' ? { service: service.extends } : record(service.extends);
    const parentName = text(spec?.service);
    const parentFile = spec?.file === undefined ? file : text(spec.file);
    if (parentName === undefined || parentFile === undefined) return new Unresolved('extends a service or file that cannot be read');
    const parentPath = resolve(dirname(file), parentFile);
    const here = [...chain, `${file}#${name}`];
    if (here.includes(`${parentPath}#${parentName}`)) return new Unresolved(`extends in a cycle (${[...here, `${parentPath}#${parentName}`].map((k) => k.slice(k.lastIndexOf('#') + 1)).join(' → ')})`);
    if (chain.length >= MAX_EXTENDS) return new Unresolved(`extends more than ${MAX_EXTENDS} levels deep`);
    // What another file brings in is relative to that file, as compose resolves it.
    const parent = this.serviceBuild(parentPath, parentName, parentPath === file ? baseDir : dirname(parentPath), here);
    return parent instanceof Unresolved ? parent : mergeBuilds(parent, own);
  }

  /** A compose file parsed with merge keys, once per file; a string says why it cannot be. */
  private document(file: string): Record<string, unknown> | string {
    const known = this.documents.get(file);
    if (known !== undefined) return known;
    let parsed: Record<string, unknown> | string;
    const read = this.documents.size >= MAX_FILES ? { problem: `more than ${MAX_FILES} compose files in one project, not read` } : readCapped(file, 'compose', { within: this.within });
    if ('problem' in read) {
      parsed = read.problem;
    } else if ((this.bytes += read.text.length) > MAX_PROJECT_BYTES) {
      parsed = `more than ${MAX_PROJECT_BYTES / 1024} KB of compose files in one project, not read`;
    } else {
      try {
        const value = parseCompose(read.text);
        // An empty file is an empty project, not an error.
        parsed = value == null ? {} : (record(value) ?? 'not a compose file (not a mapping)');
      } catch (error) {
        parsed = `not read: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
      }
    }
    this.documents.set(file, parsed);
    return parsed;
  }
}

/**
 * YAML as compose reads it: merge keys, a bounded number of aliases, and duplicate keys refused. The
 * parser's own duplicate check compares every key of a mapping with every other (40,000 services took
 * 37 s), so it is off and keys are checked here with a set per mapping, in one pass over the tree.
 */
export function parseCompose(text: string): unknown {
  const document = parseDocument(text, { merge: true, uniqueKeys: false, logLevel: 'error' });
  if (document.errors.length > 0) throw document.errors[0];
  visit(document, {
    Map(_, map) {
      if (!isMap(map)) return;
      const keys = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const value = pair.key.value;
        if (value === '<<') continue;
        const key = `${typeof value}:${String(value)}`;
        if (keys.has(key)) {
          const line = pair.key.range ? text.slice(0, pair.key.range[0]).split('\n').length : undefined;
          throw new Error(`Map keys must be unique${line ? ` (line ${line}: ${String(value)})` : ''}`);
        }
        keys.add(key);
      }
    },
  });
  return document.toJS({ maxAliasCount: 100 });
}

/** `build: ./dir` or `build: { context, dockerfile, dockerfile_inline, args, target, additional_contexts }`. */
function readBuild(value: unknown, baseDir: string): Build | undefined {
  const spec = typeof value === 'string' ? { context: value } : record(value);
  if (!spec) return undefined;
  const context = spec.context === undefined ? undefined : known(spec.context, 'context');
  return {
    ...(context === undefined ? {} : { context: typeof context === 'string' && isLocalPath(context) ? resolve(baseDir, context) : context }),
    ...(spec.dockerfile === undefined ? {} : { dockerfile: known(spec.dockerfile, 'dockerfile') }),
    inline: spec.dockerfile_inline !== undefined,
    ...(spec.target === undefined ? {} : { target: known(spec.target, 'target') }),
    args: pairs(spec.args),
    namedContexts: Object.fromEntries(Object.entries(pairs(spec.additional_contexts)).map(([k, v]) => [k, typeof v === 'string' ? namedContext(v, baseDir) : v])),
  };
}

/** A map, or a list of `NAME=value`; `NAME` alone and `NAME: null` come from the shell, so they are left out. */
function pairs(value: unknown): Record<string, string | Unresolved> {
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.flatMap((item) => (typeof item === 'string' && item.includes('=') ? [[item.slice(0, item.indexOf('=')), item.slice(item.indexOf('=') + 1)] as [string, unknown]] : []))
    : Object.entries(record(value) ?? {}).filter(([, v]) => v !== null);
  return Object.fromEntries(entries.map(([name, v]) => [name, known(v, name)]));
}

/** Compose merges a later build over an earlier one field by field, and maps by key. */
function mergeBuilds(base: Build | Unresolved | undefined, over: Build | Unresolved | undefined): Build | Unresolved | undefined {
  if (base instanceof Unresolved || !over) return base ?? over;
  if (over instanceof Unresolved || !base) return over;
  return {
    ...base,
    ...over,
    inline: base.inline || over.inline,
    args: { ...base.args, ...over.args },
    namedContexts: { ...base.namedContexts, ...over.namedContexts },
  };
}

function toDefinition(build: Build | Unresolved, service: Service, origin: string): BuildDefinition | string {
  if (build instanceof Unresolved) return build.why;
  if (build.inline) return 'dockerfile_inline has no file';
  const context = build.context ?? service.projectDir;
  if (context instanceof Unresolved) return context.why;
  if (!isLocalPath(context)) return `the context is remote (${context})`;
  const dockerfile = build.dockerfile ?? 'Dockerfile';
  if (dockerfile instanceof Unresolved) return dockerfile.why;
  const strings = (map: Build['args']) => Object.fromEntries(Object.entries(map).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const namedContexts = strings(build.namedContexts);
  return {
    origin,
    file: service.file,
    context,
    dockerfile: resolve(context, dockerfile),
    args: strings(build.args),
    ...(typeof build.target === 'string' ? { target: build.target } : {}),
    ...(Object.keys(namedContexts).length ? { namedContexts } : {}),
  };
}

/** A scalar with its defaults substituted, or why not. */
function known(value: unknown, what: string): string | Unresolved {
  const result = text(value);
  return result ?? new Unresolved(`${what} ${typeof value === 'string' ? 'uses a variable without a default' : 'is not a string'}`);
}

const text = (value: unknown): string | undefined => (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? interpolate(String(value)) : undefined);
const record = (value: unknown): Record<string, unknown> | undefined => (isRecord(value) ? value : undefined);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
