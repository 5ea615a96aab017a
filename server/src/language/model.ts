/**
 * The shared, read-only picture of one Dockerfile that every rule looks at.
 * It is built once per text version, so rules never parse or resolve on their own.
 */
import {
  DockerfileParser,
  From,
  PropertyInstruction,
  Run,
  type Dockerfile,
  type Flag,
  type Argument,
  type Heredoc,
  type Instruction,
  type Property,
} from 'dockerfile-ast';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';
import { parseInstructions, type Chunks } from './astChunks';
import { parseImageRef, type ImageRef, type ImageRefSpans } from './imageRef';
import { execStrings, readDockerfile, type ReadInstruction, type Reading } from './reader';
import { joinContinuations, parseShell, type ShellScript } from './shell';
import { expand } from './variables';
import { weakMemo } from './memo';

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
  readonly node: Instruction;
  /** Upper-cased keyword: `RUN`, `FROM`, … */
  readonly keyword: string;
  /** Index of the stage it belongs to; `undefined` for `ARG`s before the first `FROM`. */
  readonly stage: number | undefined;
  readonly range: Range;
  readonly flags: readonly Flag[];
  /** The JSON-array (exec) form's strings, for instructions BuildKit reads that way. */
  readonly execForm?: readonly string[];
  /** The same strings with their ranges in the document. */
  readonly execStrings?: readonly { readonly value: string; readonly range: Range }[];
  /** How BuildKit's parser reads the instruction; absent only where dockerfile-ast sees an instruction BuildKit does not. */
  readonly read?: ReadInstruction;
  /** `key=value` pairs of `ARG`, `ENV` and `LABEL`. */
  readonly properties: readonly Property[];
  /** The arguments after the flags, taken apart once (the parser redoes it on every call). */
  readonly args: readonly Argument[];
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
  readonly from: From;
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
  /** dockerfile-ast's parse of the whole file; made on first use when the model was built from the previous version's nodes. */
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

/** What a model keeps for building the next version's from it; one per model, gone with it. */
const chunksOf = new WeakMap<DockerfileModel, () => Chunks | undefined>();

type Slots = Map<string, Map<string, unknown>>;
/** Results kept by key for the next version: this model's, and those the previous version kept (only those, so no chain of versions stays alive). */
const carried = new WeakMap<DockerfileModel, { readonly before: Slots | undefined; readonly now: Slots }>();

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
 * `previous`, a model of an earlier version of the same document, lends its parse of every
 * instruction whose text did not change (see astChunks.ts); the model is the same either way.
 */
export function buildModel(
  text: string,
  uri = 'untitled:Dockerfile',
  buildArgs: Readonly<Record<string, string>> = {},
  previous?: DockerfileModel,
): DockerfileModel {
  const document = TextDocument.create(uri, 'dockerfile', 0, text);
  const reading = readDockerfile(text, previous && { reading: previous.reading, text: previous.document.getText() });
  const parsed = parseInstructions(text, reading, previous && chunksOf.get(previous)?.());
  const escapeChar = reading.escape;
  const rangeOf = (start: number, end: number): Range => ({ start: document.positionAt(start), end: document.positionAt(end) });

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

  const nodes = parsed.instructions;
  const froms = nodes.filter((n): n is From => n instanceof From);
  const fromLines = froms.map((f) => f.getRange().start.line);
  const readAt = new Map(reading.instructions.map((r) => [r.startLine, r]));
  // Nodes come in document order: each belongs to the last FROM at or above it.
  const byStage: InstructionInfo[][] = froms.map(() => []);
  let stageIndex: number | undefined;
  let nextFrom = 0;
  // The previous version's description of a node it shares with this one (astChunks.ts), taken
  // whole where the reading is the same object too (the instruction did not move: it is before the
  // edit), and otherwise reused for its exec strings, whose ranges are lines and characters.
  const before = new Map((previous?.instructions ?? []).map((info) => [info.node, info] as const));
  const instructions: InstructionInfo[] = nodes.map((node) => {
    const line = node.getRange().start.line;
    while (nextFrom < fromLines.length && line >= fromLines[nextFrom]!) stageIndex = nextFrom++;
    const found = readAt.get(line);
    const read = found?.name === factsOf(node).keyword ? found : undefined;
    const earlier = before.get(node);
    const info = earlier !== undefined && earlier.stage === stageIndex && earlier.read === read ? earlier : describeInstruction(document, node, stageIndex, read, earlier);
    if (stageIndex !== undefined) byStage[stageIndex]!.push(info);
    return info;
  });

  const stages: Stage[] = [];
  froms.forEach((from, index) => {
    const own = byStage[index]!;
    const { stageName, nameRange } = fromFacts(from);
    const base = describeBase(document, from, stages, (t) => expand(t, lookup, escapeChar, true));
    let runs: RunInstruction[] | undefined;
    stages.push({
      index,
      ...(stageName ? { name: stageName.toLowerCase() } : {}),
      ...(nameRange ? { nameRange } : {}),
      from,
      ...(base ? { base } : {}),
      instructions: own,
      // Shell parses placed on this version's offsets, made when a rule first asks: after a keystroke
      // the stage rules look only at the stages whose key changed.
      get runs() {
        return (runs ??= describeRuns(document, own, escapeChar));
      },
      isFinal: index === froms.length - 1,
    });
  });

  const directive = (name: string) => {
    const found = parsed.head.getDirectives().find((d) => d.getName().toLowerCase() === name);
    return found ? { value: found.getValue(), range: found.getRange() } : undefined;
  };
  const directives = Object.fromEntries(
    (['syntax', 'escape', 'check'] as const).flatMap((name) => {
      const found = directive(name);
      return found ? [[name, found]] : [];
    }),
  );
  let ast = parsed.ast;
  const model: DockerfileModel = {
    document,
    get ast() {
      return (ast ??= DockerfileParser.parse(text));
    },
    reading,
    escapeChar,
    directives,
    stages,
    instructions,
    preamble: instructions.filter((info) => info.stage === undefined),
    globalArgs,
    rangeOf,
  };
  chunksOf.set(model, parsed.chunks);
  carried.set(model, { before: previous ? (carried.get(previous)?.now ?? new Map()) : undefined, now: new Map() });
  return model;
}

/** What dockerfile-ast says of a node, taken apart once per node: nodes outlive a keystroke (astChunks.ts). */
interface NodeFacts {
  readonly keyword: string;
  readonly range: Range;
  readonly flags: readonly Flag[];
  readonly args: readonly Argument[];
  readonly properties: readonly Property[];
}
const factsOf = weakMemo(
  (node: Instruction): NodeFacts => ({
    keyword: node.getKeyword().toUpperCase(),
    range: node.getRange(),
    flags: 'getFlags' in node && typeof node.getFlags === 'function' ? (node.getFlags() as Flag[]) : [],
    args: safely(() => node.getArguments(), []),
    properties: node instanceof PropertyInstruction ? node.getProperties() : [],
  }),
);

/** A FROM's stage name and image, each of which dockerfile-ast re-reads from the arguments on every call. */
interface FromFacts {
  readonly stageName: string | null;
  readonly nameRange: Range | null;
  readonly image: string | null;
  readonly imageRange: Range | null;
}
const fromFacts = weakMemo((from: From): FromFacts => ({ stageName: from.getBuildStage(), nameRange: from.getBuildStageRange(), image: from.getImage(), imageRange: from.getImageRange() }));

const heredocsOf = weakMemo((node: Run): readonly Heredoc[] => safely(() => node.getHeredocs(), []));

/** `earlier`: the previous version's description of the same node, if there is one. */
function describeInstruction(document: TextDocument, node: Instruction, stage: number | undefined, read: ReadInstruction | undefined, earlier?: InstructionInfo): InstructionInfo {
  const { keyword, range, flags, args, properties } = factsOf(node);
  // HEALTHCHECK's type word (CMD) comes before its command.
  const execForm = read?.json ? (read.name === 'HEALTHCHECK' ? read.args.slice(1) : read.args) : undefined;
  return {
    node,
    args,
    keyword,
    stage,
    range,
    flags,
    ...(execForm ? { execForm, execStrings: earlier?.execStrings ?? placedExecStrings(document, read!) } : {}),
    ...(read ? { read } : {}),
    properties,
  };
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
  const node = info.node;
  if (info.execForm && info.execStrings) {
    const [name, ...args] = info.execStrings.map((s) => ({
      value: s.value,
      text: document.getText(s.range),
      start: document.offsetAt(s.range.start),
      end: document.offsetAt(s.range.end),
      literal: true,
    }));
    const start = info.read ? info.read.offsetAt(info.read.restAt) : document.offsetAt(info.range.start);
    const command = { ...(name ? { name } : {}), args, assignments: [], start, end: document.offsetAt(info.range.end), redirected: false };
    return { form: 'exec', script: { commands: name ? [command] : [], broken: false } };
  }
  const args = info.args;
  const first = args[0];
  if (!first || !posixShell) return { form: 'shell', script: none };
  const start = document.offsetAt(first.getRange().start);
  const end = document.offsetAt(info.range.end);
  const raw = document.getText().slice(start, end);
  // Heredoc detection re-tokenises the instruction; skip it when no `<<` could start one.
  const heredocs = node instanceof Run && raw.includes('<<') ? heredocsOf(node) : [];
  const lone = heredocs[0];
  const firstLine = document.getText({ start: first.getRange().start, end: { line: first.getRange().start.line + 1, character: 0 } });
  if (lone && /^<<-?(["']?)\w+\1\s*$/.test(firstLine)) {
    // `RUN <<EOF` alone on its line: the body is the script, run by the stage's shell.
    const body = lone.getContentRange();
    if (!body) return { form: 'heredoc', script: none };
    const bodyStart = document.offsetAt(body.start);
    const bodyText = document.getText(body);
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
  from: From,
  earlier: readonly Stage[],
  expandText: (text: string) => { value: string; unresolved: readonly string[] },
): BaseImage | undefined {
  const { imageRange: range, image: text } = fromFacts(from);
  if (!range || text === null) return undefined;
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
