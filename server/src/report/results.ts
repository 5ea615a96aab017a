/**
 * What every output format is made from: each file's diagnostics with the fixes the light bulb
 * would offer and a fingerprint, plus the shared ways formats name severities and positions.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { fixesOf } from '../engine/fixes';
import { declined, type LintOptions } from '../engine/lint';
import type { Fix, Severity } from '../engine/rule';
import { fingerprints } from './fingerprint';
import { analyze } from '../linter';

export interface ReportItem {
  readonly diagnostic: Diagnostic;
  /** Safest first, as the light bulb lists them. */
  readonly fixes: readonly Fix[];
  readonly fingerprint: string;
}

export interface FileResult {
  /** As given or relative to the working folder. */
  readonly path: string;
  readonly items: readonly ReportItem[];
}

/** Lints one text for a report; a file over the size limits gets the one diagnostic saying so. */
export function lintForReport(path: string, text: string, options: LintOptions): FileResult {
  const refused = declined(text);
  const analysis = refused ? undefined : analyze(text, options);
  const document = analysis?.model.document ?? TextDocument.create(options.uri ?? 'untitled:Dockerfile', 'dockerfile', 0, text);
  const diagnostics = refused ? [refused] : (analysis?.reported.map((r) => r.diagnostic) ?? []);
  const prints = fingerprints(document, analysis?.model.instructions.map((i) => i.range) ?? [], diagnostics);
  return {
    path,
    items: diagnostics.map((diagnostic, i) => ({
      diagnostic,
      fixes: analysis ? fixesOf(analysis, analysis.reported[i]!, options) : [],
      fingerprint: prints[i]!,
    })),
  };
}

const NAMES: Record<DiagnosticSeverity, Severity> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};

export const severityOf = (d: Diagnostic): Severity => NAMES[d.severity ?? DiagnosticSeverity.Warning];
export const messageOf = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);
/** 1-based, like compilers and SARIF; columns count UTF-16 code units. */
export const position = (p: { line: number; character: number }) => ({ line: p.line + 1, column: p.character + 1 });

export function countBySeverity(results: readonly FileResult[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const item of results.flatMap((r) => r.items)) counts[severityOf(item.diagnostic)]++;
  return counts;
}
