/**
 * Formatting that never changes what the builder does: instruction keywords (and `AS`) in upper
 * case, instructions start at the left margin, continuation lines indented by one level, and
 * nothing after a line-continuation character. Heredoc bodies, text inside quotes that spans lines,
 * comments' words and unknown instructions are left exactly as written. Every result is checked:
 * the formatted text is parsed again, and an instruction the builder would read differently keeps
 * its original text (legacy `ENV key value with  spaces` across lines is one such case).
 */
import { TextEdit, type Range } from 'vscode-languageserver-types';
import { applyEdits } from '../language/edits';
import { buildModel, type DockerfileModel, type InstructionInfo } from '../language/model';
import { INSTRUCTIONS } from '../language/instructionTable';

export interface FormatOptions {
  /** Spaces before each continuation line. */
  readonly indent: number;
}

export function formatEdits(model: DockerfileModel, options: FormatOptions, range?: Range): TextEdit[] {
  const edits = proposedFormatEdits(model, options, range);
  if (edits.length === 0) return edits;
  const before = builderViews(model);
  const after = builderViews(buildModel(applyEdits(model.document.getText(), edits)));
  if (after.length !== before.length) return [];
  const changed = model.instructions.filter((_, i) => after[i] !== before[i]).map((info) => info.range);
  return edits.filter((e) => !changed.some((r) => e.range.start.line >= r.start.line && e.range.start.line <= r.end.line));
}

/**
 * What the builder takes from each instruction: keyword, flags, arguments, key/value pairs, the
 * exec form, and for RUN the words of every command the shell runs (so text inside quotes counts).
 * `AS` and the instruction after `ONBUILD` are keywords, whose case does not matter.
 */
export function builderViews(model: DockerfileModel): string[] {
  const runs = new Map(model.stages.flatMap((s) => s.runs).map((r) => [r.info, r.script.commands.map((c) => [c.name?.value, ...c.args.map((a) => a.value)])]));
  return model.instructions.map((info) =>
    JSON.stringify([
      info.keyword,
      info.flags.map((f) => [f.getName(), f.getValue()]),
      info.args.map((a, i) => ((info.keyword === 'FROM' && i === 1) || (info.keyword === 'ONBUILD' && i === 0) ? a.getValue().toUpperCase() : a.getValue())),
      info.properties.map((p) => [p.getName(), p.getValue()]),
      info.execForm,
      runs.get(info),
    ]),
  );
}

/** The edits before the check above; on real files the check should never need to drop one. */
export function proposedFormatEdits(model: DockerfileModel, options: FormatOptions, range?: Range): TextEdit[] {
  // Line ends as the parser and LSP count them: CRLF, LF and a lone CR.
  const lines = model.document.getText().split(/\r\n|\r|\n/);
  const edits: TextEdit[] = [];
  const replace = (line: number, from: number, to: number, text: string) => {
    if (lines[line]!.slice(from, to) !== text) edits.push(TextEdit.replace({ start: { line, character: from }, end: { line, character: to } }, text));
  };
  for (const info of model.instructions) {
    const first = info.range.start.line;
    if (range && (info.range.end.line < range.start.line || first > range.end.line)) continue;
    if (!(info.keyword in INSTRUCTIONS)) continue;
    const keyword = info.keywordRange;
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
