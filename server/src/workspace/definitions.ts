/**
 * Every build definition in the workspace folders, by the Dockerfile it builds. Finds the files and
 * groups them as their tools do: in each folder, compose's default file with its override merged
 * in (and other compose files read over the default file), and bake's default files read
 * together; each devcontainer.json on its own. Identical definitions (the same file reached
 * twice, through an `include` or nested workspace folders) are kept once.
 */
import { basename, dirname, join } from 'node:path';
import { BAKE_FILE_NAMES, bakeDefinitions } from './bake';
import type { BuildDefinition, Found, Skipped } from './buildDefinition';
import { COMPOSE_FILE_NAMES, COMPOSE_OVERRIDE_NAMES, composeDefinitions, type ComposeOptions } from './compose';
import { crawl } from './crawl';
import { devcontainerDefinitions } from './devcontainer';
import { realPath } from './readCapped';

export type { BuildDefinition, Skipped };

const COMPOSE_NAME = /^(?:docker-)?compose(?:\..+)?\.ya?ml$/;
export const BUILD_DEFINITION_GLOBS = [
  '**/{compose,docker-compose}{,.*}.{yml,yaml}',
  '**/docker-bake{,.override}.{hcl,json}',
  '**/.devcontainer/devcontainer.json',
  '**/.devcontainer/*/devcontainer.json',
  '**/.devcontainer.json',
  '**/{binder,.binder}/Dockerfile',
];
/** Whether a changed file may change the build definitions (the globs above, as one test on a path or URI). */
export const isBuildDefinitionFile = (path: string): boolean =>
  /(?:^|\/)(?:(?:docker-)?compose(?:\.[^/]*)?\.ya?ml|docker-bake(?:\.override)?\.(?:hcl|json)|\.devcontainer(?:\/[^/]+)?\/devcontainer\.json|\.devcontainer\.json|\.?binder\/Dockerfile)$/.test(path);
/** repo2docker (mybinder.org) builds `binder/Dockerfile` with the repository, the folder above it, as the context. */
const BINDER = /(?:^|[\\/])\.?binder[\\/]Dockerfile$/;
/** A runaway workspace stops here; definition files are few. */
const MAX_FILES = 200;

/**
 * Build definitions by the Dockerfile they build (several services or targets may build one Dockerfile).
 * `onProblem` hears, once each, what stopped the search (a tree too big to walk, too many files).
 */
export async function findBuildDefinitions(roots: readonly string[], onProblem?: (message: string) => void): Promise<Map<string, BuildDefinition[]>> {
  return (await readBuildDefinitions(roots, onProblem)).byDockerfile;
}

/** Lets requests in between files, so that reading many definition files never holds the server for long. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The same, with the builds that were seen but left out and why. The files are found without
 * following symbolic links, and read only if they really lie inside one of the roots.
 */
export async function readBuildDefinitions(roots: readonly string[], onProblem?: (message: string) => void): Promise<{ byDockerfile: Map<string, BuildDefinition[]>; skipped: Skipped[] }> {
  // Nested roots (the CLI's working folder and a folder under it) list the same files; the first root names them.
  const rootOf = new Map<string, string>();
  const realSeen = new Set<string>();
  for (const root of roots) {
    const { files, stopped } = await crawl(BUILD_DEFINITION_GLOBS, { root, ignore: ['**/node_modules/**', '**/.git/**'] });
    if (stopped) onProblem?.(`${stopped} (build definitions)`);
    if (files.length > MAX_FILES) onProblem?.(`${files.length} compose, bake and devcontainer files under ${root}; only the first ${MAX_FILES} are read`);
    for (const file of files.slice(0, MAX_FILES)) {
      const real = realPath(file) ?? file;
      if (realSeen.has(real)) continue;
      realSeen.add(real);
      rootOf.set(file, root);
    }
  }
  const byFolder = new Map<string, Set<string>>();
  for (const file of [...rootOf.keys()].sort()) byFolder.set(dirname(file), (byFolder.get(dirname(file)) ?? new Set()).add(basename(file)));

  // Compose and bake first: they are how images are built for real; a devcontainer builds for development.
  const within = [...roots];
  const found: Found[] = [];
  for (const [folder, names] of byFolder) {
    for (const { files, options } of composeProjects(folder, names)) {
      found.push(composeDefinitions(files, { ...options, within }));
      await breathe();
    }
  }
  for (const [folder, names] of byFolder) {
    const bake = BAKE_FILE_NAMES.filter((n) => names.has(n));
    if (!bake.length) continue;
    found.push(bakeDefinitions(bake.map((n) => join(folder, n)), within));
    await breathe();
  }
  for (const [file, root] of rootOf) if (/(?:^|[\\/])\.?devcontainer\.json$/.test(file)) found.push(devcontainerDefinitions(file, root, within));
  for (const file of rootOf.keys()) if (BINDER.test(file)) found.push({ definitions: [binderDefinition(file)], skipped: [] });

  const byDockerfile = new Map<string, BuildDefinition[]>();
  const seen = new Set<string>();
  for (const each of found) {
    for (const definition of each.definitions) {
      const key = identity(definition);
      if (seen.has(key)) continue;
      seen.add(key);
      const list = byDockerfile.get(definition.dockerfile);
      if (list) list.push(definition);
      else byDockerfile.set(definition.dockerfile, [definition]);
    }
  }
  return { byDockerfile, skipped: found.flatMap((f) => f.skipped) };
}

/**
 * The compose projects of one folder's compose files: the preferred default file with the first
 * override file, as `docker compose` picks them. Any other compose file there (`docker-compose.prod.yml`)
 * is read over the default file, as `-f docker-compose.yml -f docker-compose.prod.yml`, for the
 * services whose build it changes: such files usually change a few fields of services the default file defines,
 * and read alone they would give those services the folder as context. Without a default file,
 * each is read alone.
 */
function composeProjects(folder: string, names: ReadonlySet<string>): { files: string[]; options: ComposeOptions }[] {
  const base = COMPOSE_FILE_NAMES.find((n) => names.has(n));
  const override = base && COMPOSE_OVERRIDE_NAMES.find((n) => names.has(n));
  const others = [...names].filter((n) => COMPOSE_NAME.test(n) && n !== base && n !== override);
  if (!base) return others.map((n) => ({ files: [join(folder, n)], options: {} }));
  return [
    { files: [base, ...(override ? [override] : [])].map((n) => join(folder, n)), options: {} },
    ...others.map((n) => ({ files: [join(folder, base), join(folder, n)], options: { label: `with ${n}`, servicesOf: join(folder, n) } })),
  ];
}

function binderDefinition(dockerfile: string): BuildDefinition {
  return { origin: 'repo2docker (binder)', file: dockerfile, context: dirname(dirname(dockerfile)), dockerfile, args: {} };
}

/** Everything a definition says, with maps in a fixed order, so equal definitions give equal keys. */
function identity(d: BuildDefinition): string {
  const sorted = (map: Readonly<Record<string, string>> | undefined) => Object.entries(map ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([d.origin, d.file, d.context, d.dockerfile, sorted(d.args), d.target ?? null, sorted(d.namedContexts)]);
}
