/** The command line of `dockwise lint`, read into typed options; anything wrong is a `UsageError` (exit 2). */
import { parseArgs } from 'node:util';
import type { RuleLevel } from '../engine/lint';
import { REPORT_FORMATS, type ReportFormat } from '../report';
import { rules } from '../rules';
import type { Severity } from '../engine/rule';
import { PLATFORM_PATTERN, RULE_LEVELS } from '../settings';

export const USAGE = `Usage: dockwise lint [paths or globs…] [options]
       dockwise lint - --stdin-filename PATH [options]

Lints Dockerfiles. A folder is searched for Dockerfile, Containerfile, Dockerfile.*,
Containerfile.*, *.Dockerfile, *.dockerfile and *.containerfile (default: the current folder).
Settings come from the nearest .dockwise.yaml (or .dockwise.yml) above each Dockerfile;
the options below win over it.

Options:
  --format FORMAT            text, json, sarif, github, gitlab or checkstyle (default: text)
  --fail-level LEVEL         exit 1 when a finding is at least error|warning|info|hint;
                             none never fails (default: warning)
  --rule ID=LEVEL            set a rule to off|hint|info|warning|error (repeatable)
  --trusted-registry HOST    only allow base images from HOST (repeatable)
  --target-platform OS/ARCH  a platform the images must run on (repeatable;
                             default linux/amd64 and linux/arm64)
  --config FILE              use FILE for every Dockerfile instead of the nearest .dockwise.yaml
  --print-config PATH        print the settings that apply to the Dockerfile at PATH, as JSON
  --stdin-filename PATH      with "-": lint stdin as if it were the file at PATH
  --fix                      apply the safe fixes in place, then report what is left
                             (with stdin: write the fixed text to stdout, the report to stderr)
  --fix-dry-run              print the fixes as a unified diff instead of applying them
  --fix-unsafe               with --fix or --fix-dry-run: also apply fixes that change behaviour
  --online                   ask registries about base images (platforms, smaller variants,
                             stale digest pins, default user), as the editor does
  --cache-dir DIR            with --online: where registry answers are kept
                             (default: a dockwise folder in the user's cache folder)
  --no-color                 no colour in text output (also NO_COLOR=1; FORCE_COLOR=1 forces it)
  -h, --help                 show this help
  -v, --version              show the version
`;

export class UsageError extends Error {}

export interface LintCommand {
  /** Paths and globs as given; empty for the current folder; `['-']` for stdin. */
  readonly targets: readonly string[];
  readonly stdinFilename?: string;
  readonly format: ReportFormat;
  readonly failLevel: Severity | 'none';
  readonly rules: Readonly<Record<string, RuleLevel>>;
  readonly trustedRegistries: readonly string[];
  readonly targetPlatforms: readonly string[];
  readonly configFile?: string;
  readonly printConfig?: string;
  readonly fix: 'no' | 'write' | 'dry-run';
  readonly fixUnsafe: boolean;
  readonly online: boolean;
  readonly cacheDir?: string;
  readonly noColor: boolean;
}

export type Command = { readonly help: true } | { readonly version: true } | LintCommand;

const FAIL_LEVELS = ['error', 'warning', 'info', 'hint', 'none'];
const PLATFORM = new RegExp(PLATFORM_PATTERN);

export function readCommandLine(argv: readonly string[]): Command {
  const { values, positionals } = parse(argv);
  if (values.help) return { help: true };
  if (values.version) return { version: true };
  const [command, ...targets] = positionals;
  if (command !== 'lint') throw new UsageError(command ? `unknown command "${command}"` : 'missing command "lint"');

  const format = values.format ?? 'text';
  if (!REPORT_FORMATS.includes(format as ReportFormat)) throw new UsageError(`--format must be ${REPORT_FORMATS.join(', ')}, not "${format}"`);
  const failLevel = values['fail-level'];
  if (!FAIL_LEVELS.includes(failLevel)) throw new UsageError(`--fail-level must be ${FAIL_LEVELS.join(', ')}, not "${failLevel}"`);
  const levels: Record<string, RuleLevel> = {};
  for (const entry of values.rule) {
    const [id = '', level = ''] = entry.split('=', 2);
    if (!rules.some((r) => r.meta.id === id)) throw new UsageError(`--rule: unknown rule "${id}"`);
    if (!RULE_LEVELS.includes(level as RuleLevel)) throw new UsageError(`--rule ${id}: level must be ${RULE_LEVELS.join(', ')}`);
    levels[id] = level as RuleLevel;
  }
  for (const platform of values['target-platform']) if (!PLATFORM.test(platform)) throw new UsageError(`--target-platform must be os/arch or os/arch/variant, not "${platform}"`);

  const stdin = targets.includes('-');
  if (stdin && targets.length > 1) throw new UsageError('"-" (stdin) cannot be combined with other paths');
  if (values['stdin-filename'] !== undefined && !stdin) throw new UsageError('--stdin-filename needs "-" to read stdin');
  if (values['print-config'] !== undefined && targets.length > 0) throw new UsageError('--print-config takes one path and no others');
  if (values.fix && values['fix-dry-run']) throw new UsageError('--fix and --fix-dry-run cannot be combined');
  if (values['fix-unsafe'] && !values.fix && !values['fix-dry-run']) throw new UsageError('--fix-unsafe needs --fix or --fix-dry-run');
  // The diff is the output: a report in another format would have nowhere to go.
  if (values['fix-dry-run'] && values.format !== undefined) throw new UsageError('--fix-dry-run prints a diff and takes no --format');
  if (values['cache-dir'] !== undefined && !values.online) throw new UsageError('--cache-dir needs --online');

  return {
    targets,
    ...(values['stdin-filename'] !== undefined ? { stdinFilename: values['stdin-filename'] } : {}),
    format: format as ReportFormat,
    failLevel: failLevel as Severity | 'none',
    rules: levels,
    trustedRegistries: values['trusted-registry'],
    targetPlatforms: values['target-platform'],
    ...(values.config !== undefined ? { configFile: values.config } : {}),
    ...(values['print-config'] !== undefined ? { printConfig: values['print-config'] } : {}),
    fix: values.fix ? 'write' : values['fix-dry-run'] ? 'dry-run' : 'no',
    fixUnsafe: values['fix-unsafe'] === true,
    online: values.online === true,
    ...(values['cache-dir'] !== undefined ? { cacheDir: values['cache-dir'] } : {}),
    noColor: values['no-color'] === true,
  };
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        // No default: --fix-dry-run needs to know whether a format was asked for.
        format: { type: 'string' },
        'fail-level': { type: 'string', default: 'warning' },
        'trusted-registry': { type: 'string', multiple: true, default: [] },
        'target-platform': { type: 'string', multiple: true, default: [] },
        rule: { type: 'string', multiple: true, default: [] },
        config: { type: 'string' },
        'print-config': { type: 'string' },
        'stdin-filename': { type: 'string' },
        fix: { type: 'boolean' },
        'fix-dry-run': { type: 'boolean' },
        'fix-unsafe': { type: 'boolean' },
        online: { type: 'boolean' },
        'cache-dir': { type: 'string' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
