/**
 * Build definitions from a devcontainer.json (`.devcontainer/devcontainer.json`,
 * `.devcontainer/<name>/devcontainer.json` or `.devcontainer.json`): `build.dockerfile`,
 * `build.context` (both relative to the devcontainer.json's folder, the context `.` by default),
 * `build.args` and `build.target`; the older top-level `dockerFile` and `context`; or the compose
 * files `dockerComposeFile` names, read as one compose project.
 *
 * Of devcontainer's `${…}` variables, `${localWorkspaceFolder}` (and its basename) is known and
 * `${localEnv:NAME:default}` gives its default; any other makes the value unknown, and it is left out.
 */
import { basename, dirname, relative, resolve } from 'node:path';
import { isRecord } from '../language/isRecord';
import type { Found } from './buildDefinition';
import { composeDefinitions } from './compose';
import { parseJsonc } from './jsonc';
import { readCapped } from './readCapped';

/** `root` is the workspace folder it was found in, for the origin people read; `within`, where the files it names must really lie. */
export function devcontainerDefinitions(file: string, root: string, within?: readonly string[]): Found {
  const origin = `devcontainer ${relative(root, file) || file}`;
  const refuse = (reason: string): Found => ({ definitions: [], skipped: [{ file, reason: `${origin}: ${reason}` }] });
  const read = readCapped(file, 'devcontainer', { within });
  if ('problem' in read) return refuse(read.problem);
  let config: unknown;
  try {
    config = parseJsonc(read.text);
  } catch (error) {
    return refuse(`not read: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isRecord(config)) return refuse('not a devcontainer definition (not an object)');
  const here = dirname(file);
  const substitute = variables(file);

  if (config.dockerComposeFile !== undefined) {
    const names = (Array.isArray(config.dockerComposeFile) ? config.dockerComposeFile : [config.dockerComposeFile]).map((n) => (typeof n === 'string' ? substitute(n) : undefined));
    if (!names.length || names.some((n) => n === undefined)) return refuse('dockerComposeFile cannot be read');
    return composeDefinitions(names.map((n) => resolve(here, n!)), { label: origin, ...(within ? { within } : {}) });
  }

  const build = isRecord(config.build) ? config.build : {};
  // The pre-`build` form: `dockerFile` and `context` at the top.
  const dockerfile = build.dockerfile ?? config.dockerFile;
  if (dockerfile === undefined) return { definitions: [], skipped: [] };
  const dockerfilePath = typeof dockerfile === 'string' ? substitute(dockerfile) : undefined;
  const context = build.context ?? config.context ?? '.';
  const contextPath = typeof context === 'string' ? substitute(context) : undefined;
  if (dockerfilePath === undefined) return refuse('the dockerfile cannot be read');
  if (contextPath === undefined) return refuse('the context cannot be read');
  const args = Object.entries(isRecord(build.args) ? build.args : {}).flatMap(([name, value]) => {
    const text = typeof value === 'string' ? substitute(value) : undefined;
    return text === undefined ? [] : [[name, text] as const];
  });
  const target = typeof build.target === 'string' ? substitute(build.target) : undefined;
  return {
    definitions: [
      {
        origin,
        file,
        context: resolve(here, contextPath),
        dockerfile: resolve(here, dockerfilePath),
        args: Object.fromEntries(args),
        ...(target === undefined ? {} : { target }),
      },
    ],
    skipped: [],
  };
}

/** A substitution for devcontainer's `${…}` variables: undefined when one of them has no known value. */
function variables(file: string): (value: string) => string | undefined {
  // The workspace folder is the one holding `.devcontainer/` (or `.devcontainer.json`).
  const folder = dirname(file);
  const workspace = basename(folder) === '.devcontainer' ? dirname(folder) : basename(dirname(folder)) === '.devcontainer' ? dirname(dirname(folder)) : folder;
  return (value) => {
    let known = true;
    const result = value.replace(/\$\{([^}]*)\}/g, (_, name: string) => {
      if (name === 'localWorkspaceFolder') return workspace;
      if (name === 'localWorkspaceFolderBasename') return basename(workspace);
      const env = /^(?:localEnv|env):[A-Za-z_][A-Za-z0-9_]*:(.*)$/.exec(name);
      if (env) return env[1]!;
      known = false;
      return '';
    });
    return known ? result : undefined;
  };
}
