/**
 * dockerfile-ast's reading of one instruction, for the two things the rules take from it alone: the
 * `key=value` properties of `ARG`, `ENV` and `LABEL`, and the variables an instruction uses. Words and
 * flags come from BuildKit's reader (words.ts); only these still need dockerfile-ast's parser.
 *
 * The instruction's own lines are parsed alone (behind a FROM, and the escape directive when the file sets one)
 * and the answers moved down to the instruction's line. Parsing behind as many empty lines as come
 * before it would give the ranges directly, but costs a scan of those lines for every instruction.
 */
import { DockerfileParser, PropertyInstruction, type Instruction } from 'dockerfile-ast';
import type { TextDocument } from 'vscode-languageserver-textdocument';
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

/** One instruction as dockerfile-ast reads it, and how many lines down its ranges are to be moved. */
export interface AloneNode {
  readonly node: Instruction;
  readonly by: number;
}

/** `undefined` where dockerfile-ast reads no instruction with this keyword at the first line (it can throw on odd input). */
export function parseAlone(document: TextDocument, startLine: number, endLine: number, keyword: string, escape: string): AloneNode | undefined {
  const text = document.getText({ start: { line: startLine, character: 0 }, end: { line: endLine + 1, character: 0 } });
  // Behind a FROM: dockerfile-ast looks up an instruction's variables in the stage holding it, and
  // one before any FROM it takes for a stage of its own (an endless lookup on an indented line).
  const head = `${escape === '\\' ? '' : `# escape=${escape}\n`}FROM scratch\n`;
  const by = startLine - (head.split('\n').length - 1);
  try {
    const node = DockerfileParser.parse(head + text).getInstructions()[1];
    return node && node.getRange().start.line + by === startLine && node.getKeyword() === keyword ? { node, by } : undefined;
  } catch {
    return undefined;
  }
}

export function propertiesOf({ node, by }: AloneNode): Property[] {
  if (!(node instanceof PropertyInstruction)) return [];
  return node.getProperties().map((p) => ({
    getName: () => p.getName(),
    getValue: () => p.getValue(),
    getAssignmentOperator: () => p.getAssignmentOperator(),
    getRange: () => moved(p.getRange(), by),
    getNameRange: () => moved(p.getNameRange(), by),
    getValueRange: () => {
      const range = p.getValueRange();
      return range && moved(range, by);
    },
  }));
}

export function variablesOf({ node, by }: AloneNode): Variable[] {
  return node.getVariables().map((v) => ({
    getName: () => v.getName(),
    getNameRange: () => moved(v.getNameRange(), by),
    getModifier: () => v.getModifier(),
  }));
}

function moved(range: Range, by: number): Range {
  return by === 0 ? range : { start: { line: range.start.line + by, character: range.start.character }, end: { line: range.end.line + by, character: range.end.character } };
}
