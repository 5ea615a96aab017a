/**
 * Comments and directives that silence rules: ours (`# dockwise-ignore`, `# dockwise-ignore-file`),
 * hadolint's (`# hadolint ignore=`, `# hadolint global ignore=`) and BuildKit's (`# check=skip=`).
 */
import type { TextEdit } from 'vscode-languageserver-types';
import type { Rule } from './rule';
import { eol, insertAt, insertLinesBefore } from '../language/edits';
import type { DockerfileModel } from '../language/model';

export interface Suppressions {
  isSuppressed(ruleId: string, line: number): boolean;
  /** `# check=error=true`: BuildKit fails the build on its check warnings. */
  readonly buildkitErrors: boolean;
}

export interface AliasIndex {
  /** Our ids for an id of ours or an alias (hadolint code, BuildKit check name), case-insensitive. */
  resolve(name: string): readonly string[];
  /** Our rules that BuildKit also checks. */
  readonly buildkit: ReadonlySet<string>;
}

export function aliasIndex(rules: readonly Rule[]): AliasIndex {
  const byName = new Map<string, string[]>();
  const add = (name: string, id: string) => byName.set(name.toLowerCase(), [...(byName.get(name.toLowerCase()) ?? []), id]);
  const buildkit = new Set<string>();
  for (const { meta } of rules) {
    add(meta.id, meta.id);
    for (const alias of [...(meta.aliases.hadolint ?? []), ...(meta.aliases.buildkit ?? [])]) add(alias, meta.id);
    if (meta.aliases.buildkit?.length) buildkit.add(meta.id);
  }
  return { resolve: (name) => byName.get(name.toLowerCase()) ?? [], buildkit };
}

const LINE_PRAGMAS = [/^dockwise-ignore\s+(.+)$/, /^hadolint\s+ignore=(\S+)/];
const FILE_PRAGMAS = [/^dockwise-ignore-file\s+(.+)$/, /^hadolint\s+global\s+ignore=(\S+)/];

export function readSuppressions(model: DockerfileModel, aliases: AliasIndex): Suppressions {
  const fileWide = new Set<string>();
  /** Instruction start line → suppressed ids, plus the instruction's last line. */
  const byInstruction = new Map<number, { ids: Set<string>; lastLine: number }>();
  const names = (list: string) => list.split(/[\s,]+/).filter(Boolean).flatMap((n) => aliases.resolve(n));

  for (const { text, line } of commentLines(model)) {
    for (const pattern of FILE_PRAGMAS) {
      const match = pattern.exec(text);
      if (match) for (const id of names(match[1]!)) fileWide.add(id);
    }
    for (const pattern of LINE_PRAGMAS) {
      const match = pattern.exec(text);
      if (!match) continue;
      const next = model.instructions.find((i) => i.range.start.line > line);
      if (!next) continue;
      const entry = byInstruction.get(next.range.start.line) ?? { ids: new Set<string>(), lastLine: next.range.end.line };
      for (const id of names(match[1]!)) entry.ids.add(id);
      byInstruction.set(next.range.start.line, entry);
    }
  }

  const check = parseCheckDirective(model.directives.check?.value ?? '');
  if (check.skip === 'all') for (const id of aliases.buildkit) fileWide.add(id);
  else for (const name of check.skip) for (const id of aliases.resolve(name)) if (aliases.buildkit.has(id)) fileWide.add(id);

  return {
    buildkitErrors: check.error,
    isSuppressed(ruleId, line) {
      if (fileWide.has(ruleId)) return true;
      for (const [start, { ids, lastLine }] of byInstruction) {
        if (line >= start && line <= lastLine && ids.has(ruleId)) return true;
      }
      return false;
    },
  };
}

/** `# check=skip=A,B;error=true` as BuildKit reads it. */
export function parseCheckDirective(value: string): { skip: readonly string[] | 'all'; error: boolean } {
  let skip: readonly string[] | 'all' = [];
  let error = false;
  for (const part of value.split(';')) {
    const [key = '', raw = ''] = part.split('=', 2).map((s) => s.trim());
    const rest = part.slice(part.indexOf('=') + 1).trim();
    if (key === 'skip') skip = rest === 'all' ? 'all' : rest.split(',').map((s) => s.trim()).filter(Boolean);
    if (key === 'error') error = raw === 'true';
  }
  return { skip, error };
}

/**
 * Comment lines outside instructions, read from the text: the parser takes a first-line
 * `# hadolint ignore=…` for a parser directive, which Docker does not.
 */
function commentLines(model: DockerfileModel): { text: string; line: number }[] {
  // Run on every keystroke: one walk over the text, with the instructions (in document order) beside it.
  const text = model.document.getText();
  const { instructions } = model;
  const found: { text: string; line: number }[] = [];
  let next = 0;
  for (let start = 0, line = 0; ; line++) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    while (next < instructions.length && instructions[next]!.range.end.line < line) next++;
    const current = instructions[next];
    const inside = current !== undefined && current.range.start.line < line && line <= current.range.end.line;
    if (!inside) {
      let at = start;
      while (at < end && BLANK.test(text[at]!)) at++;
      if (text[at] === '#') found.push({ text: text.slice(at + 1, end).trim(), line });
    }
    if (newline === -1) return found;
    start = newline + 1;
  }
}

const BLANK = /\s/;

const LINE_COMMENT = /^(\s*#\s*dockwise-ignore\s+)(.*?)\s*$/;
const FILE_COMMENT = /^(\s*#\s*dockwise-ignore-file\s+)(.*?)\s*$/;

/** `# dockwise-ignore <id>` above the instruction on `line`, reusing an ignore comment already there. */
export function disableForLine(model: DockerfileModel, ruleId: string, line: number): TextEdit {
  const instruction = model.instructions.find((i) => i.range.start.line <= line && line <= i.range.end.line);
  const target = instruction?.range.start.line ?? line;
  const above = target > 0 ? lineText(model, target - 1) : '';
  const existing = LINE_COMMENT.exec(above);
  if (existing) return appendTo(target - 1, existing, ruleId);
  return insertLinesBefore(model, target, [`# dockwise-ignore ${ruleId}`]);
}

/** `# dockwise-ignore-file <id>`, after the parser directives (which must stay first), or added to one already there. */
export function disableForFile(model: DockerfileModel, ruleId: string): TextEdit {
  const lines = model.document.getText().split(/\r?\n/);
  const at = lines.findIndex((l) => FILE_COMMENT.test(l));
  if (at >= 0) return appendTo(at, FILE_COMMENT.exec(lines[at]!)!, ruleId);
  const directives = Object.values(model.directives).map((d) => d.range.end.line);
  const line = directives.length ? Math.max(...directives) + 1 : 0;
  return insertAt({ line, character: 0 }, `# dockwise-ignore-file ${ruleId}${eol(model)}`);
}

function appendTo(line: number, match: RegExpExecArray, ruleId: string): TextEdit {
  const end = match[1]!.length + match[2]!.length;
  return insertAt({ line, character: end }, `,${ruleId}`);
}

function lineText(model: DockerfileModel, line: number): string {
  return model.document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
}
