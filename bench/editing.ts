// What an editor does to a server: a realistic long Dockerfile and single-character edits on it.
import { readFileSync } from 'node:fs';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol/node';

/** Corpus files of some length joined until the text has `lines` lines: many stages, real instructions. */
export function longDockerfile(files: readonly string[], lines: number): string {
  const out: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8').replace(/\r\n?/g, '\n').replace(/^(#\s*(?:escape|syntax|check)\s*=.*\n)+/i, '');
    const fileLines = text.split('\n');
    if (fileLines.length < 30) continue;
    out.push(...fileLines);
    if (out.length >= lines) break;
  }
  return `${out.slice(0, lines).join('\n')}\n`;
}

/**
 * Single-character edits spread over the file: a character typed in the middle of a line, then
 * removed again by the next edit, so the text stays the same size. Deterministic for a seed.
 */
export function* keystrokes(text: string, count: number, seed = 1): Generator<TextDocumentContentChangeEvent> {
  const lines = text.split('\n');
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31);
  for (let i = 0; i < count; i += 2) {
    const line = next() % (lines.length - 1);
    const character = Math.floor((lines[line] ?? '').length / 2);
    yield { range: { start: { line, character }, end: { line, character } }, text: 'x' };
    if (i + 1 < count) yield { range: { start: { line, character }, end: { line, character: character + 1 } }, text: '' };
  }
}
