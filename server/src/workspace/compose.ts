/**
 * Which Dockerfiles compose files (and simple docker-bake.hcl targets) build, and how: the build
 * context, the build arguments and the target stage each service gives it.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { glob } from 'tinyglobby';
import { parse as parseYaml } from 'yaml';
import { isRecord } from '../engine/isRecord';

export interface BuildDefinition {
  /** `compose service api` or `bake target api`, for people. */
  readonly origin: string;
  /** The compose or bake file it comes from. */
  readonly file: string;
  /** Absolute build context folder. */
  readonly context: string;
  /** Absolute path of the Dockerfile it builds. */
  readonly dockerfile: string;
  readonly args: Readonly<Record<string, string>>;
  readonly target?: string;
}

const COMPOSE_GLOB = '**/{compose,docker-compose}{,.*}.{yml,yaml}';
const BAKE_GLOB = '**/docker-bake.hcl';
/** A runaway workspace stops here; compose files are few. */
const MAX_FILES = 200;

/** Build definitions by the Dockerfile they build (several services may build one Dockerfile). */
export async function findBuildDefinitions(roots: readonly string[]): Promise<Map<string, BuildDefinition[]>> {
  const found = new Map<string, BuildDefinition[]>();
  // Nested roots (the CLI's working folder and a folder under it) list the same files.
  const seen = new Set<string>();
  for (const root of roots) {
    const files = await glob([COMPOSE_GLOB, BAKE_GLOB], { cwd: root, dot: true, absolute: true, ignore: ['**/node_modules/**', '**/.git/**'] }).catch(() => []);
    for (const file of files.sort().slice(0, MAX_FILES)) {
      if (seen.has(file)) continue;
      seen.add(file);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      for (const definition of file.endsWith('.hcl') ? bakeDefinitions(file, text) : composeDefinitions(file, text)) {
        found.set(definition.dockerfile, [...(found.get(definition.dockerfile) ?? []), definition]);
      }
    }
  }
  return found;
}

/** `services.<name>.build`: a context path, or `{ context, dockerfile, args, target }`. */
export function composeDefinitions(file: string, text: string): BuildDefinition[] {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch {
    return [];
  }
  const services = record(record(document)?.services);
  if (!services) return [];
  return Object.entries(services).flatMap(([service, value]) => {
    const build = record(value)?.build;
    const spec = typeof build === 'string' ? { context: build } : record(build);
    if (!spec) return [];
    const context = resolve(dirname(file), typeof spec.context === 'string' ? spec.context : '.');
    // `dockerfile_inline` has no file to attach to; remote contexts (git URLs) have no folder.
    if (typeof spec.dockerfile_inline === 'string' || /^[a-z]+:\/\/|^git@/.test(String(spec.context ?? ''))) return [];
    const dockerfile = resolve(context, typeof spec.dockerfile === 'string' ? spec.dockerfile : 'Dockerfile');
    return [{ origin: `compose service ${service}`, file, context, dockerfile, args: composeArgs(spec.args), ...(typeof spec.target === 'string' ? { target: spec.target } : {}) }];
  });
}

/** `args` as a map, or as a list of `NAME=value`; values with `${…}` need the shell's environment, so they are left out. */
function composeArgs(value: unknown): Record<string, string> {
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.flatMap((item) => (typeof item === 'string' && item.includes('=') ? [[item.slice(0, item.indexOf('=')), item.slice(item.indexOf('=') + 1)] as [string, unknown]] : []))
    : Object.entries(record(value) ?? {});
  return Object.fromEntries(entries.flatMap(([name, v]) => ((typeof v === 'string' || typeof v === 'number') && !String(v).includes('${') ? [[name, String(v)]] : [])));
}

/**
 * `target "name" { context = "…" dockerfile = "…" target = "…" args = { A = "b" } }` with literal
 * strings only: anything with interpolation, functions or inheritance is not "simple" and is skipped.
 */
export function bakeDefinitions(file: string, text: string): BuildDefinition[] {
  const definitions: BuildDefinition[] = [];
  for (const block of text.matchAll(/^\s*target\s+"([^"]+)"\s*\{([\s\S]*?)^\}/gm)) {
    const [, name, body = ''] = block;
    if (/\$\{|\binherits\b|\bmatrix\b/.test(body)) continue;
    const field = (key: string) => new RegExp(`^\\s*${key}\\s*=\\s*"([^"]*)"`, 'm').exec(body)?.[1];
    const context = resolve(dirname(file), field('context') ?? '.');
    const args = Object.fromEntries([.../^\s*args\s*=\s*\{([\s\S]*?)\}/m.exec(body)?.[1]?.matchAll(/(\w+)\s*=\s*"([^"]*)"/g) ?? []].map((m) => [m[1]!, m[2]!]));
    const target = field('target');
    definitions.push({ origin: `bake target ${name}`, file, context, dockerfile: resolve(context, field('dockerfile') ?? 'Dockerfile'), args, ...(target ? { target } : {}) });
  }
  return definitions;
}

const record = (value: unknown): Record<string, unknown> | undefined => (isRecord(value) ? value : undefined);

export const BUILD_DEFINITION_GLOBS = [COMPOSE_GLOB, BAKE_GLOB];
