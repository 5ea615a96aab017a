/**
 * What a fix's edits do to BuildKit's reading of the file: which instructions they touch, where every
 * other instruction lands in the fixed text, and whether it is still read exactly as before.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
import type { Reading, ReadInstruction } from '../../server/src/language/reader';

/** An edit as document offsets of the original text, and where its new text sits in the fixed one. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
  readonly afterStart: number;
  readonly afterEnd: number;
}

/** The edits in the order `TextDocument.applyEdits` applies them (stable by start), with their place in the result. */
export function spansOf(text: string, edits: readonly TextEdit[]): Span[] {
  const document = TextDocument.create('file:///x', 'dockerfile', 0, text);
  const raw = edits.map((e, index) => ({ start: document.offsetAt(e.range.start), end: document.offsetAt(e.range.end), newText: e.newText, index }));
  raw.sort((a, b) => a.start - b.start || a.index - b.index);
  let delta = 0;
  return raw.map(({ start, end, newText }) => {
    const span = { start, end, newText, afterStart: start + delta, afterEnd: start + delta + newText.length };
    delta += newText.length - (end - start);
    return span;
  });
}

/** Where an offset of the original text that no edit covers ends up in the fixed text. */
export function shift(spans: readonly Span[], offset: number): number {
  let delta = 0;
  for (const s of spans) if (s.end <= offset) delta += s.newText.length - (s.end - s.start);
  return offset + delta;
}

/**
 * Whether an edit changes the instruction's text: it replaces something in `[start, end]` (the end of
 * the last line included, so joining the next line counts), or inserts strictly after its first character.
 */
export function touches(spans: readonly Span[], r: Pick<ReadInstruction, 'start' | 'end'>): boolean {
  return spans.some((s) => (s.start === s.end ? r.start < s.start && s.start <= r.end : s.start <= r.end && s.end > r.start));
}

/** Whether an instruction of the fixed text overlaps new text (or the point where text was deleted). */
export function fromEdits(spans: readonly Span[], r: Pick<ReadInstruction, 'start' | 'end'>): boolean {
  return spans.some((s) => s.afterStart <= r.end && s.afterEnd >= r.start);
}

/** Everything BuildKit takes from an instruction: keyword as written, flags, arguments, JSON or not, heredoc bodies, ONBUILD trigger. */
export function readKey(r: ReadInstruction): string {
  return JSON.stringify([r.keyword, r.flags.map((f) => f.text), r.args, r.json, r.heredocs.map((h) => [h.name, h.expand, h.chomp, h.content]), r.trigger ? readKey(r.trigger) : null]);
}

export function describe(r: ReadInstruction): string {
  const line = r.line.length > 90 ? `${r.line.slice(0, 87)}…` : r.line;
  return `line ${r.startLine + 1} \`${line}\``;
}

export interface ReadingDiff {
  /** Instructions of the original the edits touch: the ones the fix may change or remove. */
  readonly touched: readonly ReadInstruction[];
  /** Instructions of the result that are new or changed (they overlap an edit). */
  readonly changed: readonly ReadInstruction[];
  /** Broken promises of property 1. */
  readonly problems: readonly string[];
}

/**
 * Property 1: the result is not refused when the original was not, the parser directives are the same,
 * every instruction the edits do not touch is read exactly as before at the place the edits shift it to,
 * and every instruction of the result that is not one of those overlaps an edit.
 */
export function diffReadings(before: Reading, after: Reading, spans: readonly Span[]): ReadingDiff {
  const problems: string[] = [];
  if (!before.refusal && after.refusal) problems.push(`BuildKit refuses the result: "${after.refusal.message}" (line ${after.refusal.startLine + 1})`);
  const directives = (r: Reading) => JSON.stringify([r.escape, r.directives.map((d) => [d.name, d.value])]);
  if (directives(before) !== directives(after)) problems.push(`the parser directives changed: ${directives(before)} → ${directives(after)}`);
  const byStart = new Map(after.instructions.map((r) => [r.start, r]));
  const matched = new Set<ReadInstruction>();
  const touched: ReadInstruction[] = [];
  for (const b of before.instructions) {
    if (touches(spans, b)) {
      touched.push(b);
      continue;
    }
    const a = byStart.get(shift(spans, b.start));
    if (!a) problems.push(`${describe(b)} is no longer an instruction of its own, though no edit touches it`);
    else if (readKey(a) !== readKey(b)) problems.push(`${describe(b)} is read differently though no edit touches it: now ${describe(a)}`);
    else matched.add(a);
  }
  const changed = after.instructions.filter((a) => !matched.has(a));
  for (const a of changed) if (!fromEdits(spans, a)) problems.push(`${describe(a)} appeared though no edit wrote it`);
  return { touched, changed, problems };
}
