/**
 * An instruction's words and flags, taken from the logical line BuildKit's reader joined
 * (reader.ts), with document offsets: what the rules read as an instruction's arguments.
 *
 * A word is split on blanks, keeps its quotes, and has its escapes taken out (an escape character
 * before `$` is kept: whether `$` expands depends on it); an escaped blank ends a word. Continuation
 * characters and the comment lines inside an instruction are already gone from the logical line.
 * Heredoc bodies and their terminators follow as words too: `RUN <<EOF` reads the lines after it.
 *
 * The words are those dockerfile-ast's `getRawArguments` gives and the flags those its `getFlags`
 * gives, which the rules were written against; test/unit/words.test.ts compares them over the
 * corpus. Ranges are made when first asked for: most words are never placed in a diagnostic.
 *
 * The parts of an instruction are shared by the versions of the document in which its text and first
 * line stay the same (model.ts): they answer in lines and characters only, which those versions
 * agree on, and place them with the instruction's own line starts, not a document.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver-types';
import type { ReadInstruction } from './reader';

/** Places offsets of the document that read the instruction, from the starts of the instruction's lines. */
class Placer {
  constructor(
    private readonly firstLine: number,
    private readonly starts: readonly number[],
  ) {}

  at(offset: number): Position {
    let k = this.starts.length - 1;
    while (k > 0 && this.starts[k]! > offset) k--;
    return { line: this.firstLine + k, character: offset - this.starts[k]! };
  }

  range(start: number, end: number): Range {
    return { start: this.at(start), end: this.at(end) };
  }
}

/** One word of an instruction. */
export class Word {
  private placed?: Range;
  constructor(
    private readonly placer: Placer,
    /** The word with its escapes taken out (`\$` kept). */
    readonly value: string,
    /** Offsets of its first character and after its last, in the version that read it. */
    readonly start: number,
    readonly end: number,
    /** Where it starts and ends on the instruction's logical line; -1 for a word of a heredoc body. */
    readonly lineIndex: number,
    readonly lineEnd: number,
  ) {}

  getValue(): string {
    return this.value;
  }

  getRange(): Range {
    return (this.placed ??= this.placer.range(this.start, this.end));
  }
}

/** A name with an optional `=value`, placed by offsets: what a flag and each part of its value have alike. */
abstract class NamedValue {
  constructor(
    protected readonly placer: Placer,
    private readonly name: string,
    protected readonly value: string | null,
    /** Offsets of the name, where the value starts (after `=`; -1 without `=`) and where it all ends. */
    protected readonly nameStart: number,
    private readonly nameEnd: number,
    protected readonly valueStart: number,
    private readonly end: number,
  ) {}

  abstract getRange(): Range;

  getName(): string {
    return this.name;
  }

  /** `null` without `=`, `''` with nothing after it. */
  getValue(): string | null {
    return this.value;
  }

  getNameRange(): Range {
    return this.placer.range(this.nameStart, this.nameEnd);
  }

  getValueRange(): Range | null {
    return this.valueStart === -1 ? null : this.placer.range(this.valueStart, this.end);
  }
}

/** One `name=value` part of a flag's value (`--mount=type=cache,target=/x`). */
export class FlagOption extends NamedValue {
  constructor(placer: Placer, name: string, value: string | null, start: number, valueStart: number, private readonly optionEnd: number) {
    super(placer, name, value, start, valueStart === -1 ? optionEnd : valueStart - 1, valueStart, optionEnd);
  }

  getRange(): Range {
    return this.placer.range(this.nameStart, this.optionEnd);
  }
}

/** A `--name[=value]` word before an instruction's arguments. */
export class Flag extends NamedValue {
  private parts?: readonly FlagOption[];
  constructor(placer: Placer, private readonly word: Word, name: string, value: string | null, nameStart: number, nameEnd: number, valueStart: number, end: number) {
    super(placer, name, value, nameStart, nameEnd, valueStart, end);
  }

  /** The whole word, `--` included. */
  getRange(): Range {
    return this.word.getRange();
  }

  getOption(name: string): FlagOption | null {
    return this.options().find((o) => o.getName() === name) ?? null;
  }

  getOptions(): readonly FlagOption[] {
    return this.options();
  }

  /** The value cut at commas; a part counts only once some part of the value has an `=`. */
  private options(): readonly FlagOption[] {
    if (this.parts) return this.parts;
    const parts: FlagOption[] = [];
    const value = this.value;
    if (value !== null) {
      const at = this.valueStart;
      let hasOptions = false;
      let [nameFrom, valueFrom] = [-1, -1];
      const add = (end: number) =>
        parts.push(new FlagOption(this.placer, value.slice(nameFrom, valueFrom === -1 ? end : valueFrom - 1), valueFrom === -1 ? null : value.slice(valueFrom, end), at + nameFrom, valueFrom === -1 ? -1 : at + valueFrom, at + end));
      for (let i = 0; i < value.length; i++) {
        const c = value[i];
        if (c === '=') {
          hasOptions = true;
          if (valueFrom === -1) valueFrom = i + 1;
        } else if (c === ',') {
          add(i);
          [nameFrom, valueFrom] = [-1, -1];
        } else if (nameFrom === -1) nameFrom = i;
      }
      if (hasOptions && nameFrom !== -1) add(value.length);
    }
    return (this.parts = parts);
  }
}

/**
 * Which instructions take flags, and the word that ends them: a flag is a word starting with `--`,
 * looked for up to the first word without `--` anywhere in it (`HEALTHCHECK`: up to `CMD` or `NONE`).
 * The exec-form instructions and the rest take none.
 */
const withoutDashes = (value: string) => !value.includes('--');
const FLAGS_END: Readonly<Record<string, (value: string) => boolean>> = {
  ADD: withoutDashes,
  COPY: withoutDashes,
  FROM: withoutDashes,
  RUN: withoutDashes,
  HEALTHCHECK: (value) => /^(?:cmd|none)$/i.test(value),
};

export interface Parts {
  readonly flags: readonly Flag[];
  /** The words after the flags. */
  readonly args: readonly Word[];
  /** Every word, flags included. */
  readonly words: readonly Word[];
}

const NO_FLAGS: readonly Flag[] = [];

export function partsOf(document: TextDocument, read: ReadInstruction, escape: string): Parts {
  // The document's own lines (a lone CR ends one for it, not for the reader).
  const [firstLine, lastLine] = [document.positionAt(read.start).line, document.positionAt(read.end).line];
  const starts: number[] = [];
  for (let line = firstLine; line <= lastLine; line++) starts.push(document.offsetAt({ line, character: 0 }));
  const placer = new Placer(firstLine, starts);
  const text = document.getText();
  const words: Word[] = [];
  split(read.line, read.keyword.length, read.offsetAt, escape, placer, words, true);
  const body = read.heredocs[0];
  if (body) split(text.slice(body.contentStart, read.end), 0, (i) => body.contentStart + i, escape, placer, words, false);
  const ends = FLAGS_END[read.name];
  if (!ends) return { flags: NO_FLAGS, args: words, words };
  const flags: Flag[] = [];
  for (const word of words) {
    if (ends(word.value)) break;
    if (word.value.startsWith('--')) flags.push(flagOf(placer, text, word));
  }
  // As dockerfile-ast counts them: as many words as there are flags, from the front.
  return { flags: flags.length === 0 ? NO_FLAGS : flags, args: flags.length === 0 ? words : words.slice(flags.length), words };
}

function flagOf(placer: Placer, text: string, word: Word): Flag {
  const raw = text.slice(word.start, word.end);
  // The name starts after the two dashes, past continuation characters and blanks the word spans.
  let dashes = 0;
  let nameAt = 0;
  for (; nameAt < raw.length; nameAt++) {
    const c = raw[nameAt]!;
    if (c === '\\' || c === ' ' || c === '\t' || c === '\r' || c === '\n') continue;
    if (c !== '-' || dashes === 2) break;
    dashes++;
  }
  const value = word.value;
  const eq = value.indexOf('=');
  const rawEq = raw.indexOf('=');
  if (rawEq === -1) return new Flag(placer, word, value.slice(2), null, word.start + nameAt, word.end, -1, word.end);
  return new Flag(placer, word, value.slice(2, eq), value.slice(eq + 1), word.start + nameAt, word.start + rawEq, word.start + rawEq + 1, word.end);
}

const isBlank = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const DOLLAR = 0x24;

/**
 * Splits `line` from `from` into `words`; `offsetAt` places an index of `line` in the document. A word
 * is sliced from the line, and built piece by piece only around escapes: most words have none.
 */
function split(line: string, from: number, offsetAt: (index: number) => number, escape: string, placer: Placer, words: Word[], logical: boolean): void {
  const escapeCode = escape.charCodeAt(0);
  /** The word's value up to `piece`, where its run of characters without escapes starts (-1: none open). */
  let value = '';
  let piece = -1;
  let first = -1;
  let last = -1;
  const close = () => {
    if (first === -1) return;
    if (piece !== -1) value += line.slice(piece, last + 1);
    words.push(new Word(placer, value, offsetAt(first), offsetAt(last) + 1, logical ? first : -1, logical ? last + 1 : -1));
    value = '';
    piece = -1;
    first = -1;
  };
  for (let i = from; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (isBlank(c)) {
      close();
    } else if (c === escapeCode) {
      const next = line.charCodeAt(i + 1);
      // At the end: nothing to escape, the escape character is dropped.
      if (Number.isNaN(next)) break;
      if (next === 0x0a || (next === 0x0d && line.charCodeAt(i + 2) === 0x0a)) {
        // A continuation inside a heredoc body: the word goes on unless the next line starts blank.
        if (piece !== -1) value += line.slice(piece, i);
        piece = -1;
        i += next === 0x0d ? 2 : 1;
        if (isBlank(line.charCodeAt(i + 1))) close();
        continue;
      }
      if (next === 0x20 || next === 0x09) {
        // An escaped blank ends the word, without the escape character in it.
        close();
        i++;
        continue;
      }
      if (first === -1) first = i;
      if (piece !== -1) value += line.slice(piece, i);
      piece = -1;
      value += next === DOLLAR ? line.slice(i, i + 2) : line[i + 1]!;
      last = ++i;
    } else {
      if (first === -1) first = i;
      if (piece === -1) piece = i;
      last = i;
    }
  }
  close();
}
