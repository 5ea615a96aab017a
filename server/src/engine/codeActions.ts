/**
 * The light bulb for dockwise diagnostics, in the order users expect (as vscode-eslint does):
 * the fixes, then fix-all for the rule, disable for this line, disable for the file, and docs.
 * Edits carry the document version, so a stale action is refused instead of misapplied.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fixAll, fixesOf, minimalEdit } from './fixes';
import { analyze, DIAGNOSTIC_SOURCE, ruleDocsUrl, type LintOptions } from './lint';
import { ClientCommand } from '../../../shared/protocol';
import type { Rule } from './rule';
import { disableForFile, disableForLine } from './suppression';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.dockwise`;

export interface VersionedDocument {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
}

const sameRange = (a: Range, b: Range) =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/** Quick fixes for the dockwise diagnostics the editor says are under the cursor. */
export function quickFixes(doc: VersionedDocument, requested: readonly Diagnostic[], options: LintOptions, rules: readonly Rule[]): CodeAction[] {
  const ours = requested.filter((d) => d.source === DIAGNOSTIC_SOURCE && typeof d.code === 'string');
  if (ours.length === 0) return [];
  const analysis = analyze(doc.text, options, rules);
  if (!analysis) return [];
  const edit = (edits: readonly TextEdit[]) => ({ documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits: [...edits] }] });
  const actions: CodeAction[] = [];
  for (const diagnostic of ours) {
    const item = analysis.reported.find((r) => r.rule.meta.id === diagnostic.code && sameRange(r.diagnostic.range, diagnostic.range));
    if (!item) continue;
    const id = item.rule.meta.id;
    const fixes = fixesOf(analysis, item, options);
    const preferred = fixes.find((f) => f.safe) ?? fixes[0];
    for (const fix of fixes) {
      actions.push({ title: fix.safe ? fix.title : `${fix.title} (review: changes behaviour)`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix === preferred, edit: edit(fix.edits) });
    }
    const allOfRule = fixAll(doc.text, options, rules, { only: (ruleId) => ruleId === id });
    const ruleCount = analysis.reported.filter((r) => r.rule.meta.id === id).length;
    if (allOfRule !== doc.text && ruleCount > 1) {
      actions.push({ title: `Fix all ${id} problems in this file`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: edit(wholeChange(doc.text, allOfRule)) });
    }
    actions.push(
      { title: `Disable ${id} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: edit([disableForLine(analysis.model, id, item.diagnostic.range.start.line)]) },
      { title: `Disable ${id} for this file`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: edit([disableForFile(analysis.model, id)]) },
      { title: `Show documentation for ${id}`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title: `Show documentation for ${id}`, command: ClientCommand.showRuleDocs, arguments: [id, ruleDocsUrl(id)] } },
    );
  }
  return actions;
}

/** `source.fixAll.dockwise`: every safe fix, for fix-on-save; `undefined` when there is nothing to do. */
export function fixAllAction(doc: VersionedDocument, options: LintOptions, rules: readonly Rule[]): CodeAction | undefined {
  const fixed = fixAll(doc.text, options, rules);
  if (fixed === doc.text) return undefined;
  return {
    title: 'Fix all auto-fixable dockwise problems',
    kind: FIX_ALL_KIND,
    edit: { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits: wholeChange(doc.text, fixed) }] },
  };
}

/** The smallest single edit from `before` to `after`. */
export function wholeChange(before: string, after: string): TextEdit[] {
  const document = TextDocument.create('file:///x', 'dockerfile', 0, before);
  const edit = minimalEdit(before, after, (offset) => document.positionAt(offset));
  return edit ? [edit] : [];
}
