import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CORPUS } from './paths';

const DOCKERFILE = /^(?:Dockerfile|Containerfile)(?:\..+)?$|\.(?:dockerfile|containerfile)$/i;

/** Every Dockerfile under the corpus, or none when the corpus is not beside the project. */
export function corpusFiles(dir = CORPUS): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return corpusFiles(path);
    return DOCKERFILE.test(basename(path)) && !name.endsWith('.dockerignore') ? [path] : [];
  });
}
