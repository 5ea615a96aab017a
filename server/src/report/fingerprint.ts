/**
 * Fingerprints that follow a finding when lines above it move, so code scanning and GitLab tell a
 * moved finding from a new one: a hash of the rule id, the flagged instruction's text with line
 * continuations and spacing normalised, and how many findings of the same rule on the same text
 * come before it in the file (identical instructions, or one instruction flagged twice).
 */
import { createHash } from 'node:crypto';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { contains } from '../language/positions';

/** The key in SARIF's `partialFingerprints`; the version changes if the recipe ever does. */
export const FINGERPRINT_KEY = 'dockwiseHash/v1';

/** One per diagnostic, in order; `instructions` are the ranges of the file's instructions (none for a file that was not analysed). */
export function fingerprints(document: TextDocument, instructions: readonly Range[], diagnostics: readonly Diagnostic[]): string[] {
  const seen = new Map<string, number>();
  return diagnostics.map((d) => {
    const start = d.range.start;
    // Outside any instruction (a directive, a comment, the whole file): its line stands for it.
    const range = instructions.find((r) => contains(r, start)) ?? { start: { line: start.line, character: 0 }, end: { line: start.line + 1, character: 0 } };
    const key = `${String(d.code)}\0${normalised(document.getText(range))}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return createHash('sha256').update(`${key}\0${occurrence}`).digest('hex');
  });
}

/** Continuations (`\` or the backtick escape before a line end) and runs of white space count as one space. */
const normalised = (text: string) => text.replace(/[\\`][ \t]*\r?\n/g, ' ').replace(/\s+/g, ' ').trim();
