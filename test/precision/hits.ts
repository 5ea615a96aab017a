/**
 * Every finding dockwise reports on the real-world material beside the project: the corpus (Dockerfiles
 * without their projects, so linted with no build context) and the projects (whole trees that build in
 * their own CI, linted as the CLI lints them, with their compose, bake and devcontainer files).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { glob } from 'tinyglobby';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { findBuildDefinitions } from '../../server/src/workspace/definitions';
import { DiskLinter } from '../../server/src/workspace/diskLinter';
import { DOCKERFILE_GLOB } from '../../server/src/workspace/scan';
import { corpusFiles } from '../corpus';
import { CORPUS, PROJECTS } from '../paths';
import { SNAPSHOT_DAY } from '../snapshotDay';
import { analyze } from '../../server/src/linter';

export type HitSet = 'corpus' | 'projects';

export interface Hit {
  /** `<set>/<path>:<line>` (1-based), with `#2`, `#3` … for further hits of the rule on that line. */
  readonly key: string;
  readonly rule: string;
  readonly severity: 'error' | 'warning' | 'info' | 'hint';
  readonly message: string;
  readonly set: HitSet;
  /** Relative to the set's folder. */
  readonly path: string;
  /** 1-based. */
  readonly line: number;
  readonly endLine: number;
  readonly text: string;
}

const SEVERITY = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
} as const;

/** The projects' Dockerfiles, each project searched as the CLI searches a folder. */
export async function projectFiles(root = PROJECTS): Promise<{ project: string; files: string[] }[]> {
  let names: string[];
  try {
    names = readdirSync(root).filter((name) => statSync(join(root, name)).isDirectory()).sort();
  } catch {
    return [];
  }
  return Promise.all(
    names.map(async (name) => {
      const dir = join(root, name);
      const files = await glob([DOCKERFILE_GLOB], { cwd: dir, absolute: true, dot: true, ignore: ['**/node_modules/**', '**/.git/**'] });
      return { project: dir, files: files.filter((f) => !f.endsWith('.dockerignore')).sort() };
    }),
  );
}

export async function collectHits(): Promise<Hit[]> {
  const hits: Hit[] = [];
  const add = (set: HitSet, root: string, path: string, text: string, analysis: ReturnType<typeof analyze>) => {
    const seen = new Map<string, number>();
    for (const { diagnostic: d } of analysis?.reported ?? []) {
      const rel = relative(root, path);
      const line = d.range.start.line + 1;
      const base = `${set}/${rel}:${line}`;
      const n = (seen.get(`${d.code} ${base}`) ?? 0) + 1;
      seen.set(`${d.code} ${base}`, n);
      hits.push({
        key: n === 1 ? base : `${base}#${n}`,
        rule: String(d.code),
        severity: SEVERITY[d.severity ?? DiagnosticSeverity.Warning],
        message: typeof d.message === 'string' ? d.message : d.message.value,
        set,
        path: rel,
        line,
        endLine: d.range.end.line + 1,
        text,
      });
    }
  };
  for (const path of corpusFiles()) {
    const text = readFileSync(path, 'utf8');
    add('corpus', CORPUS, path, text, analyze(text, { context: { trustedRegistries: [], today: SNAPSHOT_DAY } }));
  }
  for (const { project, files } of await projectFiles()) {
    const linter = new DiskLinter(await findBuildDefinitions([project]), { today: SNAPSHOT_DAY });
    for (const path of files) {
      const text = readFileSync(path, 'utf8');
      add('projects', PROJECTS, path, text, linter.analyze(path, text));
    }
  }
  return hits;
}
