/**
 * dockerfile-ast's reading of one instruction, for the two things the rules take from it alone: the
 * `key=value` properties of `ARG`, `ENV` and `LABEL`, and the variables an instruction uses. Words and
 * flags come from BuildKit's reader (words.ts); only these still need dockerfile-ast's code.
 *
 * Nothing is parsed: the instruction's class is made from the ranges dockerfile-ast's parser would
 * give it (the model's own, which test/unit/words.test.ts holds equal to the parser's), on a document
 * of the instruction's own lines, and asked. Only its own lines: on odd input (a first line that is
 * only a continuation) dockerfile-ast reads on past the end of the range, and what an instruction
 * keeps while its text is unchanged (model.ts `Stable`) must not depend on the lines after it. The
 * answers are moved down to the instruction's lines and copied into plain values.
 */
import { PropertyInstruction, type Instruction } from 'dockerfile-ast';
import type { Dockerfile } from 'dockerfile-ast/lib/dockerfile.js';
import { Parser } from 'dockerfile-ast/lib/parser.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';

export interface Property {
  getName(): string;
  /** `null` for `ARG name` without a default. */
  getValue(): string | null;
  /** `null` for the legacy form `ENV key value`. */
  getAssignmentOperator(): string | null;
  getRange(): Range;
  getNameRange(): Range;
  getValueRange(): Range | null;
}

export interface Variable {
  getName(): string;
  getNameRange(): Range;
  /** `-` in `${A:-b}`, `null` for a plain `$A`. */
  getModifier(): string | null;
}

/** Where dockerfile-ast's parser would put an instruction: what its class is made from. */
export interface Placed {
  /** The keyword as written. */
  readonly written: string;
  readonly range: Range;
  readonly keywordRange: Range;
}

/**
 * What an instruction asks of the file it is in, only to tell whether a variable is defined there
 * (which the rules do not read): a file with nothing defined.
 */
const NOTHING_DEFINED = {
  resolveVariable: () => undefined,
  getInitialARGs: () => [],
  getContainingImage: () => ({ getENVs: () => [], getARGs: () => [] }),
} as unknown as Dockerfile;

/** The instruction's class on a document of its own lines, and how many lines down its answers go. */
function nodeOf(document: TextDocument, placed: Placed, escape: string): { readonly node: Instruction; readonly by: number } {
  const by = placed.range.start.line;
  const text = document.getText({ start: { line: by, character: 0 }, end: { line: placed.range.end.line + 1, character: 0 } });
  const own = TextDocument.create('', 'dockerfile', 0, text);
  return { node: Parser.createInstruction(own, NOTHING_DEFINED, escape, up(placed.range, by), placed.written, up(placed.keywordRange, by)), by };
}

export function propertiesOf(document: TextDocument, placed: Placed, escape: string): Property[] {
  const { node, by } = nodeOf(document, placed, escape);
  if (!(node instanceof PropertyInstruction)) return [];
  return node.getProperties().map((p) => {
    const value = p.getValueRange();
    return new ReadProperty(p.getName(), p.getValue(), p.getAssignmentOperator(), down(p.getRange(), by), down(p.getNameRange(), by), value && down(value, by));
  });
}

export function variablesOf(document: TextDocument, placed: Placed, escape: string): Variable[] {
  const { node, by } = nodeOf(document, placed, escape);
  return node.getVariables().map((v) => new ReadVariable(v.getName(), down(v.getNameRange(), by), v.getModifier()));
}

const up = (range: Range, by: number): Range => down(range, -by);

function down(range: Range, by: number): Range {
  return by === 0 ? range : { start: { line: range.start.line + by, character: range.start.character }, end: { line: range.end.line + by, character: range.end.character } };
}

class ReadProperty implements Property {
  constructor(
    private readonly name: string,
    private readonly value: string | null,
    private readonly operator: string | null,
    private readonly range: Range,
    private readonly nameRange: Range,
    private readonly valueRange: Range | null,
  ) {}

  getName(): string {
    return this.name;
  }
  getValue(): string | null {
    return this.value;
  }
  getAssignmentOperator(): string | null {
    return this.operator;
  }
  getRange(): Range {
    return this.range;
  }
  getNameRange(): Range {
    return this.nameRange;
  }
  getValueRange(): Range | null {
    return this.valueRange;
  }
}

class ReadVariable implements Variable {
  constructor(
    private readonly name: string,
    private readonly nameRange: Range,
    private readonly modifier: string | null,
  ) {}

  getName(): string {
    return this.name;
  }
  getNameRange(): Range {
    return this.nameRange;
  }
  getModifier(): string | null {
    return this.modifier;
  }
}
