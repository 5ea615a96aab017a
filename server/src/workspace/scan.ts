/**
 * Finds Dockerfiles on disk: those of a workspace folder for `dockwise.scope: "workspace"`, leaving
 * out what `files.exclude` and the folder's .gitignore files exclude, and those the CLI is pointed
 * at. Both walk with `crawl`: no symbolic link is followed, each file is found once by its real path,
 * and a runaway tree stops at a bound, with a line saying so.
 */
import { statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ignore from 'ignore';
import { crawl } from './crawl';
import { readCapped, realPath, typeOf } from './readCapped';

/** The file names dockwise treats as Dockerfiles, as a glob. */
export const DOCKERFILE_GLOB = '**/{Dockerfile,Containerfile,Dockerfile.*,Containerfile.*,*.Dockerfile,*.dockerfile,*.containerfile}';

/** Enough for any real repository; a runaway scan stops here. */
const MAX_FILES = 5000;
/** .gitignore files read per workspace folder; the deepest ones beyond it are not applied. */
const MAX_GITIGNORES = 200;
const SKIPPED = ['**/node_modules/**', '**/.git/**'];

export async function findWorkspaceDockerfiles(root: string, filesExclude: Readonly<Record<string, unknown>> = {}, onProblem?: (message: string) => void): Promise<string[]> {
  const excluded = Object.entries(filesExclude).filter(([, on]) => on === true).map(([pattern]) => pattern);
  const [candidates, gitignores] = await Promise.all([crawl([DOCKERFILE_GLOB], { root, ignore: [...SKIPPED, ...excluded] }), crawl(['**/.gitignore'], { root, ignore: SKIPPED })]);
  for (const stopped of new Set([candidates.stopped, gitignores.stopped])) if (stopped) onProblem?.(`${stopped}`);
  if (gitignores.files.length > MAX_GITIGNORES) onProblem?.(`${root} has ${gitignores.files.length} .gitignore files; only the first ${MAX_GITIGNORES} are applied`);
  const rules = gitignores.files.slice(0, MAX_GITIGNORES).map((file) => {
    const read = readCapped(file, 'ignore', { within: [root] });
    // An unreadable .gitignore excludes nothing.
    if ('problem' in read && read.reason !== 'missing') onProblem?.(`${file}: ${read.problem}`);
    const base = relative(root, dirname(file)).split('\\').join('/');
    return { base, matcher: ignore().add('text' in read ? read.text : '') };
  });
  const isIgnored = (file: string) =>
    rules.some(({ base, matcher }) => {
      if (base && !file.startsWith(`${base}/`)) return false;
      try {
        return matcher.ignores(base ? file.slice(base.length + 1) : file);
      } catch {
        return false;
      }
    });
  return candidates.files
    .filter((file) => !file.endsWith('.dockerignore') && !isIgnored(relative(root, file).split('\\').join('/')))
    .slice(0, MAX_FILES);
}

/**
 * The Dockerfiles the CLI is pointed at: a file as named (if it is a regular file), a folder searched
 * with `DOCKERFILE_GLOB`, or a glob (kept inside the folder its literal part names), each walked with
 * `crawl` and kept once by real path, sorted. Throws for a name that is neither a file, a folder nor
 * a glob; what is left out, and why, comes back in `notes`, one line each.
 */
export async function findDockerfilesOnDisk(targets: readonly string[], cwd: string): Promise<{ found: { path: string; named: boolean }[]; notes: string[] }> {
  const byReal = new Map<string, { path: string; named: boolean }>();
  const notes: string[] = [];
  const add = (path: string, named: boolean) => {
    const real = realPath(path);
    if (!real || path.endsWith('.dockerignore')) return;
    const known = byReal.get(real);
    if (!known) byReal.set(real, { path, named });
    else if (named && !known.named) byReal.set(real, { path: known.path, named });
  };
  for (const target of targets) {
    const path = resolve(cwd, target);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat && !stat.isDirectory()) {
      if (stat.isFile()) add(path, true);
      else notes.push(`${target}: not a regular file (${typeOf(stat)}), not read`);
      continue;
    }
    const isGlob = /[*?[\]{}]/.test(target);
    if (!stat && !isGlob) throw new Error(`${target}: no such file or folder`);
    const base = stat ? path : resolve(cwd, staticPrefix(target));
    const { files, stopped } = await crawl(stat ? [DOCKERFILE_GLOB] : [target], { root: stat ? path : cwd, ignore: SKIPPED, within: [base] });
    if (stopped) notes.push(stopped);
    for (const file of files) add(file, false);
  }
  const found = [...byReal.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { found, notes };
}

/** The folders of a glob before its first wildcard. */
function staticPrefix(pattern: string): string {
  const parts = pattern.split('/');
  const literal: string[] = [];
  for (const part of parts.slice(0, -1)) {
    if (/[*?[\]{}()!+@]/.test(part)) break;
    literal.push(part);
  }
  return literal.join('/') || '.';
}
