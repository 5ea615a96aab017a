/**
 * Quick fixes on top of the analysis: the fixes of one finding, and fix-all, which applies safe
 * fixes in passes until the text stops changing. Pure, like the rest of the engine.
 */
import type { Range, TextEdit } from 'vscode-languageserver-types';
import type { Fix, Rule } from './rule';
import { applyEdits } from '../language/edits';
import { analyze, type Analysis, type LintOptions, type Reported } from './lint';

/** Enough passes for fixes that enable other fixes; a fix that keeps re-firing stops here. */
const MAX_PASSES = 10;

export function fixesOf(analysis: Analysis, item: Reported, options: LintOptions = {}): Fix[] {
  try {
    const { trigger } = item;
    if (!trigger) return item.rule.fix?.(analysis.model, item.finding, analysis.context) ?? [];
    // A trigger's fix was computed on the rewritten text, which matches the real one only inside the trigger.
    const inside = (p: Range['start']) => trigger.start <= trigger.model.document.offsetAt(p) && trigger.model.document.offsetAt(p) <= trigger.end;
    const fixes = item.rule.fix?.(trigger.model, item.finding, analysis.context) ?? [];
    return fixes.filter((f) => f.edits.every((e) => inside(e.range.start) && inside(e.range.end)));
  } catch (error) {
    options.onInternalError?.(`fix of ${item.rule.meta.id}`, error);
    return [];
  }
}

export interface FixAllOptions {
  /** Which rules to fix; all by default. */
  readonly only?: (ruleId: string) => boolean;
  /** Also apply unsafe fixes (the first one offered): for tests and explicit requests, never on save. */
  readonly unsafe?: boolean;
}

/**
 * Applies the first safe fix of every finding (of the rules `only` allows), skipping fixes that
 * overlap one already taken, and repeats on the result until nothing changes.
 */
export function fixAll(text: string, options: LintOptions, rules: readonly Rule[], { only = () => true, unsafe = false }: FixAllOptions = {}): string {
  let current = text;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const analysis = analyze(current, options, rules);
    if (!analysis) break;
    const taken: TextEdit[] = [];
    for (const item of analysis.reported) {
      if (!only(item.rule.meta.id)) continue;
      const fix = fixesOf(analysis, item, options).find((f) => unsafe || f.safe);
      if (!fix || fix.edits.some((e) => taken.some((t) => overlaps(analysis, e.range, t.range)))) continue;
      taken.push(...fix.edits);
    }
    if (taken.length === 0) break;
    const next = applyEdits(current, taken);
    if (next === current) break;
    current = next;
  }
  return current;
}

/** One edit that turns `before` into `after`, covering only the part that differs. */
export function minimalEdit(before: string, after: string, positionAt: (offset: number) => Range['start']): TextEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { range: { start: positionAt(start), end: positionAt(before.length - end) }, newText: after.slice(start, after.length - end) };
}

/** Edits that share text, or insert at the same point, cannot both be applied in one pass. */
function overlaps({ model }: Analysis, a: Range, b: Range): boolean {
  const [as, ae, bs, be] = [a.start, a.end, b.start, b.end].map((p) => model.document.offsetAt(p)) as [number, number, number, number];
  return as === bs || (as < be && bs < ae);
}
