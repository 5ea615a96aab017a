import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The project root, found from wherever the bundled test file runs. */
export const ROOT = (() => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'server'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no project root above ${__dirname}`);
    dir = up;
  }
  return dir;
})();

/** Real-world Dockerfiles kept beside the project (see its SOURCES.md). */
export const CORPUS = resolve(process.env.DOCKWISE_CORPUS ?? join(ROOT, '../shared/corpus'));

/** Real projects with their whole trees, which build in their own CI (see its SOURCES.md). */
export const PROJECTS = resolve(process.env.DOCKWISE_PROJECTS ?? join(ROOT, '../shared/projects'));
