/**
 * The catalogue of what BuildKit refuses, instruction by instruction, in its own words: the reader's refusal (parse
 * stage), the first error `instructions/parse.go` and `bflag.go` give each instruction, and the
 * flag values and variable expansions dockerfile2llb checks when it dispatches a stage (convert stage). docs/buildkit-reading.md
 * lists every message and test/fixtures/buildkit/ shows each one.
 *
 * Several rules report parts of this: `unknown-instruction`, `unknown-flag`,
 * `instruction-missing-arguments`, `onbuild-invalid` and `copy-from-unknown-stage` each own the
 * problems tagged with their id, and `buildkit-refuses` reports the rest, so no problem is reported twice.
 */
import { editDistanceWithin } from './editDistance';
import { execStrings, type ReadFlag, type ReadInstruction } from './reader';
import { expand } from './variables';
import { targetStages } from './query';
import type { RuleContext } from './context';
import { carryOver, type DockerfileModel } from './model';
import { stageContentKeys } from './stageKeys';
import { weakMemo } from './memo';

export type Owner = 'buildkit-refuses' | 'unknown-instruction' | 'unknown-flag' | 'instruction-missing-arguments' | 'onbuild-invalid' | 'copy-from-unknown-stage';

export interface Problem {
  readonly owner: Owner;
  /** BuildKit's message, without its `dockerfile parse error on line N:` prefix. */
  readonly message: string;
  /** Document offsets. */
  readonly start: number;
  readonly end: number;
  /**
   * `parse`/`instructions`: BuildKit refuses the whole file. `convert`: the build fails when the stage
   * is dispatched (it is reachable from the target).
   */
  readonly when: 'parse' | 'instructions' | 'convert';
  /** The stage the instruction belongs to, for convert-stage problems. */
  readonly stage?: number;
  /** For `unknown-flag`: the flag's name as written, and the instruction's flags. */
  readonly flag?: { readonly name: string; readonly known: readonly string[] };
  /** A convert-stage check BuildKit makes for every stage, reached by the build or not (FROM, meta ARGs). */
  readonly always?: boolean;
  /** The problem goes away if something the file cannot show says otherwise: what (`--build-arg NAME is passed`). */
  readonly outside?: string;
}

type FlagType = 'bool' | 'string' | 'strings';

/** The flags each instruction defines, in BuildKit's order (instructions/parse.go and commands_run*.go). */
export const BUILDKIT_FLAGS: Readonly<Record<string, Readonly<Record<string, FlagType>>>> = {
  ADD: { chown: 'string', chmod: 'string', link: 'bool', 'keep-git-dir': 'bool', checksum: 'string', unpack: 'bool', exclude: 'strings' },
  COPY: { chown: 'string', from: 'string', chmod: 'string', link: 'bool', exclude: 'strings', parents: 'bool' },
  FROM: { platform: 'string' },
  RUN: { device: 'strings', mount: 'strings', network: 'string', security: 'string' },
  HEALTHCHECK: { interval: 'string', timeout: 'string', 'start-period': 'string', 'start-interval': 'string', retries: 'string' },
};

/** BuildKit's instruction names (frontend/dockerfile/command). */
export const BUILDKIT_INSTRUCTIONS = ['ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR'];

/**
 * A `# syntax=` directive naming a frontend other than Docker's Dockerfile frontend: that frontend
 * reads the file, with its own instructions and flags.
 */
export function foreignFrontend(model: DockerfileModel): boolean {
  const syntax = model.reading.directives.find((d) => d.name === 'syntax')?.value.trim();
  return syntax !== undefined && !/^(?:(?:docker\.io\/)?docker\/dockerfile(?:-upstream)?(?:[:@]\S*)?)$/i.test(syntax);
}

/**
 * util/suggest WrapErrorMaybe: the closest option below Levenshtein distance 3 (`mindist := 3`, `dist <
 * mindist`), cased like the value when not case-sensitive. BuildKit walks a Go map, so between options
 * at the same distance it picks one at random (`--chwon`: chown or chmod); then all of them are returned.
 */
export function suggestions(value: string, options: readonly string[], caseSensitive: boolean): string[] {
  const val = caseSensitive ? value : value.toLowerCase();
  let matches: string[] = [];
  let min = MAX_SUGGESTED_DISTANCE;
  for (const option of options) {
    const opt = caseSensitive ? option : option.toLowerCase();
    if (val === opt) return [];
    const distance = editDistanceWithin(val, opt, MAX_SUGGESTED_DISTANCE);
    if (distance === undefined) continue;
    const cased = caseSensitive ? opt : value === value.toLowerCase() ? opt.toLowerCase() : value === value.toUpperCase() ? opt.toUpperCase() : opt;
    if (distance < min) {
      min = distance;
      matches = [cased];
    } else if (distance === min) matches.push(cased);
  }
  return matches;
}

const MAX_SUGGESTED_DISTANCE = 2;

const suggested = (message: string, value: string, options: readonly string[], caseSensitive: boolean) => {
  const matches = suggestions(value, options, caseSensitive);
  return matches.length ? `${message} (did you mean ${matches.join(' or ')}?)` : message;
};

const goQuote = (text: string) => JSON.stringify(text);

/** Every problem BuildKit has with the file, first per instruction, in file order. */
export const buildkitProblems: (model: DockerfileModel) => readonly Problem[] = weakMemo(collect);

function collect(model: DockerfileModel): Problem[] {
  const problems: Problem[] = [];
  const { reading } = model;
  const lineSpan = (startLine: number, endLine: number) => {
    const start = model.document.offsetAt({ line: startLine, character: 0 });
    const end = model.document.offsetAt({ line: endLine + 1, character: 0 });
    const text = model.document.getText().slice(start, end).replace(/\r?\n$/, '');
    return { start, end: start + text.length };
  };
  const foreign = foreignFrontend(model);
  if (!foreign) problems.push(...instructionProblems(model));
  if (!foreign) problems.push(...inheritedTriggerProblems(model));
  const check = reading.directives.find((d) => d.name === 'check');
  const checkError = check && !foreign ? checkOptionsError(check.value) : undefined;
  if (check && checkError) problems.push({ owner: 'buildkit-refuses', message: `failed to parse check options: ${checkError}`, start: check.start, end: check.end, when: 'instructions' });
  if (reading.refusal && !foreign) {
    problems.push({ owner: 'buildkit-refuses', message: reading.refusal.message, ...lineSpan(reading.refusal.startLine, reading.refusal.endLine), when: 'parse' });
  } else if (!foreign && reading.instructions.length > 0 && reading.instructions.every((r) => r.name === 'ARG')) {
    const first = reading.instructions[0]!;
    problems.push({ owner: 'buildkit-refuses', message: 'dockerfile contains no stages to build', start: first.start, end: first.end, when: 'instructions' });
  }
  return problems;
}

type Found = Omit<Problem, 'stage'>;

/** A stage's problems, with offsets from the start of its FROM line, and the variables it leaves to stages built on it. */
interface StageProblems {
  readonly problems: readonly Problem[];
  readonly scope: Scope | undefined;
}

/**
 * Each instruction's problems, in file order. A stage's depend only on what its stage key holds (the
 * stage, the stages it builds on, the text before the first FROM), so where the key is the previous
 * version's, its problems and the variables it leaves are taken from there instead of dispatched again.
 */
function instructionProblems(model: DockerfileModel): Problem[] {
  const { reading, document } = model;
  const froms = reading.instructions.filter((r) => r.name === 'FROM');
  // Keys are the model's stages; they are used only where those are the reading's (past a refusal the model reads on, the reading does not).
  const aligned = froms.length === model.stages.length && froms.every((r, i) => model.stages[i]!.from.read === r);
  const { before, now } = carryOver<StageProblems>(model, 'buildkit-problems');
  // Keyed only while editing (a previous version was given): a first open or the CLI has no next version.
  const keys = aligned && before ? stageContentKeys(model) : undefined;
  const expansion = new Expansions(model);
  const problems: Problem[] = [];
  let stage = -1;
  // The current stage's problems (before the first FROM, the file's), and where its FROM line starts.
  let found = problems;
  let base = 0;
  let kept: StageProblems | undefined;
  const close = () => {
    if (stage < 0 || kept) return;
    problems.push(...found);
    if (keys) now.set(keys[stage]!, { problems: found.map((p) => ({ ...p, start: p.start - base, end: p.end - base })), scope: expansion.current });
  };
  for (const read of reading.instructions) {
    if (read.name === 'FROM') {
      close();
      stage++;
      base = document.offsetAt({ line: read.startLine, character: 0 });
      kept = keys ? before?.get(keys[stage]!) : undefined;
      if (kept) {
        now.set(keys![stage]!, kept);
        problems.push(...kept.problems.map((p) => ({ ...p, start: p.start + base, end: p.end + base })));
        expansion.adopt(kept.scope);
        continue;
      }
      found = [];
    }
    if (kept) continue;
    const problem = instructionProblem(read);
    if (problem) found.push({ ...problem, ...(stage >= 0 ? { stage } : {}) });
    // The builder expands an instruction's words before its other checks, and stops at the first error.
    const expanded = expansion.dispatch(read, stage);
    if (expanded && !problem) found.push({ ...expanded, ...(stage >= 0 ? { stage } : {}) });
    else if (!expanded && !problem && stage >= 0) found.push(...convertProblems(read, stage));
  }
  close();
  return problems;
}

/**
 * dockerfile2llb initOnBuildTriggers: a stage built FROM another stage of the file first runs that
 * stage's ONBUILD triggers, parsed and checked like any instruction; one BuildKit refuses fails the
 * build at the child's FROM.
 */
function inheritedTriggerProblems(model: DockerfileModel): Problem[] {
  const problems: Problem[] = [];
  for (const stage of model.stages) {
    if (stage.base?.kind !== 'stage') continue;
    const from = stage.instructions[0]?.read;
    const parent = model.stages[stage.base.stageIndex];
    if (!from || from.name !== 'FROM' || !parent) continue;
    for (const info of parent.instructions) {
      const onbuild = info.read;
      const trigger = onbuild?.trigger;
      if (!onbuild || !trigger || instructionProblem(onbuild)) continue;
      const found = instructionProblem(trigger) ?? convertProblems(trigger, stage.index)[0];
      if (!found) continue;
      const line = onbuild.startLine + 1;
      problems.push({
        owner: 'buildkit-refuses',
        message: `${found.message} (the ONBUILD trigger on line ${line}, which runs here because this stage builds FROM \`${parent.name ?? parent.index}\`)`,
        start: from.start,
        end: from.end,
        when: 'convert',
        stage: stage.index,
      });
      // BuildKit stops at the first trigger it cannot run.
      break;
    }
  }
  return problems;
}

/**
 * linter.ParseLintOptions on the `# check=` value as dockerfile2llb reads it (parser/directives.go
 * cuts it at the first space): the error, if it fails.
 */
export function checkOptionsError(value: string): string | undefined {
  const text = value.split(' ')[0]!.trim();
  if (text === '') return undefined;
  const parts = text.split(';');
  const limited = parts.length > 3 ? [...parts.slice(0, 2), parts.slice(2).join(';')] : parts;
  for (const part of limited) {
    const eq = part.indexOf('=');
    if (eq === -1) return `invalid check option ${goQuote(part)}`;
    const key = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (key === 'skip' || key === 'experimental') continue;
    if (key === 'error') {
      if (!GO_BOOL.has(v)) return `failed to parse check option ${goQuote(part)}: strconv.ParseBool: parsing ${goQuote(v)}: invalid syntax`;
      continue;
    }
    return `invalid check option ${goQuote(key)}`;
  }
  return undefined;
}

/** Whitespace-separated words of what follows the flags, with document offsets. */
function restWords(read: ReadInstruction): { text: string; start: number; end: number }[] {
  const words: { text: string; start: number; end: number }[] = [];
  const segment = read.line.slice(read.restAt, read.restAt + read.rest.length);
  for (const match of segment.matchAll(/[^\t\v\f\r ]+/g)) {
    const from = read.restAt + match.index;
    words.push({ text: match[0], start: read.offsetAt(from), end: read.offsetAt(from + match[0].length - 1) + 1 });
  }
  return words;
}

/** The instruction's arguments with document offsets, in JSON or word form. */
export function argumentSpans(read: ReadInstruction): { text: string; start: number; end: number }[] {
  if (read.json) return execStrings(read).map((s) => ({ text: s.value, start: s.start, end: s.end }));
  return restWords(read);
}

function keywordSpan(read: ReadInstruction) {
  return { start: read.start, end: read.start + read.keyword.length };
}

function restSpan(read: ReadInstruction) {
  if (read.rest === '') return keywordSpan(read);
  return { start: read.offsetAt(read.restAt), end: read.offsetAt(read.restAt + read.rest.length - 1) + 1 };
}

function flagSpan(flag: ReadFlag) {
  return { start: flag.start, end: flag.end };
}

interface ParsedFlags {
  readonly values: ReadonlyMap<string, readonly string[]>;
}

/** bflag.go BFlags.Parse. */
function parseFlags(read: ReadInstruction, spec: Readonly<Record<string, FlagType>>): ParsedFlags | Found {
  const values = new Map<string, string[]>();
  for (const flag of read.flags) {
    const eq = flag.text.indexOf('=');
    const flagName = eq === -1 ? flag.text : flag.text.slice(0, eq);
    const value = eq === -1 ? '' : flag.text.slice(eq + 1);
    const name = flagName.slice(2);
    const type = Object.hasOwn(spec, name) ? spec[name] : undefined;
    const at = flagSpan(flag);
    if (!type) {
      const known = Object.keys(spec);
      return { owner: 'unknown-flag', message: suggested(`unknown flag: ${flagName}`, name, known, true), ...at, when: 'instructions', flag: { name: flagName, known } };
    }
    if (values.has(name) && type !== 'strings') return { owner: 'buildkit-refuses', message: `duplicate flag specified: ${flagName}`, ...at, when: 'instructions' };
    if (type === 'bool') {
      if (eq !== -1 && value === '') return { owner: 'buildkit-refuses', message: `missing a value on flag: ${flagName}`, ...at, when: 'instructions' };
      if (!['true', '', 'false'].includes(value.toLowerCase())) return { owner: 'buildkit-refuses', message: `expecting boolean value for flag ${flagName}, not: ${value}`, ...at, when: 'instructions' };
    } else if (eq === -1) return { owner: 'buildkit-refuses', message: `missing a value on flag: ${flagName}`, ...at, when: 'instructions' };
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return { values };
}

const isFound = (x: ParsedFlags | Found | undefined): x is Found => x !== undefined && 'message' in x;

/** The first error instructions/parse.go gives this instruction, or `undefined` when it accepts it. */
function instructionProblem(read: ReadInstruction): Found | undefined {
  const name = read.name;
  const args = read.args;
  const none = read.rest === '';
  // Argument-count errors on an instruction with nothing after it are "missing arguments".
  const count = (message: string): Found => ({ owner: none && args.length === 0 ? 'instruction-missing-arguments' : 'buildkit-refuses', message, ...(none ? keywordSpan(read) : restSpan(read)), when: 'instructions' });
  const flagsOf = (spec: Readonly<Record<string, FlagType>> = {}) => parseFlags(read, spec);
  switch (name) {
    case 'ENV':
    case 'LABEL': {
      const flags = flagsOf();
      if (isFound(flags)) return flags;
      if (args.length === 0) return count(`${name} requires at least one argument`);
      for (let i = 0; i < args.length; i += 3) if (args[i] === '') return { owner: 'buildkit-refuses', message: `${name} names can not be blank`, ...restSpan(read), when: 'instructions' };
      return undefined;
    }
    case 'MAINTAINER':
    case 'WORKDIR':
    case 'USER': {
      if (args.length !== 1) return count(`${name} requires exactly one argument`);
      const flags = flagsOf();
      return isFound(flags) ? flags : undefined;
    }
    case 'STOPSIGNAL':
      return args.length !== 1 ? count(`${name} requires exactly one argument`) : undefined;
    case 'EXPOSE':
    case 'VOLUME': {
      if (args.length === 0) return count(`${name} requires at least one argument`);
      const flags = flagsOf();
      if (isFound(flags)) return flags;
      if (name === 'VOLUME' && args.some((a) => a.trim() === '')) return { owner: 'buildkit-refuses', message: 'VOLUME specified can not be an empty string', ...restSpan(read), when: 'instructions' };
      return undefined;
    }
    case 'ARG': {
      if (args.length === 0) return count('ARG requires at least one argument');
      const blank = args.findIndex((a) => a.startsWith('='));
      if (blank !== -1) return { owner: 'buildkit-refuses', message: 'ARG names can not be blank', ...restSpan(read), when: 'instructions' };
      return undefined;
    }
    case 'ADD':
    case 'COPY': {
      if (args.length < 2) return count(`${name} requires at least two arguments, but only one was provided. Destination could not be determined`);
      const flags = flagsOf(BUILDKIT_FLAGS[name]);
      if (isFound(flags)) return flags;
      const dest = args.at(-1)!;
      if (!read.json && /^\d*<<-?\s*\S/.test(dest) && read.heredocs.length > 0) {
        const spans = argumentSpans(read);
        return { owner: 'buildkit-refuses', message: `${name} cannot accept a heredoc as a destination`, ...(spans.at(-1) ?? restSpan(read)), when: 'instructions' };
      }
      return undefined;
    }
    case 'FROM': {
      if (args.length === 3 && args[1]!.toLowerCase() === 'as') {
        if (!/^[a-z][a-z0-9-_.]*$/.test(args[2]!.toLowerCase())) {
          const word = restWords(read)[2];
          return { owner: 'buildkit-refuses', message: `invalid name for build stage: ${goQuote(args[2]!)}, name can't start with a number or contain symbols`, ...(word ?? restSpan(read)), when: 'instructions' };
        }
      } else if (args.length !== 1) return count('FROM requires either one or three arguments');
      const flags = flagsOf(BUILDKIT_FLAGS.FROM);
      return isFound(flags) ? flags : undefined;
    }
    case 'ONBUILD': {
      if (args.length === 0) return count('ONBUILD requires at least one argument');
      const flags = flagsOf();
      if (isFound(flags)) return flags;
      const trigger = args[0]!.trim().toUpperCase();
      const at = read.trigger ? { start: read.trigger.start, end: read.trigger.start + read.trigger.keyword.length } : restSpan(read);
      if (trigger === 'ONBUILD') return { owner: 'onbuild-invalid', message: 'Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed', ...at, when: 'instructions' };
      if (trigger === 'MAINTAINER' || trigger === 'FROM') return { owner: 'onbuild-invalid', message: `${trigger} isn't allowed as an ONBUILD trigger`, ...at, when: 'instructions' };
      return undefined;
    }
    case 'RUN':
      return runProblem(read);
    case 'CMD':
    case 'ENTRYPOINT': {
      const flags = flagsOf();
      return isFound(flags) ? flags : undefined;
    }
    case 'HEALTHCHECK':
      return healthcheckProblem(read);
    case 'SHELL': {
      const flags = flagsOf();
      if (isFound(flags)) return flags;
      if (args.length === 0) return count('SHELL requires at least one argument');
      if (!read.json) return { owner: 'buildkit-refuses', message: 'SHELL requires the arguments to be in JSON form', ...restSpan(read), when: 'instructions' };
      return undefined;
    }
    default: {
      const message = suggested(`unknown instruction: ${read.keyword}`, read.keyword, BUILDKIT_INSTRUCTIONS, false);
      return { owner: 'unknown-instruction', message, ...keywordSpan(read), when: 'instructions' };
    }
  }
}

function runProblem(read: ReadInstruction): Found | undefined {
  const flags = parseFlags(read, BUILDKIT_FLAGS.RUN!);
  if (isFound(flags)) return flags;
  const flagFor = (name: string, index: number) => read.flags.filter((f) => f.text.startsWith(`--${name}=`))[index];
  const at = (name: string, index = 0) => {
    const flag = flagFor(name, index);
    return flag ? flagSpan(flag) : restSpan(read);
  };
  for (const [i, value] of (flags.values.get('device') ?? []).entries()) {
    const error = deviceError(value);
    if (error) return { owner: 'buildkit-refuses', message: error, ...at('device', i), when: 'instructions' };
  }
  for (const [i, value] of (flags.values.get('mount') ?? []).entries()) {
    const fields = csvFields(value);
    if (typeof fields === 'string') return { owner: 'buildkit-refuses', message: `failed to parse csv mounts: ${fields}`, ...at('mount', i), when: 'instructions' };
    for (const field of fields) {
      const eq = field.indexOf('=');
      if (eq === -1 || field.slice(0, eq).toLowerCase() !== 'from') continue;
      const from = field.slice(eq + 1);
      const dollar = from.indexOf('$');
      if (dollar !== -1 && dollar !== from.length - 1) return { owner: 'copy-from-unknown-stage', message: "'from' doesn't support variable expansion, define alias stage instead", ...at('mount', i), when: 'instructions' };
    }
  }
  const network = flags.values.get('network')?.at(-1);
  if (network !== undefined && !['default', 'none', 'host'].includes(network)) return { owner: 'buildkit-refuses', message: `invalid network mode ${goQuote(network)}`, ...at('network'), when: 'instructions' };
  const security = flags.values.get('security')?.at(-1);
  if (security !== undefined && !['insecure', 'sandbox'].includes(security)) return { owner: 'buildkit-refuses', message: `security ${goQuote(security)} is not valid`, ...at('security'), when: 'instructions' };
  return undefined;
}

function healthcheckProblem(read: ReadInstruction): Found | undefined {
  const args = read.args;
  if (args.length === 0) return { owner: 'instruction-missing-arguments', message: 'HEALTHCHECK requires at least one argument', ...keywordSpan(read), when: 'instructions' };
  const type = args[0]!.toUpperCase();
  const words = restWords(read);
  if (type === 'NONE') return args.length !== 1 ? { owner: 'buildkit-refuses', message: 'HEALTHCHECK NONE takes no arguments', ...restSpan(read), when: 'instructions' } : undefined;
  const flags = parseFlags(read, BUILDKIT_FLAGS.HEALTHCHECK!);
  if (isFound(flags)) return flags;
  if (type === 'CMD') {
    const command = args.slice(1);
    if (command.length === 0) return { owner: 'buildkit-refuses', message: 'Missing command after HEALTHCHECK CMD', ...(words[0] ?? restSpan(read)), when: 'instructions' };
  } else return { owner: 'buildkit-refuses', message: `Unknown type ${goQuote(type)} in HEALTHCHECK (try CMD)`, ...(words[0] ?? restSpan(read)), when: 'instructions' };
  const flagAt = (name: string) => {
    const flag = [...read.flags].reverse().find((f) => f.text.startsWith(`--${name}=`));
    return flag ? flagSpan(flag) : restSpan(read);
  };
  for (const name of ['interval', 'timeout', 'start-period', 'start-interval']) {
    const value = flags.values.get(name)?.at(-1);
    if (!value) continue;
    const parsed = goDuration(value);
    if (typeof parsed === 'string') return { owner: 'buildkit-refuses', message: parsed, ...flagAt(name), when: 'instructions' };
    if (parsed !== 0 && parsed < 1e6) return { owner: 'buildkit-refuses', message: `Interval ${goQuote(name)} cannot be less than 1ms`, ...flagAt(name), when: 'instructions' };
  }
  const retries = flags.values.get('retries')?.at(-1);
  if (retries) {
    if (!/^[+-]?\d+$/.test(retries)) return { owner: 'buildkit-refuses', message: `strconv.ParseInt: parsing ${goQuote(retries)}: invalid syntax`, ...flagAt('retries'), when: 'instructions' };
    const n = Number(retries);
    if (n > 2147483647 || n < -2147483648) return { owner: 'buildkit-refuses', message: `strconv.ParseInt: parsing ${goQuote(retries)}: value out of range`, ...flagAt('retries'), when: 'instructions' };
    if (n < 0) return { owner: 'buildkit-refuses', message: `--retries cannot be negative (${n})`, ...flagAt('retries'), when: 'instructions' };
  }
  return undefined;
}

const UNITS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Go's time.ParseDuration: nanoseconds, or its error message. */
export function goDuration(text: string): number | string {
  const invalid = `time: invalid duration ${goQuote(text)}`;
  let s = text;
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return invalid;
  let total = 0;
  while (s !== '') {
    const number = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const [whole, pre = '', post] = number;
    if (whole === '' || (pre === '' && (post === undefined || post === ''))) return invalid;
    s = s.slice(whole.length);
    const unit = /^[^.\d]*/.exec(s)![0];
    if (unit === '') return `time: missing unit in duration ${goQuote(text)}`;
    const scale = UNITS[unit];
    if (scale === undefined) return `time: unknown unit ${goQuote(unit)} in duration ${goQuote(text)}`;
    total += Number(`${pre || '0'}.${post ?? ''}`.replace(/\.$/, '')) * scale;
    s = s.slice(unit.length);
  }
  return sign * total;
}

/** tonistiigi/go-csvvalue Fields: the fields, or the error text. */
export function csvFields(line: string): string[] | string {
  if (line === '') return 'EOF';
  const fields: string[] = [];
  let pos = 0;
  let rest = line;
  for (;;) {
    if (rest[0] !== '"') {
      const comma = rest.indexOf(',');
      const field = comma === -1 ? rest : rest.slice(0, comma);
      const quote = field.indexOf('"');
      if (quote !== -1) return `parse error on line 1, column ${pos + quote + 1}: bare " in non-quoted-field`;
      fields.push(field);
      if (comma === -1) return fields;
      rest = rest.slice(comma + 1);
      pos += comma + 1;
      continue;
    }
    rest = rest.slice(1);
    pos += 1;
    let field = '';
    for (;;) {
      const quote = rest.indexOf('"');
      if (quote === -1) return `parse error on line 1, column ${pos + 1}: extraneous or missing " in quoted-field`;
      field += rest.slice(0, quote);
      rest = rest.slice(quote + 1);
      pos += quote + 1;
      if (rest[0] === '"') {
        field += '"';
        rest = rest.slice(1);
        pos += 1;
      } else if (rest[0] === ',') {
        fields.push(field);
        rest = rest.slice(1);
        pos += 1;
        break;
      } else if (rest === '') {
        fields.push(field);
        return fields;
      } else return `parse error on line 1, column ${pos}: extraneous or missing " in quoted-field`;
    }
  }
}

/** commands_rundevice.go ParseDevice. */
function deviceError(value: string): string | undefined {
  const fields = csvFields(value);
  if (typeof fields === 'string') return `failed to parse csv devices: ${fields}`;
  let name = '';
  for (const field of fields) {
    const eq = field.indexOf('=');
    const key = (eq === -1 ? field : field.slice(0, eq)).toLowerCase();
    const v = eq === -1 ? '' : field.slice(eq + 1);
    if (eq === -1) {
      if (key === 'required') continue;
      if (name === '') {
        name = field;
        continue;
      }
      return `invalid field '${field}' must be a key=value pair`;
    }
    if (key === 'name') {
      if (name !== '') return `device name already set to ${name}`;
      name = v;
    } else if (key === 'required') {
      if (!GO_BOOL.has(v)) return `invalid value for ${key}: ${v}`;
    } else if (name === '') name = field;
    else return suggested(`unexpected key '${key}' in '${field}'`, key, ['name', 'required'], true);
  }
  return undefined;
}

const GO_BOOL = new Set(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False']);
const MOUNT_TYPES = ['bind', 'cache', 'tmpfs', 'secret', 'ssh'];
const SHARING = ['shared', 'private', 'locked'];
const MOUNT_KEYS = ['type', 'from', 'source', 'target', 'readonly', 'id', 'sharing', 'required', 'size', 'mode', 'uid', 'gid', 'src', 'dst', 'destination', 'ro', 'rw', 'readwrite', 'env'];

/**
 * commands_runmount.go parseMount as dockerfile2llb runs it when it dispatches the stage (values
 * expanded). Only literal values are judged: a field whose value holds a variable is skipped, and
 * so is everything that depends on a mount type written with one.
 */
export function mountError(value: string): string | undefined {
  const fields = csvFields(value);
  if (typeof fields === 'string') return undefined;
  let type = 'bind';
  let typeKnown = true;
  const set = new Set<string>();
  for (const field of fields) {
    const eq = field.indexOf('=');
    const key = (eq === -1 ? field : field.slice(0, eq)).toLowerCase();
    const v = eq === -1 ? '' : field.slice(eq + 1);
    if (eq === -1) {
      if (['readonly', 'ro', 'readwrite', 'rw'].includes(key)) continue;
      if (key === 'required') {
        if (!typeKnown || type === 'secret' || type === 'ssh') continue;
        return `unexpected key '${key}' for mount type '${type}'`;
      }
      return `invalid field '${field}' must be a key=value pair`;
    }
    if (v.includes('$')) {
      if (key === 'type') typeKnown = false;
      set.add(key);
      continue;
    }
    switch (key) {
      case 'type':
        if (!MOUNT_TYPES.includes(v.toLowerCase())) return suggested(`unsupported mount type ${goQuote(v)}`, v, MOUNT_TYPES, true);
        type = v.toLowerCase();
        typeKnown = true;
        break;
      case 'from':
      case 'id':
      case 'env':
      case 'source':
      case 'src':
      case 'target':
      case 'dst':
      case 'destination':
        break;
      case 'readonly':
      case 'ro':
      case 'readwrite':
      case 'rw':
        if (!GO_BOOL.has(v)) return `invalid value for ${key}: ${v}`;
        break;
      case 'required':
        if (!typeKnown) break;
        if (type !== 'secret' && type !== 'ssh') return `unexpected key '${key}' for mount type '${type}'`;
        if (!GO_BOOL.has(v)) return `invalid value for ${key}: ${v}`;
        break;
      case 'size':
        if (!typeKnown) break;
        if (type !== 'tmpfs') return `unexpected key '${key}' for mount type '${type}'`;
        if (!/^\d+(?:\.\d+)* ?[kKmMgGtTpP]?[iI]?[bB]?$/.test(v)) return `invalid value for ${key}: ${v}`;
        break;
      case 'sharing':
        if (!SHARING.includes(v.toLowerCase())) return suggested(`unsupported sharing value ${goQuote(v)}`, v, SHARING, true);
        break;
      case 'mode':
        if (!/^[+-]?[0-7]+$/.test(v) || v.startsWith('-') || Number.parseInt(v, 8) > 0xffffffff) return `invalid value ${v} for mode`;
        break;
      case 'uid':
      case 'gid':
        if (!/^\+?\d+$/.test(v) || Number(v) > 0xffffffff) return `invalid value ${v} for ${key}`;
        break;
      default:
        return suggested(`unexpected key '${key}' in '${field}'`, key, MOUNT_KEYS, true);
    }
    set.add(key);
  }
  if (!typeKnown) return undefined;
  const has = (...keys: string[]) => keys.some((k) => set.has(k));
  if (!['secret', 'ssh', 'cache'].includes(type)) {
    for (const key of ['mode', 'uid', 'gid']) if (set.has(key)) return `${key} not allowed for ${goQuote(type)} type mounts`;
  }
  if (type === 'secret') {
    if (set.has('from')) return 'secret mount should not have a from';
    if (set.has('sharing')) return 'secret mount should not define sharing';
    if (!has('source', 'src', 'target', 'dst', 'destination', 'id')) return 'invalid secret mount. one of source, target required';
    if (has('source', 'src') && set.has('id')) return "both source and id can't be set";
  }
  if (set.has('sharing') && type !== 'cache') return `invalid cache sharing set for ${type} mount`;
  return undefined;
}

/** Signals moby/sys/signal knows on Linux, without `SIG`. */
const SIGNALS = new Set([
  'ABRT', 'ALRM', 'BUS', 'CHLD', 'CLD', 'CONT', 'FPE', 'HUP', 'ILL', 'INT', 'IO', 'IOT', 'KILL', 'PIPE', 'POLL', 'PROF', 'PWR', 'QUIT', 'SEGV', 'STKFLT', 'STOP', 'SYS', 'TERM',
  'TRAP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'USR1', 'USR2', 'VTALRM', 'WINCH', 'XCPU', 'XFSZ', 'RTMIN', 'RTMAX',
  ...Array.from({ length: 15 }, (_, i) => `RTMIN+${i + 1}`),
  ...Array.from({ length: 14 }, (_, i) => `RTMAX-${i + 1}`),
]);

/** Checks dockerfile2llb makes when it dispatches the stage, on literal values only. */
function convertProblems(read: ReadInstruction, stage: number): Problem[] {
  const out: Problem[] = [];
  const add = (message: string, span: { start: number; end: number }) => out.push({ owner: 'buildkit-refuses', message, ...span, when: 'convert', stage });
  if (read.name === 'RUN') {
    for (const flag of read.flags) {
      if (!flag.text.startsWith('--mount=')) continue;
      const error = mountError(flag.text.slice('--mount='.length));
      if (error) {
        add(error, flagSpan(flag));
        break;
      }
    }
  }
  if (read.name === 'COPY' || read.name === 'ADD') {
    const chmod = read.flags.find((f) => f.text.startsWith('--chmod='));
    const mode = chmod?.text.slice('--chmod='.length);
    if (chmod && mode && /^\d+$/.test(mode) && (!/^[0-7]+$/.test(mode) || Number.parseInt(mode, 8) > 0o7777)) {
      add(`invalid chmod parameter: '${mode}'. it should be octal string and between 0 and 07777`, flagSpan(chmod));
    }
    const spans = argumentSpans(read);
    const sources = spans.slice(0, -1).filter((s) => !/^\d*<<-?/.test(s.text));
    if (read.name === 'COPY' && !read.flags.some((f) => f.text.startsWith('--from='))) {
      const url = sources.find((s) => /^https?:\/\//.test(s.text));
      if (url) add("source can't be a URL for COPY", url);
    }
    const checksum = read.flags.find((f) => f.text.startsWith('--checksum='));
    if (read.name === 'ADD' && checksum && checksum.text !== '--checksum=' && !checksum.text.includes('$')) {
      if (sources.length !== 1) add("checksum can't be specified for multiple sources", flagSpan(checksum));
      else if (!/^https?:\/\/|^git@|\.git(?:#|$)|^ssh:\/\/|^git:\/\//.test(sources[0]!.text) && !sources[0]!.text.includes('$')) add('checksum requires HTTP(S) or Git sources', sources[0]!);
    }
  }
  if (read.name === 'STOPSIGNAL' && read.args.length === 1) {
    const signal = read.args[0]!;
    const known = /^\d+$/.test(signal) ? Number(signal) > 0 : SIGNALS.has(signal.toUpperCase().replace(/^SIG/, ''));
    if (!known && !signal.includes('$')) add(`invalid signal: ${signal}`, restSpan(read));
  }
  return out;
}

/** A variable as the builder may see it when it expands a word. */
interface Variable {
  /** Its value in a plain build (no --build-arg, nothing from the base image); `undefined`: unset. */
  readonly value: string | undefined;
  /** Something the file cannot show may set it (a build argument, the base image's environment): what. */
  readonly outside?: string;
  /** Set by ENV, so a stage built FROM this one has it too. */
  readonly env?: boolean;
}

/** Set by BuildKit for every build, with their values on a typical linux/amd64 builder. */
export const BUILTIN_ARGS: Readonly<Record<string, string>> = {
  BUILDPLATFORM: 'linux/amd64', BUILDOS: 'linux', BUILDOSVERSION: '', BUILDARCH: 'amd64', BUILDVARIANT: '',
  TARGETPLATFORM: 'linux/amd64', TARGETOS: 'linux', TARGETOSVERSION: '', TARGETARCH: 'amd64', TARGETVARIANT: '', TARGETSTAGE: 'default',
};

class Scope {
  readonly vars: Map<string, Variable>;
  /** Names the file does not set may come from the base image's environment (not for FROM, nor under scratch). */
  constructor(
    readonly baseMaySet: boolean,
    vars: Iterable<[string, Variable]> = [],
  ) {
    this.vars = new Map(vars);
  }
  get(name: string): Variable {
    return this.vars.get(name) ?? (this.baseMaySet ? { value: undefined, outside: `the base image's environment sets \`${name}\`` } : { value: undefined });
  }
}

interface Evaluated {
  readonly value: string;
  /** What the value depends on that the file cannot show. */
  readonly outside?: string;
  /** BuildKit's lexer error, and whether it is certain or depends on `outside`. */
  readonly error?: string;
}

/**
 * A word as dockerfile2llb expands it (shell.Lex ProcessWord). Syntax errors fail whatever the values;
 * a `${NAME?}`/`${NAME:?}` failure is certain only if it fails both with nothing set from outside and
 * with everything set from outside.
 */
function evaluate(word: string, scope: Scope, escape: string, quotes: boolean): Evaluated {
  const syntax = expand(word, () => 'x', escape, quotes);
  if (syntax.error) return { value: '', error: syntax.error };
  let outside: string | undefined;
  const plain = expand(
    word,
    (name) => {
      const variable = scope.get(name);
      outside ??= variable.outside;
      return variable.value;
    },
    escape,
    quotes,
    true,
  );
  if (!plain.error || outside === undefined) return { value: plain.value, ...(outside ? { outside } : {}), ...(plain.error ? { error: plain.error } : {}) };
  const set = expand(
    word,
    (name) => {
      const variable = scope.get(name);
      return variable.outside ? variable.value || 'x' : variable.value;
    },
    escape,
    quotes,
    true,
  );
  return { value: plain.value, error: plain.error, ...(set.error ? {} : { outside }) };
}

/** The build's own ARGs as variables, made once: every file's expansions start from them. */
const BUILTIN_VARIABLES: readonly [string, Variable][] = Object.entries(BUILTIN_ARGS).map(([name, value]) => [name, { value, outside: `the build's platform sets \`${name}\`` }]);

/**
 * Walks the instructions as dockerfile2llb dispatches them, keeping what each variable is at that
 * point, and gives the first expansion error of each instruction BuildKit expands (section 12 of
 * docs/buildkit-reading.md): FROM and the meta ARGs for every stage, the rest where the stage is built.
 */
class Expansions {
  private readonly meta = new Scope(false, BUILTIN_VARIABLES);
  private readonly finished: Scope[] = [];
  private scope: Scope | undefined;
  private readonly escape: string;

  constructor(private readonly model: DockerfileModel) {
    this.escape = model.reading.escape;
  }

  /** The variables of the stage being dispatched. */
  get current(): Scope | undefined {
    return this.scope;
  }

  /** Takes a stage as dispatched in an earlier version (its FROM included): the variables it left. */
  adopt(scope: Scope | undefined): void {
    if (this.scope) this.finished.push(this.scope);
    this.scope = scope;
  }

  /** Dispatches one instruction of `stage` (-1 before the first FROM): its first expansion error. */
  dispatch(read: ReadInstruction, stage: number): Found | undefined {
    if (read.name === 'FROM') return this.from(read, stage);
    if (read.name === 'ARG') return this.arg(read, stage < 0 ? this.meta : this.scope, stage < 0);
    const scope = this.scope;
    if (!scope) return undefined;
    type Span = { start: number; end: number };
    // Where a word is written is worked out only for the word that fails: most instructions expand cleanly.
    const words: { text: string; at: () => Span; raw?: true }[] = [];
    let spans: { text: string; start: number; end: number }[] | undefined;
    const at = (text: string) => () => (spans ??= argumentSpans(read)).find((w) => w.text.includes(text)) ?? restSpan(read);
    const flag = (name: string) => {
      const found = read.flags.find((f) => f.text.startsWith(`--${name}=`));
      if (found) words.push({ text: found.text.slice(name.length + 3), at: () => flagSpan(found) });
    };
    switch (read.name) {
      case 'ENV':
      case 'LABEL': {
        for (let i = 0; i + 1 < read.args.length; i += 3) {
          words.push({ text: read.args[i]!, at: at(read.args[i]!) }, { text: read.args[i + 1]!, at: at(read.args[i + 1]!) });
        }
        break;
      }
      case 'ADD':
      case 'COPY': {
        flag('chown');
        flag('chmod');
        if (read.name === 'ADD') flag('checksum');
        const heredoc = (w: string) => !read.json && /^\d*<<-?\S/.test(w) && read.heredocs.length > 0;
        read.args.forEach((w, i) => {
          if (!heredoc(w) || i === read.args.length - 1) words.push({ text: w, at: at(w) });
        });
        for (const doc of read.heredocs) if (doc.expand) words.push({ text: doc.chomp ? doc.content.replace(/^\t+/gm, '') : doc.content, at: () => ({ start: read.start, end: read.end }), raw: true });
        break;
      }
      case 'WORKDIR':
      case 'USER':
      case 'STOPSIGNAL':
      case 'VOLUME':
      case 'EXPOSE':
        for (const w of read.args) words.push({ text: w, at: at(w) });
        break;
      case 'RUN':
        for (const f of read.flags) {
          if (!f.text.startsWith('--mount=')) continue;
          const fields = csvFields(f.text.slice('--mount='.length));
          if (typeof fields === 'string') continue;
          for (const field of fields) if (field.includes('=')) words.push({ text: field.slice(field.indexOf('=') + 1), at: () => flagSpan(f) });
        }
        break;
      default:
        return undefined;
    }
    const values: Evaluated[] = [];
    for (const word of words) {
      const result = word.raw ? evaluate(word.text, scope, '\\', false) : evaluate(word.text, scope, this.escape, true);
      if (result.error) return this.failed(word.text, result, word.at());
      values.push(result);
    }
    if (read.name === 'ENV') {
      for (let i = 0; i + 1 < values.length; i += 2) {
        const key = values[i]!;
        const value = values[i + 1]!;
        if (key.outside) {
          // Which variable it sets depends on a build argument: nothing the file sets is known any more.
          for (const [name, variable] of scope.vars) scope.vars.set(name, { ...variable, outside: variable.outside ?? `\`${key.value}\` is not what \`ENV\` sets` });
          continue;
        }
        scope.vars.set(key.value, { value: value.value, env: true, ...(value.outside ? { outside: value.outside } : {}) });
      }
    }
    return undefined;
  }

  private failed(word: string, result: Evaluated, at: { start: number; end: number }, always = false): Found {
    return {
      owner: 'buildkit-refuses',
      message: `failed to process ${goQuote(word)}: ${result.error}`,
      ...at,
      when: 'convert',
      ...(always ? { always } : {}),
      ...(result.outside ? { outside: result.outside } : {}),
    };
  }

  private from(read: ReadInstruction, stage: number): Found | undefined {
    if (this.scope) this.finished.push(this.scope);
    const described = this.model.stages[stage];
    // The model's stage of this FROM (the same reading, unless the model read on past a refusal).
    const base = described?.from.read === read ? described.base : undefined;
    const parent = base?.kind === 'stage' ? this.finished[base.stageIndex] : undefined;
    this.scope = parent
      ? new Scope(parent.baseMaySet, [...parent.vars].filter(([, v]) => v.env))
      : new Scope(base?.kind !== 'scratch');
    const platform = read.flags.find((f) => f.text.startsWith('--platform='));
    if (platform) {
      const word = platform.text.slice('--platform='.length);
      const result = evaluate(word, this.meta, this.escape, true);
      if (result.error) {
        const failed = this.failed(word, result, flagSpan(platform), true);
        return { ...failed, message: `failed to process arguments for platform : ${failed.message}` };
      }
    }
    const name = read.args[0];
    if (name === undefined) return undefined;
    const result = evaluate(name, this.meta, this.escape, true);
    return result.error ? this.failed(name, result, restWords(read)[0] ?? restSpan(read), true) : undefined;
  }

  /** dispatchArg / buildMetaArgs: each default is expanded with what is set before it (a --build-arg for it skips that). */
  private arg(read: ReadInstruction, scope: Scope | undefined, meta: boolean): Found | undefined {
    if (!scope) return undefined;
    for (const word of read.args) {
      const eq = word.indexOf('=');
      const name = eq === -1 ? word : word.slice(0, eq);
      const byArg = `\`--build-arg ${name}\` is passed`;
      if (eq === -1) {
        if (meta) {
          if (!scope.vars.has(name)) scope.vars.set(name, { value: undefined, outside: byArg });
        } else {
          const global = this.meta.vars.get(name);
          scope.vars.set(name, { value: global?.value, outside: byArg });
        }
        continue;
      }
      const result = evaluate(word.slice(eq + 1), scope, this.escape, true);
      if (result.error) {
        const spans = restWords(read);
        // A --build-arg for it would skip the default, but the file as written fails a plain build.
        return this.failed(word.slice(eq + 1), result, spans.find((s) => s.text.startsWith(name)) ?? restSpan(read), meta);
      }
      scope.vars.set(name, { value: result.value, outside: byArg });
    }
    return undefined;
  }
}

/**
 * The stages dockerfile2llb dispatches: the targets (compose/bake `target:`, else the last stage)
 * and every stage they reach through FROM, COPY --from and RUN --mount from=.
 */
export function dispatchedStages(model: DockerfileModel, context: RuleContext): Set<number> {
  const byName = new Map<string, number>();
  for (const stage of model.stages) if (stage.name) byName.set(stage.name, stage.index);
  const reached = new Set<number>();
  const queue = targetStages(model, context).map((s) => s.index);
  while (queue.length > 0) {
    const index = queue.pop()!;
    if (reached.has(index)) continue;
    reached.add(index);
    const stage = model.stages[index];
    if (!stage) continue;
    if (stage.base?.kind === 'stage') queue.push(stage.base.stageIndex);
    for (const info of stage.instructions) {
      for (const flag of info.read.flags) {
        const copyFrom = /^--from=(.*)$/.exec(flag.text);
        const names = copyFrom && info.keyword === 'COPY' ? [copyFrom[1]!] : flag.text.startsWith('--mount=') ? mountFroms(flag.text.slice(8)) : [];
        for (const name of names) {
          const found = /^\d+$/.test(name) && copyFrom ? Number(name) : byName.get(name.toLowerCase());
          if (found !== undefined && found < model.stages.length) queue.push(found);
        }
      }
    }
  }
  return reached;
}

/** The `from=` values of a `--mount` flag. */
export function mountFroms(value: string): string[] {
  const fields = csvFields(value);
  if (typeof fields === 'string') return [];
  return fields.flatMap((f) => (/^from=/i.test(f) ? [f.slice(5)] : []));
}
