/**
 * Reads a Dockerfile the way BuildKit's parser does (moby/buildkit frontend/dockerfile/parser:
 * parser.go `Parse`, split_command.go, line_parsers.go, directives.go), with document offsets kept,
 * so that every rule agrees with the builder on where instructions start and end, which lines are
 * dropped, what the flags and arguments are, which instructions are in exec (JSON) form, and what
 * heredocs hold. docs/buildkit-reading.md says construct by construct what BuildKit does; the
 * fixtures in test/fixtures/buildkit/ check that this module reads the same.
 *
 * Never throws. Where BuildKit's parser refuses the file, `refusal` says so in BuildKit's words and
 * the instructions read up to there are kept, so the editor still has something to show.
 */
import { boundedMemo } from './memo';
import { sameText } from './sameText';

export interface ReadFlag {
  /** As BuildKit's `extractBuilderFlags` returns it: quotes and escapes removed, `--` kept. */
  readonly text: string;
  /** Document offsets of the flag as written, half-open. */
  readonly start: number;
  readonly end: number;
}

export interface ReadHeredoc {
  readonly name: string;
  /** Unquoted delimiter: the builder expands variables in the body. */
  readonly expand: boolean;
  /** `<<-`: leading tabs are stripped from the body. */
  readonly chomp: boolean;
  /** The file descriptor written before `<<` (`3<<EOF`), 0 when none. */
  readonly fd: number;
  /** The body as BuildKit keeps it: every line after the instruction up to the terminator, line ends kept. */
  readonly content: string;
  /** Document offsets of the body (after the instruction's last line) and of the terminator line. */
  readonly contentStart: number;
  readonly contentEnd: number;
}

export interface ReadInstruction {
  /** The keyword as written. */
  readonly keyword: string;
  /** Upper-cased keyword. */
  readonly name: string;
  /** 0-based line of the keyword, and the last line (heredoc bodies and terminators included). */
  readonly startLine: number;
  readonly endLine: number;
  /** Document offsets: the keyword's first character, and the end of the last line without its line break. */
  readonly start: number;
  readonly end: number;
  /**
   * The logical line BuildKit parses: continuation characters removed, comment lines and empty
   * continuation lines dropped, the first line's leading blanks trimmed.
   */
  readonly line: string;
  readonly flags: readonly ReadFlag[];
  /** What follows the flags, trimmed (BuildKit's `args` string), and where it starts in `line`. */
  readonly rest: string;
  readonly restAt: number;
  /** What BuildKit hands the instruction (`req.args` in its instructions package). */
  readonly args: readonly string[];
  /** Parsed as a JSON array of strings (exec form). */
  readonly json: boolean;
  readonly heredocs: readonly ReadHeredoc[];
  /** For `ONBUILD`: the instruction it registers, read like any other. */
  readonly trigger?: ReadInstruction;
  /** Lines inside the instruction that were empty and so dropped (BuildKit warns: NoEmptyContinuation). */
  readonly emptyContinuationLines: readonly number[];
  /** Maps an index in `line` to its document offset. */
  offsetAt(index: number): number;
}

export interface ReadDirective {
  readonly name: 'syntax' | 'escape' | 'check';
  readonly value: string;
  readonly line: number;
  /** Offsets of the value. */
  readonly start: number;
  readonly end: number;
}

export interface Refusal {
  /** BuildKit's message, without its `dockerfile parse error on line N:` prefix. */
  readonly message: string;
  /** 0-based lines the error is reported for. */
  readonly startLine: number;
  readonly endLine: number;
}

export interface Reading {
  readonly escape: '\\' | '`';
  readonly directives: readonly ReadDirective[];
  readonly instructions: readonly ReadInstruction[];
  readonly refusal?: Refusal;
}

interface PhysicalLine {
  /** The line without its trailing `\r`/`\n` characters (Go's `TrimRight(line, "\r\n")`). */
  readonly text: string;
  readonly start: number;
}

/** Go's unicode.IsSpace. */
const SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const LEADING_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
/** BuildKit's reWhitespace. */
const WHITESPACE_RUN = /[\t\v\f\r ]+/;
const DIRECTIVE = /^([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*$/;
const DIRECTIVES = new Set(['syntax', 'escape', 'check']);
/** Instructions whose arguments may hold heredocs. */
const HEREDOC_INSTRUCTIONS = new Set(['ADD', 'COPY', 'RUN']);
const HEREDOC_WORD = /^(\d*)<<(-?)\s*([^<]*)$/;

type LineParser = (rest: string, escape: string) => { args: string[]; json: boolean } | { error: string };

/** Which of BuildKit's line parsers each instruction uses (parser.go's dispatch table). */
const LINE_PARSERS: Readonly<Record<string, LineParser>> = {
  ADD: maybeJsonToList,
  ARG: nameOrNameValue,
  CMD: maybeJson,
  COPY: maybeJsonToList,
  ENTRYPOINT: maybeJson,
  ENV: (rest, escape) => nameValue(rest, 'ENV', escape),
  EXPOSE: whitespaceDelimited,
  FROM: whitespaceDelimited,
  HEALTHCHECK: healthConfig,
  LABEL: (rest, escape) => nameValue(rest, 'LABEL', escape),
  MAINTAINER: wholeString,
  RUN: maybeJson,
  SHELL: maybeJson,
  STOPSIGNAL: wholeString,
  USER: wholeString,
  VOLUME: maybeJsonToList,
  WORKDIR: wholeString,
};

/** A version read before, whose instructions the next version takes where their lines did not change. */
export interface PreviousReading {
  readonly reading: Reading;
  readonly text: string;
}

export function readDockerfile(text: string, previous?: PreviousReading): Reading {
  const lines = physicalLines(text);
  const again = unchangedInstructions(text, lines, previous);
  let escape: '\\' | '`' = '\\';
  let continuation = CONTINUATION[escape];
  const directives: ReadDirective[] = [];
  const instructions: ReadInstruction[] = [];
  let directivesDone = false;
  const seen = new Set<string>();

  /** BuildKit's DirectiveParser.ParseLine on one (left-trimmed) line; a refusal message when it errs. */
  const directiveOn = (index: number, trimmed: string, trimmedAt: number): string | undefined => {
    if (directivesDone) return undefined;
    if (!trimmed.startsWith('#')) {
      directivesDone = true;
      return undefined;
    }
    const afterHash = trimmed.slice(1);
    const body = afterHash.replace(LEADING_SPACE, '');
    const match = DIRECTIVE.exec(body);
    const name = match?.[1]?.toLowerCase();
    if (!match || !name || !DIRECTIVES.has(name)) {
      directivesDone = true;
      return undefined;
    }
    if (seen.has(name)) return `only one ${name} parser directive can be used`;
    seen.add(name);
    const value = match[2]!;
    const valueAt = trimmedAt + 1 + (afterHash.length - body.length) + body.indexOf(value, match[1]!.length);
    if (name === 'escape') {
      if (value !== '`' && value !== '\\') return `invalid escape token '${value}' does not match \` or \\`;
      escape = value;
      continuation = CONTINUATION[escape];
    }
    directives.push({ name: name as ReadDirective['name'], value, line: index, start: valueAt, end: valueAt + value.length });
    return undefined;
  };

  const refuse = (message: string, startLine: number, endLine: number): Reading => ({
    escape,
    directives,
    instructions,
    refusal: { message, startLine, endLine },
  });

  let i = 0;
  while (i < lines.length) {
    const first = lines[i]!;
    const startLine = i;
    const lead = leadingSpace(first.text);
    const trimmed = first.text.slice(lead);
    const problem = directiveOn(i, trimmed, first.start + lead);
    if (problem) return refuse(problem, i, i);
    i++;
    if (trimmed.startsWith('#')) continue;
    const kept = again(startLine, first.start + lead, escape);
    if (kept) {
      instructions.push(kept);
      i = kept.endLine + 1;
      continue;
    }
    // Pieces of the logical line, each with the document offset of its first character.
    const pieces: { text: string; at: number }[] = [];
    const emptyContinuationLines: number[] = [];
    let [piece, ended] = trimContinuation(trimmed, continuation, escape);
    if (ended && piece.length === 0) continue;
    pieces.push({ text: piece, at: first.start + lead });
    while (!ended && i < lines.length) {
      const next = lines[i]!;
      i++;
      const nextLead = leadingSpace(next.text);
      if (next.text.charCodeAt(nextLead) === HASH) continue;
      if (nextLead === next.text.length) {
        emptyContinuationLines.push(i - 1);
        continue;
      }
      [piece, ended] = trimContinuation(next.text, continuation, escape);
      pieces.push({ text: piece, at: next.start });
    }
    const logical = joinPieces(pieces);
    const node = readLine[escape](logical.line, () => nodeFromLine(logical.line, escape));
    if ('error' in node) return refuse(node.error, startLine, i - 1);

    // Heredoc bodies follow the instruction's last line.
    const heredocs: ReadHeredoc[] = [];
    const holder = node.trigger ?? node;
    if (HEREDOC_INSTRUCTIONS.has(holder.name) && !holder.json && logical.line.includes('<<')) {
      for (const heredoc of heredocsIn(logical.line)) {
        const contentStart = lines[i]?.start ?? text.length;
        let terminated = false;
        let content = '';
        while (i < lines.length) {
          const line = lines[i]!;
          i++;
          const candidate = heredoc.chomp ? line.text.replace(/^\t+/, '') : line.text;
          if (candidate === heredoc.name) {
            terminated = true;
            break;
          }
          content += text.slice(line.start, lines[i]?.start ?? text.length);
        }
        if (!terminated) return refuse('unterminated heredoc', startLine, i - 1);
        heredocs.push({ ...heredoc, content, contentStart, contentEnd: contentStart + content.length });
      }
    }
    const endLine = i - 1;
    const last = lines[endLine]!;
    instructions.push(
      finish(node, {
        startLine,
        endLine,
        start: first.start + lead,
        end: last.start + last.text.length,
        heredocs,
        emptyContinuationLines,
        offsetAt: logical.offsetAt,
      }),
    );
  }
  // dockerfile2llb refuses an empty file before parsing it; the parser refuses one with only comments.
  if (text.replace(/^\uFEFF/, '').length === 0) return refuse('the Dockerfile cannot be empty', 0, 0);
  if (instructions.length === 0) return refuse('file with no instructions', Math.max(0, lines.length - 1), Math.max(0, lines.length - 1));
  return { escape, directives: [...directives, ...syntaxAfterShebang(lines, directives)], instructions };
}

/**
 * The previous version's instruction starting on `line`, moved to this version's offsets, when its
 * lines are the same text: how an instruction reads depends only on its own lines and the escape
 * character (the directives end at the first instruction). A keystroke thus reads one instruction
 * again, not the file. The previous version's last instruction is always read again: it may have
 * ended with the file, where a line now added would continue it.
 */
function unchangedInstructions(text: string, lines: readonly PhysicalLine[], previous: PreviousReading | undefined): (line: number, start: number, escape: string) => ReadInstruction | undefined {
  if (!previous || previous.reading.instructions.length < 2) return () => undefined;
  const earlier = previous.reading.instructions;
  // The reader asks line by line, downwards, as the earlier instructions are ordered: a cursor
  // finds each one without a map of them built on every keystroke. The last one is never lent.
  let next = 0;
  // `start`: where the instruction's keyword is. The blanks before it change its offsets, not how it reads.
  return (line, start, escape) => {
    while (next < earlier.length - 1 && earlier[next]!.startLine < line) next++;
    const before = next < earlier.length - 1 && earlier[next]!.startLine === line ? earlier[next] : undefined;
    const last = before && lines[before.endLine];
    if (!before || !last || escape !== previous.reading.escape) return undefined;
    const length = last.start + last.text.length - start;
    if (length !== before.end - before.start || !sameText(text, start, previous.text, before.start, length)) return undefined;
    return moved(before, start - before.start);
  };
}

/**
 * Where a moved instruction came from: its offsets are the original's plus `by`, so moving it again
 * adds no layer. Kept on the instruction itself, not in a WeakMap: V8's minor collections keep the
 * value of each young key of a long-lived WeakMap alive and promote it, and a keystroke moves every
 * instruction below it.
 */
const ORIGIN = Symbol('origin');
interface Origin {
  readonly read: ReadInstruction;
  readonly by: number;
}
type Placed = ReadInstruction & { readonly [ORIGIN]: Origin | undefined };

/** The instruction as first read: the same object for each of its moved copies. */
export function originOf(read: ReadInstruction): ReadInstruction {
  return (read as Placed)[ORIGIN]?.read ?? read;
}

function moved(read: ReadInstruction, by: number): ReadInstruction {
  if (by === 0) return read;
  const origin = (read as Placed)[ORIGIN] ?? { read, by: 0 };
  const total = origin.by + by;
  const base = origin.read;
  // Written out field by field: a spread of the original is several times slower, on every keystroke.
  const shifted: Placed = {
    keyword: read.keyword,
    name: read.name,
    line: read.line,
    rest: read.rest,
    restAt: read.restAt,
    args: read.args,
    json: read.json,
    flags: read.flags.length === 0 ? read.flags : read.flags.map((f) => ({ text: f.text, start: f.start + by, end: f.end + by })),
    ...(read.trigger ? { trigger: moved(read.trigger, by) } : {}),
    startLine: read.startLine,
    endLine: read.endLine,
    start: read.start + by,
    end: read.end + by,
    heredocs: read.heredocs.length === 0 ? read.heredocs : read.heredocs.map((h) => ({ ...h, contentStart: h.contentStart + by, contentEnd: h.contentEnd + by })),
    emptyContinuationLines: read.emptyContinuationLines,
    offsetAt: (index) => base.offsetAt(index) + total,
    [ORIGIN]: { read: base, by: total },
  };
  return shifted;
}

/**
 * BuildKit picks its frontend (`# syntax=`) with a second look that skips a `#!` first line, which
 * ends the parser's own directives: so after a shebang the syntax directive counts, and only it.
 */
function syntaxAfterShebang(lines: readonly PhysicalLine[], found: readonly ReadDirective[]): ReadDirective[] {
  if (!lines[0]?.text.startsWith('#!') || found.some((d) => d.name === 'syntax')) return [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.text.startsWith('#')) break;
    const body = line.text.slice(1).replace(LEADING_SPACE, '');
    const match = DIRECTIVE.exec(body);
    const name = match?.[1]?.toLowerCase();
    if (!match || !name || !DIRECTIVES.has(name)) break;
    if (name !== 'syntax') continue;
    const at = line.start + line.text.indexOf(match[2]!, line.text.indexOf('=') + 1);
    return [{ name: 'syntax', value: match[2]!, line: i, start: at, end: at + match[2]!.length }];
  }
  return [];
}

interface Node {
  readonly keyword: string;
  readonly name: string;
  readonly line: string;
  readonly flags: readonly { text: string; from: number; to: number }[];
  readonly rest: string;
  readonly restAt: number;
  readonly args: readonly string[];
  readonly json: boolean;
  readonly trigger?: Node;
  /** Where `line` starts inside the enclosing instruction's line (ONBUILD triggers). */
  readonly at: number;
}

const NO_FLAGS: readonly ReadFlag[] = [];

function finish(
  node: Node,
  place: Pick<ReadInstruction, 'startLine' | 'endLine' | 'start' | 'end' | 'heredocs' | 'emptyContinuationLines' | 'offsetAt'>,
): Placed {
  const offsetAt = (index: number) => place.offsetAt(node.at + index);
  return {
    keyword: node.keyword,
    name: node.name,
    line: node.line,
    rest: node.rest,
    restAt: node.restAt,
    args: node.args,
    json: node.json,
    flags: node.flags.length === 0 ? NO_FLAGS : node.flags.map((f) => ({ text: f.text, start: offsetAt(f.from), end: offsetAt(f.to - 1) + 1 })),
    // BuildKit attaches a trigger's heredocs to the ONBUILD node, as here.
    ...(node.trigger ? { trigger: finish(node.trigger, { ...place, heredocs: [], start: offsetAt(node.trigger.at - node.at), offsetAt: place.offsetAt }) } : {}),
    startLine: place.startLine,
    endLine: place.endLine,
    start: place.start,
    end: place.end,
    heredocs: place.heredocs,
    emptyContinuationLines: place.emptyContinuationLines,
    offsetAt,
    // Present on every instruction, so that fresh and moved ones have one shape.
    [ORIGIN]: undefined,
  };
}

/** Lines split on `\n` only, as BuildKit's scanner does (a lone `\r` does not end a line). */
function physicalLines(text: string): PhysicalLine[] {
  const lines: PhysicalLine[] = [];
  let start = text.startsWith('\uFEFF') ? 1 : 0;
  while (start <= text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl + 1;
    if (nl === -1 && start === text.length) break;
    // Go's TrimRight(line, "\r\n"), without a second string.
    let trimmed = end;
    while (trimmed > start && (text.charCodeAt(trimmed - 1) === 0x0a || text.charCodeAt(trimmed - 1) === 0x0d)) trimmed--;
    lines.push({ text: text.slice(start, trimmed), start });
    start = end;
  }
  return lines;
}

const HASH = 0x23;

/** How many characters at the start of `text` are blanks to Go's unicode.IsSpace (LEADING_SPACE, without making a string). */
function leadingSpace(text: string): number {
  let i = 0;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** BuildKit's lineContinuationRegex, per escape token: the token last on the line (blanks after it allowed), not itself escaped… mostly. */
const CONTINUATION = { '\\': /([^\\])\\[ \t]*$|^\\[ \t]*$/, '`': /([^`])`[ \t]*$|^`[ \t]*$/ };

function trimContinuation(line: string, pattern: RegExp, escape: string): [string, boolean] {
  // Most lines do not end in the escape character (blanks after it allowed): no need to ask the pattern.
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 0x20 || line.charCodeAt(end - 1) === 0x09)) end--;
  if (end === 0 || line[end - 1] !== escape) return [line, true];
  const found = pattern.exec(line);
  if (!found) return [line, true];
  return [line.slice(0, found.index) + (found[1] ?? ''), false];
}

function joinPieces(pieces: readonly { text: string; at: number }[]): { line: string; offsetAt: (index: number) => number } {
  if (pieces.length === 1) {
    const { text, at } = pieces[0]!;
    return { line: text, offsetAt: (index) => at + index };
  }
  const starts: number[] = [];
  let line = '';
  for (const piece of pieces) {
    starts.push(line.length);
    line += piece.text;
  }
  const offsetAt = (index: number): number => {
    // The last piece starting at or before `index`, by halves: a long RUN has dozens of pieces and each word asks twice.
    let [low, high] = [0, starts.length - 1];
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! > index) high = middle - 1;
      else low = middle;
    }
    return pieces[low]!.at + (index - starts[low]!);
  };
  return { line, offsetAt };
}

/** parser.go newNodeFromLine: the keyword, the flags, and the instruction's own line parser. */
/** An instruction's logical line reads the same in every version of the file (nodes are never changed); one memo per escape character. */
const readLine = { '\\': boundedMemo<Node | { error: string }>(1000), '`': boundedMemo<Node | { error: string }>(1000) };

function nodeFromLine(line: string, escape: string, at = 0): Node | { error: string } {
  const trimmedLead = line.length - line.replace(LEADING_SPACE, '').length;
  const body = line.slice(trimmedLead).replace(/[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/, '');
  const split = WHITESPACE_RUN.exec(body);
  const keyword = split ? body.slice(0, split.index) : body;
  const afterKeyword = split ? split.index + split[0].length : body.length;
  const { flags, restFrom } = builderFlags(body.slice(afterKeyword), escape);
  const restRaw = body.slice(afterKeyword + restFrom);
  const restLead = restRaw.length - restRaw.replace(LEADING_SPACE, '').length;
  const rest = restRaw.trim() === '' ? '' : restRaw.slice(restLead).replace(/[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/, '');
  const restAt = trimmedLead + afterKeyword + restFrom + restLead;
  const name = keyword.toUpperCase();
  const shift = (f: { text: string; from: number; to: number }) => ({ ...f, from: f.from + trimmedLead + afterKeyword, to: f.to + trimmedLead + afterKeyword });
  if (name === 'ONBUILD') {
    if (rest === '') return { keyword, name, line, flags: flags.map(shift), rest, restAt, args: [], json: false, at };
    const trigger = nodeFromLine(rest, escape, at + restAt);
    if ('error' in trigger) return trigger;
    return { keyword, name, line, flags: flags.map(shift), rest, restAt, args: [trigger.keyword, ...trigger.args], json: false, trigger, at };
  }
  const parser = LINE_PARSERS[name];
  // Unknown instructions get parseIgnore's one empty node, which the instructions package sees as one empty argument.
  const parsed = parser ? parser(rest, escape) : { args: [''], json: false };
  if ('error' in parsed) return parsed;
  return { keyword, name, line, flags: flags.map(shift), rest, restAt, args: parsed.args, json: parsed.json, at };
}

/**
 * split_command.go extractBuilderFlags: `--name=value` words at the start, up to a word that is not a
 * flag or a lone `--`. BuildKit walks the line's UTF-8 bytes one by one, so outside ASCII a byte can
 * pass for a blank (0xA0) and multi-byte characters come back as one character per byte; this does
 * the same, then maps byte offsets back to the line's.
 */
function builderFlags(line: string, escape: string): { flags: { text: string; from: number; to: number }[]; restFrom: number } {
  if (/^[\x00-\x7f]*$/.test(line)) return builderFlagsOf(line, escape);
  const bytes = new TextEncoder().encode(line);
  let latin = '';
  for (const byte of bytes) latin += String.fromCharCode(byte);
  const found = builderFlagsOf(latin, escape);
  const at = (byteOffset: number) => new TextDecoder().decode(bytes.subarray(0, byteOffset)).length;
  return { flags: found.flags.map((f) => ({ ...f, from: at(f.from), to: at(f.to) })), restFrom: at(found.restFrom) };
}

function builderFlagsOf(line: string, escape: string): { flags: { text: string; from: number; to: number }[]; restFrom: number } {
  const flags: { text: string; from: number; to: number }[] = [];
  let pos = 0;
  while (pos < line.length) {
    while (pos < line.length && SPACE.test(line[pos]!)) pos++;
    if (pos >= line.length) return { flags, restFrom: line.length };
    if (line[pos] !== '-' || line[pos + 1] !== '-') return { flags, restFrom: pos };
    const from = pos;
    let word = '';
    let quote = '';
    let blankOK = false;
    for (; pos < line.length; pos++) {
      const ch = line[pos]!;
      if (quote) {
        if (ch === quote) quote = '';
        else if (ch === escape) {
          if (pos + 1 === line.length) quote = '';
          else word += line[++pos];
        } else word += ch;
        continue;
      }
      if (SPACE.test(ch)) break;
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
      } else if (ch === escape) {
        if (pos + 1 < line.length) word += line[++pos];
      } else word += ch;
    }
    if (word === '--') return { flags, restFrom: pos };
    if (blankOK || word.length > 0) flags.push({ text: word, from, to: pos });
  }
  return { flags, restFrom: line.length };
}

/** line_parsers.go parseWords: words split on blanks, quotes kept (removed later by the builder). */
function words(rest: string, escape: string): string[] {
  const out: string[] = [];
  let word = '';
  let inWord = false;
  let quote = '';
  let blankOK = false;
  const chars = [...rest];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (!inWord && !quote) {
      if (SPACE.test(ch)) continue;
      inWord = true;
    }
    if (quote) {
      if (ch === quote) quote = '';
      if (ch === escape && quote !== "'" && quote !== '') {
        if (i + 1 === chars.length) {
          quote = '';
          continue;
        }
        word += ch;
        word += chars[++i];
        continue;
      }
      word += ch;
      continue;
    }
    if (SPACE.test(ch)) {
      if (blankOK || word.length > 0) out.push(word);
      word = '';
      inWord = false;
      blankOK = false;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      blankOK = true;
    }
    if (ch === escape) {
      if (i + 1 === chars.length) continue;
      word += ch;
      word += chars[++i];
      continue;
    }
    word += ch;
  }
  if ((inWord || quote) && (blankOK || word.length > 0)) out.push(word);
  return out;
}

function whitespaceDelimited(rest: string): { args: string[]; json: boolean } {
  return { args: rest === '' ? [] : rest.split(WHITESPACE_RUN), json: false };
}

function wholeString(rest: string): { args: string[]; json: boolean } {
  return { args: rest === '' ? [] : [rest], json: false };
}

const NOT_JSON = Symbol('not json');

/** parseJSON: a JSON array of strings, or why not. */
function json(rest: string): string[] | typeof NOT_JSON | { error: string } {
  const trimmed = rest.replace(LEADING_SPACE, '');
  if (!trimmed.startsWith('[')) return NOT_JSON;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return NOT_JSON;
  }
  if (!Array.isArray(parsed)) return NOT_JSON;
  if (!parsed.every((v): v is string => typeof v === 'string')) return { error: 'when using JSON array syntax, arrays must be comprised of strings only' };
  return parsed;
}

function maybeJson(rest: string): { args: string[]; json: boolean } | { error: string } {
  if (rest === '') return { args: [], json: false };
  const parsed = json(rest);
  if (parsed === NOT_JSON) return { args: [rest], json: false };
  if (!Array.isArray(parsed)) return parsed;
  return { args: parsed, json: true };
}

function maybeJsonToList(rest: string): { args: string[]; json: boolean } | { error: string } {
  const parsed = json(rest);
  if (parsed === NOT_JSON) return whitespaceDelimited(rest);
  if (!Array.isArray(parsed)) return parsed;
  return { args: parsed, json: true };
}

function healthConfig(rest: string): { args: string[]; json: boolean } | { error: string } {
  const sep = rest.search(/\s/);
  const end = sep === -1 ? rest.length : sep;
  if (end === 0) return { args: [], json: false };
  const type = rest.slice(0, end);
  const command = maybeJson(rest.slice(end).replace(/^\s+/, ''));
  if ('error' in command) return command;
  return { args: [type, ...command.args], json: command.json };
}

/** parseNameVal: `KEY=value …`, or the legacy `KEY value` (one pair, the value being the rest). */
function nameValue(rest: string, instruction: string, escape: string): { args: string[]; json: boolean } | { error: string } {
  const found = words(rest, escape);
  if (found.length === 0) return { args: [], json: false };
  if (!found[0]!.includes('=')) {
    const parts = rest.split(WHITESPACE_RUN);
    if (parts.length < 2) return { error: `${instruction} must have two arguments` };
    const at = WHITESPACE_RUN.exec(rest)!;
    return { args: [parts[0]!, rest.slice(at.index + at[0].length), ''], json: false };
  }
  const args: string[] = [];
  for (const word of found) {
    const eq = word.indexOf('=');
    if (eq === -1) return { error: `Syntax error - can't find = in ${goQuote(word)}. Must be of the form: name=value` };
    args.push(word.slice(0, eq), word.slice(eq + 1), '=');
  }
  return { args, json: false };
}

function nameOrNameValue(rest: string, escape: string): { args: string[]; json: boolean } {
  return { args: words(rest, escape), json: false };
}

/** Go's %q for the error messages that quote a word. */
function goQuote(text: string): string {
  return JSON.stringify(text);
}

/**
 * parser.go heredocsFromLine: the line split into words as BuildKit's shell lexer does (quotes and
 * backslash escapes kept, `<<` and the blanks after it glued to the next word); each word of the form
 * `[n]<<[-]WORD` is a heredoc.
 */
export function heredocsIn(line: string): Omit<ReadHeredoc, 'content' | 'contentStart' | 'contentEnd'>[] {
  const found: Omit<ReadHeredoc, 'content' | 'contentStart' | 'contentEnd'>[] = [];
  for (const word of lexWords(line) ?? []) {
    const match = HEREDOC_WORD.exec(word);
    if (!match || !match[3]) continue;
    const raw = match[3];
    const unquoted = lexWords(raw, false);
    if (!unquoted || unquoted.length !== 1) continue;
    const name = unquoted[0]!;
    const quotes = (s: string) => (s.match(/['"]/g) ?? []).length;
    found.push({ name, expand: quotes(name) === quotes(raw), chomp: match[2] === '-', fd: Number(match[1] || 0) });
  }
  return found;
}

/** Words of a line with BuildKit's lexer (escape token `\`); `undefined` when a quote is left open. */
function lexWords(line: string, raw = true): string[] | undefined {
  const out: string[] = [];
  let word = '';
  let inWord = false;
  const push = () => {
    if (word.length > 0) out.push(word);
    word = '';
    inWord = false;
  };
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === "'" || ch === '"') {
      const close = ch === "'" ? line.indexOf("'", i + 1) : closingDoubleQuote(line, i + 1);
      if (close === -1) return undefined;
      const inside = line.slice(i + 1, close);
      word += raw ? line.slice(i, close + 1) : ch === '"' ? inside.replace(/\\(["$\\])/g, '$1') : inside;
      inWord = true;
      i = close;
    } else if (ch === '<' && line[i + 1] === '<') {
      let j = i + 2;
      while (j < line.length && (line[j] === ' ' || line[j] === '\t')) j++;
      word += line.slice(i, j);
      inWord = true;
      i = j - 1;
    } else if (ch === '\\') {
      if (raw) word += ch;
      if (i + 1 < line.length) word += line[++i];
      inWord = true;
    } else if (SPACE.test(ch)) {
      if (inWord) push();
    } else {
      word += ch;
      inWord = true;
    }
  }
  push();
  return out;
}

function closingDoubleQuote(line: string, from: number): number {
  for (let i = from; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '"') return i;
  }
  return -1;
}

/** The strings of an exec-form instruction with their document offsets (continued lines included). */
export function execStrings(read: ReadInstruction): { value: string; start: number; end: number }[] {
  if (!read.json) return [];
  const { line } = read;
  const strings: { value: string; start: number; end: number }[] = [];
  let i = line.indexOf('[', read.restAt);
  while (i !== -1 && i < line.length) {
    const open = line.indexOf('"', i + 1);
    if (open === -1) break;
    let close = open + 1;
    while (close < line.length && line[close] !== '"') close += line[close] === '\\' ? 2 : 1;
    const token = line.slice(open, close + 1);
    strings.push({ value: JSON.parse(token) as string, start: read.offsetAt(open), end: read.offsetAt(close) + 1 });
    i = close + 1;
  }
  return strings;
}
