/**
 * The shared, read-only picture of one Dockerfile that every rule looks at.
 * It is built once per text version, so rules never parse or resolve on their own.
 */
import { DockerfileParser, type Dockerfile } from 'dockerfile-ast';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver-types';
import { propertiesOf, type Property } from './astNode';
import { parseImageRef, type ImageRef, type ImageRefSpans } from './imageRef';
import { execStrings, originOf, readDockerfile, type ReadInstruction, type Reading } from './reader';
import { joinContinuations, parseShell, type ShellScript } from './shell';
import { HeldOn } from './memo';
import { expand } from './variables';
import { partsOf, type Flag, type Parts, type Word } from './words';

/** What a `FROM` builds on. */
export type BaseImage =
  | { readonly kind: 'image'; readonly ref: ImageRef; readonly source: ImageSource }
  | { readonly kind: 'stage'; readonly stageIndex: number; readonly source: ImageSource }
  | { readonly kind: 'scratch'; readonly source: ImageSource }
  /** Depends on a build argument with no default: only the builder knows. */
  | { readonly kind: 'unresolved'; readonly unresolved: readonly string[]; readonly source: ImageSource }
  | { readonly kind: 'invalid'; readonly source: ImageSource };

export interface ImageSource {
  /** The argument as written, variables and all. */
  readonly text: string;
  /** The argument after build-argument expansion. */
  readonly expanded: string;
  readonly range: Range;
  /**
   * Ranges of name, tag and digest. Exact when the argument was written
   * literally; all equal to `range` when it came from variables.
   */
  readonly spans: { readonly name: Range; readonly tag?: Range; readonly digest?: Range };
}

export interface InstructionInfo {
  /** Upper-cased keyword: `RUN`, `FROM`, … */
  readonly keyword: string;
  /** The keyword as written. */
  readonly written: string;
  /** Index of the stage it belongs to; `undefined` for `ARG`s before the first `FROM`. */
  readonly stage: number | undefined;
  readonly range: Range;
  readonly keywordRange: Range;
  /**
   * The same object for this instruction in every version of the document where its text and first
   * line did not change: what is worked out from its words (ranges of lines and characters) is kept by it.
   */
  readonly stable: object;
  readonly flags: readonly Flag[];
  /** The JSON-array (exec) form's strings, for instructions BuildKit reads that way. */
  readonly execForm?: readonly string[];
  /** The same strings with their ranges in the document. */
  readonly execStrings?: readonly { readonly value: string; readonly range: Range }[];
  /** How BuildKit's parser reads the instruction. */
  readonly read: ReadInstruction;
  /** `key=value` pairs of `ARG`, `ENV` and `LABEL`, as dockerfile-ast takes them apart. */
  readonly properties: readonly Property[];
  /** The words after the flags. */
  readonly args: readonly Word[];
  /** Every word, flags included. */
  readonly words: readonly Word[];
  /** From the first argument to the end of the last, `null` without arguments. */
  readonly argumentsRange: Range | null;
  /** The logical line from the first argument to the end of the last (continuations taken out), `null` without arguments. */
  readonly argumentsContent: string | null;
}

export interface Mount {
  readonly type: string;
  readonly options: ReadonlyMap<string, string>;
  readonly range: Range;
}

export interface RunInstruction {
  readonly info: InstructionInfo;
  readonly form: 'shell' | 'exec' | 'heredoc';
  readonly mounts: readonly Mount[];
  /** The simple commands it runs; for the exec form, the one command of the array. */
  readonly script: ShellScript;
  /** `false` when `SHELL` switched the stage to something that is not a POSIX shell. */
  readonly posixShell: boolean;
}

export interface Stage {
  readonly index: number;
  /** The `AS` name, lower-cased as the builder treats it. */
  readonly name?: string;
  readonly nameRange?: Range;
  /** The `AS` name as written. */
  readonly writtenName?: string;
  /** Its `FROM`. */
  readonly from: InstructionInfo;
  /** `FROM --platform=…` when that is the `FROM`'s only flag. */
  readonly platformFlag?: Flag;
  /** `undefined` when `FROM` has no image argument at all. */
  readonly base?: BaseImage;
  /** Every instruction of the stage, `FROM` included. */
  readonly instructions: readonly InstructionInfo[];
  readonly runs: readonly RunInstruction[];
  readonly isFinal: boolean;
}

export interface Directive {
  readonly value: string;
  readonly range: Range;
}

export interface DockerfileModel {
  readonly document: TextDocument;
  /** dockerfile-ast's parse of the whole file, made on first use (for what only it reads: comments). */
  readonly ast: Dockerfile;
  /** The file as BuildKit's parser reads it, with its refusal if it refuses the file. */
  readonly reading: Reading;
  readonly escapeChar: string;
  readonly directives: { readonly syntax?: Directive; readonly escape?: Directive; readonly check?: Directive };
  readonly stages: readonly Stage[];
  /** Every instruction in order, including the `ARG`s before the first `FROM`. */
  readonly instructions: readonly InstructionInfo[];
  /** The instructions before the first `FROM` (those in no stage), which stage rules check on every version. */
  readonly preamble: readonly InstructionInfo[];
  /** `ARG`s declared before the first `FROM`, with their defaults. */
  readonly globalArgs: ReadonlyMap<string, string | undefined>;
  /** A document range from two offsets. */
  rangeOf(start: number, end: number): Range;
}

const POSIX_SHELLS = /(?:^|\/)(?:sh|bash|ash|dash|zsh|ksh|mksh|busybox)$/;

type Slots = Map<string, Map<string, unknown>>;
/** Results kept by key for the next version: this model's, and those the previous version kept (only those, so no chain of versions stays alive). */
const carried = new HeldOn<DockerfileModel, { readonly before: Slots | undefined; readonly now: Slots }>();

/**
 * A slot of results the language layer computes per key (a stage key, say) and the next version of the
 * document may reuse: `before` holds what the previous version put in this slot (`undefined` when the
 * model was built without a previous version), `now` is this model's.
 */
export function carryOver<T>(model: DockerfileModel, slot: string): { readonly before: ReadonlyMap<string, T> | undefined; readonly now: Map<string, T> } {
  const entry = carried.get(model);
  if (!entry) return { before: undefined, now: new Map() };
  let now = entry.now.get(slot);
  if (!now) entry.now.set(slot, (now = new Map()));
  return { before: entry.before?.get(slot) as ReadonlyMap<string, T> | undefined, now: now as Map<string, T> };
}

/**
 * `buildArgs` are the `--build-arg`s a compose service or bake target passes: they win over ARG defaults.
 * `previous`, a model of an earlier version of the same document, lends its reading and description
 * of every instruction whose text and first line did not change; the model is the same either way.
 */
export function buildModel(
  text: string,
  uri = 'untitled:Dockerfile',
  buildArgs: Readonly<Record<string, string>> = {},
  previous?: DockerfileModel,
): DockerfileModel {
  const document = TextDocument.create(uri, 'dockerfile', 0, text);
  const reading = readDockerfile(text, previous && { reading: previous.reading, text: previous.document.getText() });
  const escapeChar = reading.escape;

  // BuildKit expands each meta ARG's default with the ARGs above it (quotes removed as its lexer
  // removes them); a value passed to the build wins and is taken as is.
  const globalArgs = new Map<string, string | undefined>();
  const firstFrom = reading.instructions.findIndex((r) => r.name === 'FROM');
  for (const arg of reading.instructions.slice(0, firstFrom === -1 ? undefined : firstFrom).filter((r) => r.name === 'ARG')) {
    for (const word of arg.args) {
      const eq = word.indexOf('=');
      const name = eq === -1 ? word : word.slice(0, eq);
      const passed = buildArgs[name];
      if (passed !== undefined) globalArgs.set(name, passed);
      else if (eq === -1) globalArgs.set(name, globalArgs.get(name));
      else {
        const expanded = expand(word.slice(eq + 1), (n) => globalArgs.get(n), escapeChar, true);
        globalArgs.set(name, expanded.unresolved.length > 0 || expanded.error ? undefined : expanded.value);
      }
    }
  }
  const lookup = (name: string) => globalArgs.get(name);

  // Instructions in document order: each belongs to the last FROM at or above it.
  const byStage: InstructionInfo[][] = [];
  let stageIndex: number | undefined;
  // The previous version's description of a reading, found by a cursor (both lists are in document
  // order): the reader hands back the same object for an instruction whose text and offsets are unchanged.
  const earlier = previous?.instructions ?? [];
  let cursor = 0;
  const describedBefore = (read: ReadInstruction) => {
    while (cursor < earlier.length && earlier[cursor]!.read.start < read.start) cursor++;
    return earlier[cursor]?.read === read ? earlier[cursor] : undefined;
  };
  const shared = !/\r(?!\n)/.test(text);
  const instructions: InstructionInfo[] = readOnPastRefusals(text, reading).map((read) => {
    if (read.name === 'FROM') byStage[(stageIndex = byStage.length)] = [];
    const info = describeInstruction(document, read, stageIndex, escapeChar, shared, describedBefore(read));
    if (stageIndex !== undefined) byStage[stageIndex]!.push(info);
    return info;
  });

  const stages: Stage[] = [];
  byStage.forEach((own, index) => {
    const from = own[0]!;
    const stageName = from.args.length > 2 && from.args[1]!.value.toUpperCase() === 'AS' ? from.args[2]! : undefined;
    const nameRange = stageName?.getRange();
    const writtenName = nameRange && document.getText(nameRange);
    const base = describeBase(document, from, stages, (t) => expand(t, lookup, escapeChar, true));
    const platformFlag = from.flags.length === 1 && from.flags[0]!.getName() === 'platform' ? from.flags[0] : undefined;
    stages.push(new DescribedStage(document, escapeChar, index, from, own, index === byStage.length - 1, writtenName, nameRange, platformFlag, base));
  });

  const model = new Model(document, reading, stages, instructions, globalArgs);
  carried.set(model, { before: previous ? (carried.get(previous)?.now ?? new Map()) : undefined, now: new Map() });
  return model;
}

/**
 * A stage; a class, not an object literal with a getter and spreads, which V8 builds several times
 * more slowly (one per stage per lint). Absent optional fields are `undefined`.
 */
class DescribedStage implements Stage {
  readonly name?: string;
  private runsMade?: readonly RunInstruction[];
  constructor(
    private readonly document: TextDocument,
    private readonly escapeChar: string,
    readonly index: number,
    readonly from: InstructionInfo,
    readonly instructions: readonly InstructionInfo[],
    readonly isFinal: boolean,
    readonly writtenName: string | undefined,
    readonly nameRange: Range | undefined,
    readonly platformFlag: Flag | undefined,
    readonly base: BaseImage | undefined,
  ) {
    this.name = writtenName?.toLowerCase();
  }

  /** Shell parses placed on this version's offsets, made when a rule first asks: after a keystroke the stage rules look only at the stages whose key changed. */
  get runs(): readonly RunInstruction[] {
    return (this.runsMade ??= describeRuns(this.document, this.instructions, this.escapeChar));
  }
}

class Model implements DockerfileModel {
  readonly escapeChar: string;
  readonly directives: DockerfileModel['directives'];
  readonly preamble: readonly InstructionInfo[];
  private parsed?: Dockerfile;
  constructor(
    readonly document: TextDocument,
    readonly reading: Reading,
    readonly stages: readonly Stage[],
    readonly instructions: readonly InstructionInfo[],
    readonly globalArgs: ReadonlyMap<string, string | undefined>,
  ) {
    this.escapeChar = reading.escape;
    // The first of each name: the one BuildKit takes (it refuses a second in the parser's own directives).
    const directives: Record<string, Directive> = {};
    for (const d of reading.directives) directives[d.name] ??= { value: d.value, range: this.rangeOf(d.start, d.end) };
    this.directives = directives;
    this.preamble = instructions.filter((info) => info.stage === undefined);
  }

  get ast(): Dockerfile {
    return (this.parsed ??= DockerfileParser.parse(this.document.getText()));
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.document.positionAt(start), end: this.document.positionAt(end) };
  }
}

/** What an instruction's words give, kept by the instruction's first reading (reader.ts `originOf`): the same words while its text and first line are. */
interface Stable {
  /** Where the keyword was when the words were placed: another column (blanks typed before it) places them elsewhere. */
  readonly at: Position;
  readonly escape: string;
  readonly parts: Parts;
  readonly range: Range;
  readonly keywordRange: Range;
  readonly argumentsRange: Range | null;
  readonly argumentsContent: string | null;
  readonly execForm?: readonly string[];
  readonly execStrings?: InstructionInfo['execStrings'];
  properties?: readonly Property[];
}
const stableOf = new HeldOn<ReadInstruction, Stable>();

const PROPERTY_INSTRUCTIONS = new Set(['ARG', 'ENV', 'LABEL']);

/**
 * An instruction's description: what it shares with the versions where its text and place are the
 * same (`stable`), its reading in this version, and its stage. A class whose answers are read from
 * those, so that the description made again for every instruction a keystroke moves is one small
 * object of one shape.
 */
class Description implements InstructionInfo {
  // Fields, not getters: every rule reads an instruction's keyword, most of them for every instruction.
  readonly keyword: string;
  readonly written: string;
  constructor(
    private readonly document: TextDocument,
    readonly stable: Stable,
    readonly read: ReadInstruction,
    readonly stage: number | undefined,
  ) {
    this.keyword = read.name;
    this.written = read.keyword;
  }

  get range(): Range {
    return this.stable.range;
  }
  get keywordRange(): Range {
    return this.stable.keywordRange;
  }
  get flags(): readonly Flag[] {
    return this.stable.parts.flags;
  }
  get args(): readonly Word[] {
    return this.stable.parts.args;
  }
  get words(): readonly Word[] {
    return this.stable.parts.words;
  }
  get argumentsRange(): Range | null {
    return this.stable.argumentsRange;
  }
  get argumentsContent(): string | null {
    return this.stable.argumentsContent;
  }
  get execForm(): readonly string[] | undefined {
    return this.stable.execForm;
  }
  get execStrings(): InstructionInfo['execStrings'] {
    return this.stable.execStrings;
  }

  /** Only dockerfile-ast takes properties apart as the rules expect (astNode.ts); made when a rule first asks. */
  get properties(): readonly Property[] {
    const stable = this.stable;
    if (stable.properties) return stable.properties;
    return (stable.properties = PROPERTY_INSTRUCTIONS.has(this.keyword) ? safely(() => propertiesOf(this.document, this, stable.escape), NO_PROPERTIES) : NO_PROPERTIES);
  }
}

/**
 * `shared`: whether versions may share what is worked out per instruction (not with a lone CR, which
 * moves the document's lines and not the reader's). `earlier`: the previous version's description of
 * the same reading, taken whole when it also shares the words and the stage (the same offsets do
 * not make the same column: an edit can lengthen a line above and take as many blanks away before it).
 */
function describeInstruction(document: TextDocument, read: ReadInstruction, stage: number | undefined, escapeChar: string, shared: boolean, earlier: InstructionInfo | undefined): InstructionInfo {
  const origin = originOf(read);
  const at = document.positionAt(read.start);
  let stable = shared ? stableOf.get(origin) : undefined;
  if (!stable || stable.at.line !== at.line || stable.at.character !== at.character) {
    stable = describeWords(document, read, escapeChar, at);
    if (shared) stableOf.set(origin, stable);
  }
  if (earlier?.stable === stable && earlier.stage === stage) return earlier;
  return new Description(document, stable, read, stage);
}

/**
 * BuildKit stops at the first instruction it refuses, and so does the reader. The model reads on
 * past it (the refused lines blanked, offsets kept), so that an instruction half typed (`ENV F`) does
 * not take every stage and finding after it away; the refusal itself stays the reading's.
 */
function readOnPastRefusals(text: string, reading: Reading): readonly ReadInstruction[] {
  let refusal: Reading['refusal'] = reading.refusal;
  if (!refusal) return reading.instructions;
  const all = [...reading.instructions];
  let rest = text;
  while (refusal) {
    const endLine: number = refusal.endLine;
    rest = blankLines(rest, refusal.startLine, endLine);
    const again = readDockerfile(rest);
    for (const read of again.instructions) if (read.startLine > endLine) all.push(read);
    refusal = again.refusal && again.refusal.startLine > endLine ? again.refusal : undefined;
  }
  return all;
}

/** The text with lines `from` to `to` (the reader's: split on LF) made blanks of the same length. */
function blankLines(text: string, from: number, to: number): string {
  let start = 0;
  for (let line = 0; line < from; line++) {
    const next = text.indexOf('\n', start);
    if (next === -1) return text;
    start = next + 1;
  }
  let end = start;
  for (let line = from; line <= to; line++) {
    const next = text.indexOf('\n', end);
    end = next === -1 ? text.length : next + 1;
  }
  return text.slice(0, start) + text.slice(start, end).replace(/[^\n]/g, ' ') + text.slice(end);
}

function describeWords(document: TextDocument, read: ReadInstruction, escapeChar: string, at: Position): Stable {
  const parts = partsOf(document, read, escapeChar);
  const [first, last] = [parts.args[0], parts.args.at(-1)];
  return {
    at,
    escape: escapeChar,
    parts,
    range: { start: at, end: document.positionAt(read.end) },
    // Where the keyword's own characters are: after a first line that is only a continuation, not where the instruction starts.
    keywordRange: read.keyword === '' ? { start: at, end: at } : { start: document.positionAt(read.offsetAt(0)), end: document.positionAt(read.offsetAt(read.keyword.length - 1) + 1) },
    argumentsRange: first && last ? { start: first.getRange().start, end: last.getRange().end } : null,
    argumentsContent: argumentsContent(read, parts.args),
    // HEALTHCHECK's type word (CMD) comes before its command.
    ...(read.json ? { execForm: read.name === 'HEALTHCHECK' ? read.args.slice(1) : read.args, execStrings: placedExecStrings(document, read) } : {}),
  };
}

const NO_PROPERTIES: readonly Property[] = [];

/** The arguments' text on the logical line; words in heredoc bodies (after it) are left out. */
function argumentsContent(read: ReadInstruction, args: readonly Word[]): string | null {
  const onLine = args.filter((w) => w.lineIndex !== -1);
  const [first, last] = [onLine[0], onLine.at(-1)];
  return first && last ? read.line.slice(first.lineIndex, last.lineEnd) : null;
}

/** The exec form's strings with their ranges in the document. */
function placedExecStrings(document: TextDocument, read: ReadInstruction): InstructionInfo['execStrings'] {
  return execStrings(read).map((s) => ({ value: s.value, range: { start: document.positionAt(s.start), end: document.positionAt(s.end) } }));
}

/** dockerfile-ast can throw on odd input (lone CR line ends in heredoc detection, found by fuzzing). */
export function safely<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

function describeRuns(document: TextDocument, instructions: readonly InstructionInfo[], escapeChar: string): RunInstruction[] {
  let posixShell = true;
  const runs: RunInstruction[] = [];
  for (const info of instructions) {
    if (info.keyword === 'SHELL' && info.execForm?.[0] !== undefined) posixShell = POSIX_SHELLS.test(info.execForm[0]);
    if (info.keyword !== 'RUN') continue;
    const mounts = info.flags.filter((f) => f.getName().toLowerCase() === 'mount').map(parseMount);
    // One instruction the parser cannot take apart must not cost the whole file its diagnostics.
    const script = safely(() => describeScript(document, info, escapeChar, posixShell), { form: 'shell' as const, script: { commands: [], broken: true } });
    runs.push({ info, mounts, posixShell, ...script });
  }
  return runs;
}

function describeScript(
  document: TextDocument,
  info: InstructionInfo,
  escapeChar: string,
  posixShell: boolean,
): { form: RunInstruction['form']; script: ShellScript } {
  const none: ShellScript = { commands: [], broken: false };
  if (info.execForm && info.execStrings) {
    const [name, ...args] = info.execStrings.map((s) => ({
      value: s.value,
      text: document.getText(s.range),
      start: document.offsetAt(s.range.start),
      end: document.offsetAt(s.range.end),
      literal: true,
    }));
    const start = info.read.offsetAt(info.read.restAt);
    const command = { ...(name ? { name } : {}), args, assignments: [], start, end: document.offsetAt(info.range.end), redirected: false };
    return { form: 'exec', script: { commands: name ? [command] : [], broken: false } };
  }
  const args = info.args;
  const first = args[0];
  if (!first || !posixShell) return { form: 'shell', script: none };
  const start = document.offsetAt(first.getRange().start);
  const end = document.offsetAt(info.range.end);
  const raw = document.getText().slice(start, end);
  const heredocs = info.read.heredocs;
  const lone = heredocs[0];
  const firstLine = document.getText({ start: first.getRange().start, end: { line: first.getRange().start.line + 1, character: 0 } });
  if (lone && /^<<-?(["']?)\w+\1\s*$/.test(firstLine)) {
    // `RUN <<EOF` alone on its line: the body is the script, run by the stage's shell.
    if (lone.content === '') return { form: 'heredoc', script: none };
    const bodyStart = lone.contentStart;
    const bodyText = lone.content;
    if (/^#!/.test(bodyText) && !/^#!\S*(?:sh|bash)\b/.test(bodyText)) return { form: 'heredoc', script: none };
    return { form: 'heredoc', script: parseShell(bodyText, bodyStart) };
  }
  // With heredocs the line structure matters to the shell; otherwise Docker joins the lines first.
  const source = heredocs.length > 0 ? raw : joinContinuations(raw, escapeChar);
  return { form: heredocs.length > 0 ? 'heredoc' : 'shell', script: parseShell(source, start) };
}

function parseMount(flag: Flag): Mount {
  const options = new Map<string, string>();
  for (const part of (flag.getValue() ?? '').split(',')) {
    const eq = part.indexOf('=');
    if (part) options.set((eq === -1 ? part : part.slice(0, eq)).toLowerCase(), eq === -1 ? '' : part.slice(eq + 1));
  }
  return { type: options.get('type') || 'bind', options, range: flag.getRange() };
}

function describeBase(
  document: TextDocument,
  from: InstructionInfo,
  earlier: readonly Stage[],
  expandText: (text: string) => { value: string; unresolved: readonly string[] },
): BaseImage | undefined {
  const image = from.args[0];
  if (!image) return undefined;
  const [range, text] = [image.getRange(), image.value];
  const { value: expanded, unresolved } = expandText(text);
  const parsed = unresolved.length === 0 ? parseImageRef(expanded) : undefined;
  const source: ImageSource = {
    text,
    expanded,
    range,
    spans: spansOf(document, range, text === expanded ? parsed?.spans : undefined),
  };
  if (unresolved.length > 0) return { kind: 'unresolved', unresolved, source };
  const lowered = expanded.toLowerCase();
  const stage = earlier.find((s) => s.name === lowered);
  if (stage) return { kind: 'stage', stageIndex: stage.index, source };
  if (lowered === 'scratch') return { kind: 'scratch', source };
  return parsed ? { kind: 'image', ref: parsed.ref, source } : { kind: 'invalid', source };
}

function spansOf(document: TextDocument, range: Range, spans: ImageRefSpans | undefined): ImageSource['spans'] {
  const start = document.offsetAt(range.start);
  // Offsets inside the argument map onto the document only when it was written on one line.
  if (!spans || range.start.line !== range.end.line) return { name: range };
  const toRange = ([from, to]: readonly [number, number]): Range => ({
    start: document.positionAt(start + from),
    end: document.positionAt(start + to),
  });
  return {
    name: toRange(spans.name),
    ...(spans.tag ? { tag: toRange(spans.tag) } : {}),
    ...(spans.digest ? { digest: toRange(spans.digest) } : {}),
  };
}
