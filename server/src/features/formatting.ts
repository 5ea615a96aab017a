/**
 * Formatting that never changes what the builder does: instruction keywords (and `AS`) in upper
 * case, instructions start at the left margin, continuation lines indented by one level, and
 * nothing after a line-continuation character. Heredoc bodies, text inside quotes that spans lines,
 * and comments' words are left exactly as written.
 */
import { TextEdit, type Range } from 'vscode-languageserver-types';
import type { DockerfileModel, InstructionInfo } from '../engine/model';

export interface FormatOptions {
  /** Spaces before each continuation line. */
  readonly indent: number;
}

export function formatEdits(model: DockerfileModel, options: FormatOptions, range?: Range): TextEdit[] {
  const lines = model.document.getText().split(/\r?\n/);
  const edits: TextEdit[] = [];
  const replace = (line: number, from: number, to: number, text: string) => {
    if (lines[line]!.slice(from, to) !== text) edits.push(TextEdit.replace({ start: { line, character: from }, end: { line, character: to } }, text));
  };
  for (const info of model.instructions) {
    const first = info.range.start.line;
    if (range && (info.range.end.line < range.start.line || first > range.end.line)) continue;
    const keyword = info.node.getInstructionRange();
    replace(first, 0, keyword.start.character, '');
    replace(first, keyword.start.character, keyword.end.character, info.keyword);
    upperCaseSecondKeyword(info, lines[first]!, replace);
    if (first === info.range.end.line || hasHeredoc(info)) continue;
    const untouchable = linesInsideQuotes(lines, first, info.range.end.line, model.escapeChar);
    for (let line = first; line <= info.range.end.line; line++) {
      const text = lines[line]!;
      const continued = continuation(text, model.escapeChar);
      if (continued !== undefined) replace(line, continued, text.length, model.escapeChar);
      if (line === first || untouchable.has(line) || text.trim() === '') continue;
      replace(line, 0, text.length - text.trimStart().length, ' '.repeat(options.indent));
    }
  }
  return edits;
}

/** `FROM x as build` → `AS`; `onbuild run …` → `RUN`. */
function upperCaseSecondKeyword(info: InstructionInfo, text: string, replace: (line: number, from: number, to: number, text: string) => void): void {
  const line = info.range.start.line;
  const pattern = info.keyword === 'FROM' ? /(\s)(as)(\s+\S+\s*)$/i : info.keyword === 'ONBUILD' ? /^(\s*ONBUILD\s+)([a-z]+)(\b)/i : undefined;
  const match = pattern?.exec(text);
  if (!match) return;
  const start = match.index + match[1]!.length;
  replace(line, start, start + match[2]!.length, match[2]!.toUpperCase());
}

function hasHeredoc(info: InstructionInfo): boolean {
  return info.args.some((a) => /^<<-?["']?\w/.test(a.getValue()));
}

/** Where a line's continuation character sits, when only blanks follow it. */
function continuation(text: string, escapeChar: string): number | undefined {
  const trimmed = text.trimEnd();
  return trimmed.endsWith(escapeChar) && !trimmed.startsWith('#') ? trimmed.length - 1 : undefined;
}

/**
 * Lines of an instruction that begin inside a quoted string: their leading blanks are part of
 * the string, so re-indenting them would change it. Comment lines are dropped by the builder
 * before quoting matters, so they do not count.
 */
function linesInsideQuotes(lines: readonly string[], first: number, last: number, escapeChar: string): Set<number> {
  const inside = new Set<number>();
  let quote: string | undefined;
  for (let line = first; line <= last; line++) {
    const text = lines[line]!;
    if (quote) inside.add(line);
    else if (line > first && text.trimStart().startsWith('#')) continue;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (ch === escapeChar && quote !== "'") i++;
      else if (ch === '"' || ch === "'") quote = quote === undefined ? ch : quote === ch ? undefined : quote;
    }
  }
  return inside;
}
