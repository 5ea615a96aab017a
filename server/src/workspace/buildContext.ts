/**
 * Facts from the file system around a Dockerfile, for the rules' context: whether a
 * .dockerignore applies and which .hadolint.yaml governs it. Used by the server and the CLI.
 * Reads are small and cached per folder until `forget` is told something changed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseHadolintConfig, type HadolintConfig } from '../engine/hadolintConfig';

export interface DockerfileSurroundings {
  readonly hasDockerignore: boolean;
  /** Names at the top of the build context (at most MAX_LISTED). */
  readonly files: readonly string[];
  readonly hadolint?: { readonly path: string; readonly config: HadolintConfig; readonly problem?: string };
}

const HADOLINT_FILES = ['.hadolint.yaml', '.hadolint.yml'];
/** Manifests sit at the top of a context; a huge folder is not worth listing in full. */
const MAX_LISTED = 2000;

export class BuildContextReader {
  private readonly hadolintByDir = new Map<string, DockerfileSurroundings['hadolint'] | null>();

  /** Facts for a Dockerfile on disk; its folder is taken as the build context. */
  read(dockerfilePath: string): DockerfileSurroundings {
    const dir = dirname(dockerfilePath);
    const hasDockerignore = existsSync(join(dir, '.dockerignore')) || existsSync(join(dir, `${basename(dockerfilePath)}.dockerignore`));
    const hadolint = this.hadolintFor(dir);
    let files: string[] = [];
    try {
      files = readdirSync(dir).slice(0, MAX_LISTED);
    } catch {
      // An unreadable folder lists nothing; fixes then fall back to optional globs.
    }
    return { hasDockerignore, files, ...(hadolint ? { hadolint } : {}) };
  }

  /** Drops what is cached, after files changed on disk. */
  forget(): void {
    this.hadolintByDir.clear();
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
