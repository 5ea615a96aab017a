/**
 * `dockwise lint`: the same engine as the editor, for CI. Exit 0 when clean, 1 when a finding
 * reaches the fail level, 2 on usage, configuration or I/O errors.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { unifiedDiff } from './cli/diff';
import { baseImages, defaultCacheDir, OnlineImages } from './cli/online';
import { readCommandLine, UsageError, USAGE, type LintCommand } from './cli/options';
import { printConfig } from './cli/printConfig';
import { findDockerfiles } from './cli/targets';
import type { LintOptions } from './engine/lint';
import { countBySeverity, formatReport, lintForReport, severityOf, type FileResult } from './report';
import { visible } from './report/escape';
import type { Severity } from './engine/rule';
import { findBuildDefinitions } from './workspace/definitions';
import { DiskLinter } from './workspace/diskLinter';
import { readCapped, readDescriptorCapped } from './workspace/readCapped';
import { fixAll } from './linter';

const RANK: Record<Severity, number> = { error: 4, warning: 3, info: 2, hint: 1 };

interface Input {
  /** Absolute; for stdin, the file it stands for, which need not exist. */
  readonly path: string;
  /** As reports name it: relative to the working folder. */
  readonly shown: string;
  readonly text: string;
  readonly fromStdin: boolean;
}

interface Linted {
  readonly input: Input;
  /** The text after `--fix` or `--fix-dry-run`; the input's otherwise. */
  readonly text: string;
  readonly result: FileResult;
}

const note = (message: string) => process.stderr.write(`dockwise: ${message}\n`);

/**
 * `SOURCE_DATE_EPOCH` (the reproducible-builds convention) sets the day support ends are judged as
 * of, so a CI run can be reproduced later with the same findings; today otherwise.
 */
function reproducibleDay(epoch = process.env.SOURCE_DATE_EPOCH): string | undefined {
  return epoch && /^\d{1,12}$/.test(epoch) ? new Date(Number(epoch) * 1000).toISOString().slice(0, 10) : undefined;
}

async function main(argv: readonly string[]): Promise<number> {
  const command = readCommandLine(argv);
  if ('help' in command) {
    process.stdout.write(USAGE);
    return 0;
  }
  if ('version' in command) {
    process.stdout.write(`dockwise ${DOCKWISE_VERSION}\n`);
    return 0;
  }
  const cwd = process.cwd();
  const folders = command.targets.filter((t) => existsSync(t) && statSync(t).isDirectory()).map((t) => resolve(cwd, t));
  // The folders linted: build definitions are found in them, and build contexts outside them are not read.
  const roots = [...new Set([cwd, ...folders])];
  const online = command.online ? new OnlineImages(command.cacheDir ?? defaultCacheDir(), note) : undefined;
  // What the repository makes us leave out is said with its control characters escaped (a compose context can be any string).
  const noteVisibly = (message: string) => note(visible(message));
  const today = reproducibleDay();
  const linter = new DiskLinter(await findBuildDefinitions(roots, noteVisibly), {
    roots,
    ...(today ? { today } : {}),
    rules: command.rules,
    trustedRegistries: command.trustedRegistries,
    targetPlatforms: command.targetPlatforms,
    ...(command.configFile !== undefined ? { configFile: command.configFile } : {}),
    ...(online ? { images: online.images } : {}),
    onProblem: noteVisibly,
  });
  if (command.printConfig !== undefined) {
    process.stdout.write(printConfig(linter, resolve(cwd, command.printConfig), cwd));
    return 0;
  }

  const inputs = await readInputs(command, linter, cwd);
  if (online) {
    for (const input of inputs) online.want(input.path, baseImages(input.text, optionsFor(linter, input)), linter.configFor(input.path)?.config.registry);
    await online.gather();
  }
  const linted = inputs.map((input): Linted => {
    const options = optionsFor(linter, input);
    const text = command.fix === 'no' ? input.text : fixAll(input.text, options, { unsafe: command.fixUnsafe });
    const result = lintForReport(input.shown, text, options);
    // Files around it that could not be used, some only found out while the rules ran (.dockerignore).
    linter.reportProblems(input.path);
    return { input, text, result };
  });
  write(linted, command, cwd);

  if (command.failLevel === 'none') return 0;
  const threshold = RANK[command.failLevel];
  return linted.some((l) => l.result.items.some((item) => RANK[severityOf(item.diagnostic)] >= threshold)) ? 1 : 0;
}

/**
 * The Dockerfiles to lint, each with its configuration checked first: a broken `.dockwise.yaml`
 * stops the run before anything is linted. `ignorePaths` matches are left out (saying so when the
 * file was named on the command line).
 */
async function readInputs(command: LintCommand, linter: DiskLinter, cwd: string): Promise<Input[]> {
  const shown = (path: string) => relative(cwd, path) || path;
  if (command.targets[0] === '-') {
    const path = resolve(cwd, command.stdinFilename ?? '<stdin>');
    const ignored = linter.isIgnored(path);
    const read = readDescriptorCapped(0, 'dockerfile');
    if ('problem' in read) throw new Error(`stdin: ${read.problem}`);
    const text = read.text;
    if (!ignored) return [{ path, shown: command.stdinFilename === undefined ? '<stdin>' : shown(path), text, fromStdin: true }];
    note(`${visible(shown(path))} is left out by ignorePaths in ${visible(shown(linter.configFor(path)!.path))}`);
    // A formatter pipeline still gets its text back.
    if (command.fix === 'write') process.stdout.write(text);
    return [];
  }
  const targets = await findDockerfiles(command.targets.length ? command.targets : ['.'], cwd, (message) => note(visible(message)));
  const kept = targets.filter(({ path, named }) => {
    if (!linter.isIgnored(path)) return true;
    if (named) note(`${visible(shown(path))} is left out by ignorePaths in ${visible(shown(linter.configFor(path)!.path))}`);
    return false;
  });
  // Read as the server reads files: regular files only, at most 1 MB (a bigger one is said on stderr and left out).
  return kept.flatMap(({ path }) => {
    const read = readCapped(path, 'dockerfile');
    if ('problem' in read) {
      note(visible(`${shown(path)}: ${read.problem}`));
      return [];
    }
    return [{ path, shown: shown(path), text: read.text, fromStdin: false }];
  });
}

function optionsFor(linter: DiskLinter, input: Input): LintOptions {
  const options = linter.optionsFor(input.path);
  // stdin without a file name has no build context, as `docker build -` has none.
  const context = input.fromStdin && input.shown === '<stdin>' ? { ...options.context!, buildContext: undefined } : options.context;
  return {
    ...options,
    ...(context ? { context } : {}),
    onInternalError: (what, error) => note(`internal error in ${what} on ${visible(input.shown)}: ${String(error)}`),
  };
}

/** The report on stdout, a summary on stderr; `--fix` on stdin puts the fixed text on stdout and the report on stderr. */
function write(linted: readonly Linted[], command: LintCommand, cwd: string): void {
  const results = linted.map((l) => l.result);
  const changed = linted.filter((l) => l.text !== l.input.text);
  if (command.fix === 'dry-run') {
    const diff = changed.map((l) => unifiedDiff(l.input.shown, l.input.text, l.text)).join('');
    // A patch must hold the file's own bytes; a terminal must not obey them.
    process.stdout.write(process.stdout.isTTY ? visible(diff, '\t\n') : diff);
    process.stderr.write(summary(results, `${changed.length} file(s) would be fixed`));
    return;
  }
  const fixingStdin = command.fix === 'write' && linted.some((l) => l.input.fromStdin);
  if (command.fix === 'write') for (const l of changed) if (!l.input.fromStdin) writeFileSync(l.input.path, l.text);
  if (fixingStdin) process.stdout.write(linted[0]!.text);
  const stream = fixingStdin ? process.stderr : process.stdout;
  stream.write(formatReport(command.format, results, { version: DOCKWISE_VERSION, root: cwd, color: useColor(command, stream) }));
  // Always on stderr, whatever the format: a CI log then says what the report file holds.
  process.stderr.write(summary(results, command.fix === 'write' ? `fixed ${changed.length} file(s)` : undefined));
}

/** `--no-color`, then NO_COLOR, then FORCE_COLOR, then whether the output is a terminal. */
function useColor(command: LintCommand, stream: NodeJS.WriteStream): boolean {
  if (command.noColor || process.env.NO_COLOR) return false;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return stream.isTTY === true;
}

function summary(results: readonly FileResult[], fixes?: string): string {
  const counts = countBySeverity(results);
  const total = counts.error + counts.warning + counts.info + counts.hint;
  const found = total === 0 ? 'no problems' : `${total} problem(s): ${counts.error} error(s), ${counts.warning} warning(s), ${counts.info} info, ${counts.hint} hint(s)`;
  return `dockwise: ${fixes ? `${fixes}; ` : ''}${results.length} file(s), ${found}\n`;
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
