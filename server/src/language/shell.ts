/**
 * Shell scripts of `RUN` (and shell-form `CMD`/`ENTRYPOINT`) split into simple commands with
 * their words, by a real Bash parser (unbash), with every position mapped back to the document.
 */
import { boundedMemo } from './memo';
import { forEachChild, parse, type SyntaxNode, type Word, type WordPart } from 'unbash';

export interface ShellWord {
  /** The word with quotes removed; expansions are kept as written (`$HOME`). */
  readonly value: string;
  /** The word as written. */
  readonly text: string;
  /** Document offsets, half-open. */
  readonly start: number;
  readonly end: number;
  /** No expansion, glob or tilde: the shell passes `value` to the program as it is. */
  readonly literal: boolean;
}

export interface ShellCommand {
  readonly name?: ShellWord;
  readonly args: readonly ShellWord[];
  /** `NAME=value` prefixes such as `DEBIAN_FRONTEND=noninteractive`. */
  readonly assignments: readonly string[];
  readonly start: number;
  readonly end: number;
  /** Where it sits in a pipeline of two or more commands (`a | b`), if it is in one. */
  readonly pipeline?: Pipe;
  /** Has redirections (`> file`, `2>&1`, `<<EOF`). */
  readonly redirected: boolean;
}

export interface Pipe {
  /** Same for all commands of one pipeline. */
  readonly id: number;
  readonly position: number;
  readonly size: number;
}

export interface ShellScript {
  readonly commands: readonly ShellCommand[];
  /** The parser had to recover from broken syntax; rules should not trust the details. */
  readonly broken: boolean;
}

/**
 * Parses `source`, whose first character sits at document offset `offset`.
 * Never throws: a script the parser cannot read comes back with no commands.
 */
export function parseShell(source: string, offset: number): ShellScript {
  // A keystroke changes one instruction; every other RUN of the file parses as it did before.
  const parsed = parsedScripts(source, () => parseAtZero(source));
  return offset === 0 ? parsed : rebase(parsed, offset);
}

const parsedScripts = boundedMemo<ShellScript>(1000);

function rebase(script: ShellScript, offset: number): ShellScript {
  // Field by field: object spreads are several times slower, and every RUN of a stage checked again is placed again.
  const word = (w: ShellWord): ShellWord => ({ value: w.value, text: w.text, start: w.start + offset, end: w.end + offset, literal: w.literal });
  const place = (c: ShellCommand): ShellCommand => {
    const placed: { -readonly [K in keyof ShellCommand]: ShellCommand[K] } = { args: c.args.map(word), assignments: c.assignments, redirected: c.redirected, start: c.start + offset, end: c.end + offset };
    if (c.name) placed.name = word(c.name);
    if (c.pipeline) placed.pipeline = c.pipeline;
    return placed;
  };
  return { broken: script.broken, commands: script.commands.map(place) };
}

function parseAtZero(source: string): ShellScript {
  let script;
  try {
    script = parse(source);
  } catch {
    return { commands: [], broken: true };
  }
  const commands: ShellCommand[] = [];
  const word = (w: Pick<Word, 'text' | 'pos' | 'end' | 'parts'> & { value?: string }): ShellWord =>
    PLAIN.test(w.text)
      ? { value: w.text, text: w.text, start: w.pos, end: w.end, literal: true }
      : { value: w.value ?? w.text, text: w.text, start: w.pos, end: w.end, literal: !w.text.startsWith('~') && (w.parts ?? []).every(isLiteralPart) };
  let pipelines = 0;
  let tooDeep = false;
  // The walk's state, saved and restored around each node: one callback for all nodes, not a closure per node.
  let pipeline: Pipe | undefined;
  let depth = 0;
  // Each level of `$(…)` is parsed when first visited, re-reading the text after it: a line of
  // thousands of nested substitutions costs seconds (about 70 ms a level on 240 KB). Real scripts
  // nest two or three levels (`$(dirname "$(readlink -f "$(command -v x)")")`).
  const visit = (node: SyntaxNode): void => {
    const outerPipeline = pipeline;
    const outerDepth = depth;
    if (SUBSTITUTIONS.has(node.type) && ++depth > MAX_SUBSTITUTION_DEPTH) {
      tooDeep = true;
      depth = outerDepth;
      return;
    }
    if (node.type === 'Command') {
      // Built field by field, without spreads: this runs for every command of every RUN.
      const args: ShellWord[] = [];
      // An assignment after the name (`env A=1 cmd`) is an ordinary argument to that command.
      for (const item of node.suffix) {
        if (item.type === 'Word') args.push(word(item));
        else if (item.type === 'Assignment') args.push({ value: item.text, text: item.text, start: item.pos, end: item.end, literal: !/[$`*?[\]{}~]/.test(item.text) });
      }
      const assignments: string[] = [];
      for (const p of node.prefix) if (p.type === 'Assignment') assignments.push(p.text);
      const command: { -readonly [K in keyof ShellCommand]: ShellCommand[K] } = { args, assignments, redirected: node.redirects.length > 0, start: node.pos, end: node.end };
      if (node.name) command.name = word(node.name);
      if (pipeline) command.pipeline = pipeline;
      commands.push(command);
      // What runs inside its words (`$(…)`) is in no pipeline of its own.
      pipeline = undefined;
    }
    if (node.type === 'Pipeline' && node.commands.length > 1) {
      const id = pipelines++;
      const size = node.commands.length;
      node.commands.forEach((child, position) => {
        pipeline = { id, position, size };
        visit(child);
      });
    } else if (node.type !== 'Word' || !PLAIN.test(node.text)) {
      // A plain word has one literal part and nothing inside; unbash takes a word's parts apart only when asked.
      forEachChild(node, visit);
    }
    pipeline = outerPipeline;
    depth = outerDepth;
  };
  visit(script);
  return { commands, broken: tooDeep || (script.errors?.length ?? 0) > 0 };
}

/** A word the shell neither expands nor unquotes: its value is its text. */
const PLAIN = /^[\w./:=@%+,-]*$/;

const SUBSTITUTIONS = new Set(['CommandExpansion', 'ProcessSubstitution', 'ArithmeticCommandExpansion']);
const MAX_SUBSTITUTION_DEPTH = 4;

function isLiteralPart(part: WordPart): boolean {
  if (part.type === 'Literal' || part.type === 'SingleQuoted' || part.type === 'AnsiCQuoted') return true;
  return part.type === 'DoubleQuoted' && part.parts.every((child) => child.type === 'Literal');
}

/**
 * The text of a continued instruction as one shell line, same length as the original so that
 * offsets still match: escaped newlines and the comment lines Docker drops become spaces.
 * One pass over the lines: this runs for every RUN of every file.
 */
export function joinContinuations(text: string, escapeChar: string): string {
  let joined = '';
  for (let start = 0, first = true; start < text.length; first = false) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline + 1;
    let kept = end;
    if (!first && isCommentLine(text, start, end)) kept = start;
    else if (newline !== -1) {
      kept = newline > start && text.charCodeAt(newline - 1) === CR ? newline - 1 : newline;
      // A continuation: the escape character, blanks, then the line's end.
      let k = kept;
      while (k > start && isBlankCode(text.charCodeAt(k - 1))) k--;
      if (k > start && text[k - 1] === escapeChar) kept = k - 1;
    }
    joined += text.slice(start, kept) + ' '.repeat(end - kept);
    start = end;
  }
  return joined;
}

const CR = 0x0d;
const isBlankCode = (c: number) => c === 0x20 || c === 0x09;

function isCommentLine(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && isBlankCode(text.charCodeAt(i))) i++;
  return text[i] === '#' && i < end;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * What the builder hands to the shell for a continued instruction: escaped newlines removed
 * (the next line's indentation kept), comment and empty lines inside it dropped.
 */
export function logicalLine(text: string, escapeChar: string): string {
  const continued = new RegExp(`${escapeRegExp(escapeChar)}[ \\t]*\\r?\\n`);
  return text
    .split(/(?<=\n)/)
    .filter((line, index) => index === 0 || !/^[ \t]*(?:#.*)?\r?\n?$/.test(line))
    .map((line) => line.replace(continued, ''))
    .join('')
    .replace(/\r?\n$/, '');
}
