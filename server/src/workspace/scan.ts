/**
 * Finds the Dockerfiles of a workspace folder for `dockwise.scope: "workspace"`, leaving out what
 * `files.exclude` and the folder's .gitignore files exclude.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ignore from 'ignore';
import { glob } from 'tinyglobby';

/** The file names dockwise treats as Dockerfiles, as a glob. */
export const DOCKERFILE_GLOB = '**/{Dockerfile,Containerfile,Dockerfile.*,Containerfile.*,*.Dockerfile,*.dockerfile,*.containerfile}';

/** Enough for any real repository; a runaway scan stops here. */
const MAX_FILES = 5000;

export async function findWorkspaceDockerfiles(root: string, filesExclude: Readonly<Record<string, unknown>> = {}): Promise<string[]> {
  const excluded = Object.entries(filesExclude).filter(([, on]) => on === true).map(([pattern]) => pattern);
  const [candidates, gitignores] = await Promise.all([
    glob([DOCKERFILE_GLOB], { cwd: root, dot: true, ignore: ['**/node_modules/**', '**/.git/**', ...excluded] }),
    glob(['**/.gitignore'], { cwd: root, dot: true, ignore: ['**/node_modules/**', '**/.git/**'] }),
  ]);
  const rules = gitignores.map((file) => {
    let text = '';
    try {
      text = readFileSync(join(root, file), 'utf8');
    } catch {
      // An unreadable .gitignore excludes nothing.
    }
    return { base: dirname(file) === '.' ? '' : dirname(file), matcher: ignore().add(text) };
  });
  const isIgnored = (file: string) =>
    rules.some(({ base, matcher }) => {
      if (base && !file.startsWith(`${base}/`)) return false;
      return matcher.ignores(base ? relative(base, file) : file);
    });
  return candidates
    .filter((file) => !file.endsWith('.dockerignore') && !isIgnored(file))
    .sort()
    .slice(0, MAX_FILES)
    .map((file) => join(root, file));
}
