/**
 * `dockwise lint`: the same engine as the editor, for CI. Exit 0 when clean, 1 when a finding
 * reaches the fail level, 2 on usage or I/O errors.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { glob } from 'tinyglobby';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { lint } from './engine/lint';
import { rules } from './rules';
import type { Severity } from './rules/rule';
import { formatJson, formatSarif, formatText, type FileResult } from './report';
import { findBuildDefinitions } from './workspace/definitions';
import { DiskLinter } from './workspace/diskLinter';
import { DOCKERFILE_GLOB } from './workspace/scan';

const USAGE = `Usage: dockwise lint [paths or globs…] [options]

Lints Dockerfiles. A folder is searched for Dockerfile, Containerfile, Dockerfile.*,
Containerfile.*, *.Dockerfile, *.dockerfile and *.containerfile (default: the current folder).

Options:
  --format text|json|sarif   output format (default: text)
  --fail-level LEVEL         exit 1 when a finding is at least error|warning|info|hint;
                             none never fails (default: warning)
  --trusted-registry HOST    only allow base images from HOST (repeatable)
  --rule ID=LEVEL            set a rule to off|hint|info|warning|error (repeatable)
  -h, --help                 show this help
  -v, --version              show the version
`;

const RANK: Record<Severity, number> = { error: 4, warning: 3, info: 2, hint: 1 };
const SEVERITY_NAME: Record<DiagnosticSeverity, Severity> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};
const LEVELS = new Set(['off', 'hint', 'info', 'warning', 'error']);

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`dockwise ${DOCKWISE_VERSION}\n`);
    return 0;
  }
  const [command, ...targets] = positionals;
  if (command !== 'lint') throw new UsageError(command ? `unknown command "${command}"` : 'missing command "lint"');
  const format = values.format!;
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
  const failLevel = values['fail-level']!;
  if (failLevel !== 'none' && !Object.hasOwn(RANK, failLevel)) throw new UsageError(`--fail-level must be error, warning, info, hint or none, not "${failLevel}"`);
  const overrides: Record<string, Severity | 'off'> = {};
  for (const entry of values.rule!) {
    const [id = '', level = ''] = entry.split('=', 2);
    if (!rules.some((r) => r.meta.id === id)) throw new UsageError(`--rule: unknown rule "${id}"`);
    if (!LEVELS.has(level)) throw new UsageError(`--rule ${id}: level must be off, hint, info, warning or error`);
    overrides[id] = level as Severity | 'off';
  }

  const files = await findDockerfiles(targets.length ? targets : ['.']);
  const definitions = await findBuildDefinitions([...new Set([process.cwd(), ...targets.filter((t) => existsSync(t) && statSync(t).isDirectory()).map((t) => resolve(t))])]);
  const linter = new DiskLinter(definitions, {
    rules: overrides,
    trustedRegistries: values['trusted-registry']!,
    onProblem: (message) => process.stderr.write(`dockwise: ${message}\n`),
  });
  const results: FileResult[] = files.map((path) => {
    const text = readFileSync(path, 'utf8');
    const diagnostics: Diagnostic[] = lint(text, {
      ...linter.optionsFor(path),
      onInternalError: (what, error) => process.stderr.write(`dockwise: internal error in ${what} on ${path}: ${String(error)}\n`),
    });
    return { path: relative(process.cwd(), path) || path, text, diagnostics };
  });

  const output = format === 'json' ? formatJson(results, DOCKWISE_VERSION) : format === 'sarif' ? formatSarif(results, DOCKWISE_VERSION, process.cwd()) : formatText(results);
  process.stdout.write(output);
  if (format === 'text') process.stderr.write(summary(results));
  if (failLevel === 'none') return 0;
  const threshold = RANK[failLevel as Severity];
  const failing = results.some((r) => r.diagnostics.some((d) => RANK[SEVERITY_NAME[d.severity ?? DiagnosticSeverity.Warning]] >= threshold));
  return failing ? 1 : 0;
}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        'fail-level': { type: 'string', default: 'warning' },
        'trusted-registry': { type: 'string', multiple: true, default: [] },
        rule: { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

async function findDockerfiles(targets: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const target of targets) {
    const path = resolve(target);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      stat = undefined;
    }
    if (stat?.isFile()) {
      found.add(path);
      continue;
    }
    const isGlob = /[*?[\]{}]/.test(target);
    if (!stat && !isGlob) throw new Error(`${target}: no such file or folder`);
    const matches = await glob(stat ? [DOCKERFILE_GLOB] : [target], {
      cwd: stat ? path : process.cwd(),
      absolute: true,
      dot: true,
      ignore: ['**/node_modules/**', '**/.git/**'],
    });
    for (const match of matches) if (!match.endsWith('.dockerignore')) found.add(isAbsolute(match) ? match : resolve(match));
  }
  return [...found].sort();
}

function summary(results: readonly FileResult[]): string {
  const all = results.flatMap((r) => r.diagnostics);
  if (all.length === 0) return `dockwise: ${results.length} file(s), no problems\n`;
  const count = (s: DiagnosticSeverity) => all.filter((d) => d.severity === s).length;
  return `dockwise: ${results.length} file(s), ${all.length} problem(s): ${count(DiagnosticSeverity.Error)} error(s), ${count(DiagnosticSeverity.Warning)} warning(s), ${count(DiagnosticSeverity.Information)} info, ${count(DiagnosticSeverity.Hint)} hint(s)\n`;
}

// process.exit() would end the process before a pipe has taken all of stdout (it is asynchronous
// there, and cut at 64 KiB); setting the exit code lets Node exit once the output is written.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`dockwise: ${message}\n${error instanceof UsageError ? `\n${USAGE}` : ''}`);
    process.exitCode = 2;
  },
);
