/** Building and applying text edits that respect the document's line endings and indentation. */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range, TextEdit } from 'vscode-languageserver-types';
import type { DockerfileModel, InstructionInfo } from './model';

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'dockerfile', 0, text), [...edits]);
}

export function replace(range: Range, newText: string): TextEdit {
  return { range, newText };
}

export function insertAt(position: Range['start'], newText: string): TextEdit {
  return { range: { start: position, end: position }, newText };
}

/** The file's line ending, so inserted lines match (CRLF files stay CRLF). */
export function eol(model: DockerfileModel): string {
  return model.document.getText().includes('\r\n') ? '\r\n' : '\n';
}

/** The leading white space of a line. */
export function indentOf(model: DockerfileModel, line: number): string {
  const text = model.document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  return /^[ \t]*/.exec(text)![0];
}

/** Inserts whole lines before `line`, each indented like it. */
export function insertLinesBefore(model: DockerfileModel, line: number, lines: readonly string[]): TextEdit {
  const indent = indentOf(model, line);
  return insertAt({ line, character: 0 }, lines.map((l) => `${indent}${l}${eol(model)}`).join(''));
}

/** Inserts whole lines after an instruction (after its last line, continuations included). */
export function insertLinesAfter(model: DockerfileModel, info: InstructionInfo, lines: readonly string[]): TextEdit {
  const last = info.range.end.line;
  const lineEnd = model.document.positionAt(model.document.offsetAt({ line: last + 1, character: 0 }));
  const atEnd = lineEnd.line === last;
  const indent = indentOf(model, info.range.start.line);
  const text = lines.map((l) => `${indent}${l}`).join(eol(model));
  return atEnd ? insertAt(lineEnd, `${eol(model)}${text}`) : insertAt({ line: last + 1, character: 0 }, `${text}${eol(model)}`);
}

/** The whole lines an instruction occupies, line ending included, for moving it. */
export function instructionLines(model: DockerfileModel, info: InstructionInfo): { range: Range; text: string } {
  const start = { line: info.range.start.line, character: 0 };
  const endOffset = model.document.offsetAt({ line: info.range.end.line + 1, character: 0 });
  const range = { start, end: model.document.positionAt(endOffset) };
  return { range, text: model.document.getText(range) };
}
