/**
 * The engine over a rule list. The engine never imports the rules: the entries hand it theirs
 * (`server/src/linter.ts` binds every rule; the server binds the list its services carry; a test
 * may bind just the rules it tests).
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import type { CodeAction } from 'vscode-languageserver-types';
import { fixAllAction, quickFixes, type VersionedDocument } from './codeActions';
import { fixAll, type FixAllOptions } from './fixes';
import { analyze, lint, type Analysis, type LintOptions } from './lint';
import type { Rule } from './rule';

export interface Engine {
  readonly rules: readonly Rule[];
  /** `previous`: this document's last analysis, whose work is reused where the text did not change. */
  analyze(text: string, options?: LintOptions, previous?: Analysis): Analysis | undefined;
  lint(text: string, options?: LintOptions): Diagnostic[];
  fixAll(text: string, options?: LintOptions, fix?: FixAllOptions): string;
  quickFixes(doc: VersionedDocument, requested: readonly Diagnostic[], options?: LintOptions): CodeAction[];
  fixAllAction(doc: VersionedDocument, options?: LintOptions): CodeAction | undefined;
}

export function createEngine(rules: readonly Rule[]): Engine {
  return {
    rules,
    analyze: (text, options = {}, previous) => analyze(text, options, rules, previous),
    lint: (text, options = {}) => lint(text, options, rules),
    fixAll: (text, options = {}, fix = {}) => fixAll(text, options, rules, fix),
    quickFixes: (doc, requested, options = {}) => quickFixes(doc, requested, options, rules),
    fixAllAction: (doc, options = {}) => fixAllAction(doc, options, rules),
  };
}
