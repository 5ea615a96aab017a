// The readers of what lies around a Dockerfile, fuzzed: compose and bake files, .dockerignore and
// .hadolint.yaml, from real ones (the projects beside the repository and the repository's own
// fixtures) mutated with the Dockerfile fuzzer's mutations and each format's own tokens. Each input
// is written to disk and read as the server reads it; the readers must never throw, and must stay
// within a CPU budget for the input's size.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { bakeDefinitions } from '../../server/src/workspace/bake';
import { BuildContextReader } from '../../server/src/workspace/buildContext';
import { composeDefinitions } from '../../server/src/workspace/compose';
import { dockerignoreMatcher } from '../../server/src/workspace/dockerignore';
import { PROJECTS, ROOT } from '../paths';
import { MUTATIONS, picker, type Mutation } from './fuzzer';

export type ConfigKind = 'compose' | 'bake-hcl' | 'bake-json' | 'dockerignore' | 'hadolint';
export type ConfigSeeds = Record<ConfigKind, string[]>;

export interface ConfigFailure {
  readonly kind: ConfigKind;
  readonly input: string;
  readonly problem: string;
}

const FILE_NAME: Record<ConfigKind, string> = {
  compose: 'compose.yaml',
  'bake-hcl': 'docker-bake.hcl',
  'bake-json': 'docker-bake.json',
  dockerignore: '.dockerignore',
  hadolint: '.hadolint.yaml',
};

const TOKENS: Record<ConfigKind, readonly string[]> = {
  compose: ['<<: *a', '&a ', '*a', '${X:-y}', '${X?err}', '$$', '- ', ': ', '{', '}', '[', ']', '"', "'", '\t', '\n  ', 'include:\n  - compose.yaml\n', 'extends: { service: s }', 'build: .', 'context: /', 'context: ../..', 'dockerfile: /dev/zero', '!!binary ', '? ', '---\n', '%YAML 1.2\n'],
  'bake-hcl': ['target "x" {', '}', '${', '"', 'inherits = [', 'matrix = {', '#', '//', '/*', '*/', '<<EOT\n', 'EOT\n', 'variable "v" { default = "${v}" }', 'context = "/"', '= ', '[', ']', ',', 'for x in [1]: x', '? :', '\\'],
  'bake-json': ['{', '}', '[', ']', '"', ':', ',', '"target": {', '"context": "/"', '"inherits": ["a"]', 'null', '1e999', '\\u0000'],
  dockerignore: ['**/', '*', '!', '[', ']', '[^a]', '\\', '?', '/', '..', './', '#', '\n', 'node_modules', '**', '*a*a*a*b', '\r\n'],
  hadolint: ['ignored:\n  - DL3007\n', 'override:\n  error: [DL3008]\n', 'trustedRegistries: [docker.io]\n', '<<: *a', '&a ', '*a', '- ', ': ', '{', '}', '[', ']', '"'],
};

/** Real files of each kind, and a few written here so that no kind is ever without seeds. */
export function configSeeds(): ConfigSeeds {
  const seeds: ConfigSeeds = {
    compose: ['services:\n  web:\n    build:\n      context: .\n      dockerfile: Dockerfile\n      args: { A: "1" }\n      target: prod\n'],
    'bake-hcl': ['variable "TAG" { default = "1" }\ngroup "default" { targets = ["app"] }\ntarget "app" {\n  context = "."\n  dockerfile = "Dockerfile"\n  args = { TAG = "${TAG}" }\n  tags = ["app:${TAG}"]\n}\ntarget "m" {\n  inherits = ["app"]\n  matrix = { v = ["a", "b"] }\n  name = "m-${v}"\n}\n'],
    'bake-json': ['{"target": {"app": {"context": ".", "dockerfile": "Dockerfile", "args": {"A": "1"}}}}\n'],
    dockerignore: ['node_modules\n**/*.pyc\n!keep.pyc\n.git\n'],
    hadolint: ['ignored:\n  - DL3007\ntrustedRegistries:\n  - docker.io\noverride:\n  warning: [DL3008]\n'],
  };
  const visit = (dir: string, depth: number) => {
    if (depth > 8) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== '.git') visit(path, depth + 1);
        continue;
      }
      if (!entry.isFile()) continue;
      const name = basename(path);
      const kind: ConfigKind | undefined = /^(?:docker-)?compose(?:\..+)?\.ya?ml$/.test(name)
        ? 'compose'
        : /^docker-bake.*\.hcl$/.test(name)
          ? 'bake-hcl'
          : /^docker-bake.*\.json$/.test(name)
            ? 'bake-json'
            : name === '.dockerignore' || name.endsWith('.dockerignore')
              ? 'dockerignore'
              : /^\.hadolint\.ya?ml$/.test(name)
                ? 'hadolint'
                : undefined;
      if (kind && seeds[kind].length < 200) seeds[kind].push(readFileSync(path, 'utf8'));
    }
  };
  visit(PROJECTS, 0);
  visit(join(ROOT, 'test/fixtures'), 0);
  return seeds;
}

/** Budget for reading one input: the readers are linear, so a fixed part and a part per KB. */
const budgetMs = (text: string) => 300 + 20 * (text.length / 1024);
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

let folder: string | undefined;
/** A scratch workspace for the inputs: a Dockerfile and a few files beside them. */
function scratch(): string {
  if (!folder) {
    folder = realpathSync(mkdtempSync(join(tmpdir(), 'dockwise-config-fuzz-')));
    process.once('exit', () => rmSync(folder!, { recursive: true, force: true }));
    for (const file of ['Dockerfile', 'app.py', 'src/main.py', 'src/deep/x.pyc', 'node_modules/a/index.js', 'keep.pyc']) {
      mkdirSync(join(folder, file, '..'), { recursive: true });
      writeFileSync(join(folder, file), file === 'Dockerfile' ? 'FROM alpine:3.20\nCOPY . /app\n' : '');
    }
  }
  return folder;
}

const PATHS = ['app.py', 'src', 'src/main.py', 'src/deep/x.pyc', 'node_modules', 'node_modules/a/index.js', 'keep.pyc', '.git', 'a/b/c/d/e/f/g', 'a'.repeat(300), `${'x/'.repeat(100)}y`];

/** What is wrong with reading one input, if anything. */
export function checkConfig(kind: ConfigKind, text: string): string | undefined {
  const dir = scratch();
  const file = join(dir, FILE_NAME[kind]);
  writeFileSync(file, text);
  const started = cpuMs();
  try {
    if (kind === 'compose') {
      const found = composeDefinitions([file], { within: [dir] });
      for (const d of found.definitions) if (typeof d.context !== 'string' || typeof d.dockerfile !== 'string') return 'a definition without a context or a Dockerfile';
    } else if (kind === 'bake-hcl' || kind === 'bake-json') {
      const found = bakeDefinitions([file], [dir]);
      for (const d of found.definitions) if (typeof d.context !== 'string' || typeof d.dockerfile !== 'string') return 'a definition without a context or a Dockerfile';
    } else {
      const found = new BuildContextReader({ roots: () => [dir] }).read(join(dir, 'Dockerfile'));
      if (kind === 'dockerignore') {
        for (const path of [...(found.buildContext.paths ?? []), ...PATHS]) found.buildContext.isIgnored?.(path);
        const matcher = dockerignoreMatcher(text);
        for (const path of PATHS) if (typeof matcher.ignores(path) !== 'boolean') return 'the matcher answered something else than a boolean';
      } else if (!found.hadolint) {
        return 'the .hadolint.yaml was not found';
      }
    }
  } catch (error) {
    return `exception: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  } finally {
    rmSync(file, { force: true });
  }
  const elapsed = cpuMs() - started;
  const budget = budgetMs(text);
  return elapsed > budget ? `reading took ${elapsed.toFixed(0)} ms of CPU for ${(text.length / 1024).toFixed(1)} KB (budget ${budget.toFixed(0)} ms)` : undefined;
}

const KINDS = Object.keys(FILE_NAME) as ConfigKind[];

/** `runs` mutated inputs of every kind in turn; returns how many failed. */
export function fuzzConfigs(seeds: ConfigSeeds, runs: number, seed: number, onFailure: (f: ConfigFailure) => void): number {
  const pick = picker(seed);
  let failures = 0;
  for (let run = 0; run < runs; run++) {
    const kind = KINDS[run % KINDS.length]!;
    const corpus = seeds[kind];
    const insert: Mutation = (t, p) => {
      const at = p(t.length + 1);
      return t.slice(0, at) + TOKENS[kind][p(TOKENS[kind].length)] + t.slice(at);
    };
    let text = corpus[pick(corpus.length)] ?? '';
    for (let m = 1 + pick(3); m > 0; m--) text = (pick(3) === 0 ? insert : MUTATIONS[pick(MUTATIONS.length)]!)(text, pick, corpus);
    const problem = checkConfig(kind, text);
    if (problem) {
      failures++;
      onFailure({ kind, input: text, problem });
    }
  }
  return failures;
}
