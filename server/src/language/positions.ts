/** Ordering of LSP positions, and whether a range holds one (both ends included). */
import type { Position, Range } from 'vscode-languageserver-types';

export function compare(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

export function contains(range: Range, position: Position): boolean {
  return compare(range.start, position) <= 0 && compare(position, range.end) <= 0;
}
