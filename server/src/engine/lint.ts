/**
 * Runs the rules over one text and turns their findings into LSP diagnostics.
 * Pure: the caller hands in the text and the settings; nothing here does I/O.
 */
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { rules as allRules } from '../rules';
import type { Rule, Severity } from '../rules/rule';
import { buildModel } from './model';

export const DIAGNOSTIC_SOURCE = 'dockwise';
export const RULE_DOCS_BASE = 'https://github.com/dockwise/dockwise/blob/main/docs/rules';

export type RuleLevel = Severity | 'off';

export interface LintOptions {
  /** Per-rule level overrides, keyed by rule id. */
  readonly rules?: Readonly<Record<string, RuleLevel>>;
  /** Told about a rule or the parser failing, so the caller can log it; linting carries on. */
  readonly onInternalError?: (what: string, error: unknown) => void;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function ruleDocsUrl(id: string): string {
  return `${RULE_DOCS_BASE}/${id}.md`;
}

export function lint(text: string, options: LintOptions = {}, rules: readonly Rule[] = allRules): Diagnostic[] {
  let model;
  try {
    model = buildModel(text);
  } catch (error) {
    options.onInternalError?.('parser', error);
    return [];
  }
  const diagnostics: Diagnostic[] = [];
  for (const rule of rules) {
    const level = options.rules?.[rule.meta.id] ?? rule.meta.severity;
    if (level === 'off') continue;
    let findings;
    try {
      findings = rule.check(model);
    } catch (error) {
      options.onInternalError?.(`rule ${rule.meta.id}`, error);
      continue;
    }
    for (const finding of findings) {
      diagnostics.push({
        range: clamp(model.document, finding.range),
        severity: SEVERITY[level],
        code: rule.meta.id,
        codeDescription: { href: ruleDocsUrl(rule.meta.id) },
        source: DIAGNOSTIC_SOURCE,
        message: finding.message,
        ...(finding.tags?.length ? { tags: [...finding.tags] } : {}),
        ...(finding.data ? { data: finding.data } : {}),
      });
    }
  }
  return diagnostics;
}

/** Keeps a range inside the document whatever a rule computed. */
function clamp(document: TextDocument, range: Range): Range {
  const start = document.positionAt(document.offsetAt(range.start));
  const end = document.positionAt(Math.max(document.offsetAt(range.end), document.offsetAt(start)));
  return { start, end };
}
