/** The CLI's output formats: compiler-style text, a stable JSON document, and SARIF 2.1.0. */
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { ruleDocsUrl } from './engine/lint';
import { rules } from './rules';

export interface FileResult {
  /** As given or relative to the working folder. */
  readonly path: string;
  readonly text: string;
  readonly diagnostics: readonly Diagnostic[];
}

const NAMES: Record<DiagnosticSeverity, 'error' | 'warning' | 'info' | 'hint'> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};
const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;

const severityOf = (d: Diagnostic) => NAMES[d.severity ?? DiagnosticSeverity.Warning];
const messageOf = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);
/** 1-based, like compilers and SARIF; columns count UTF-16 code units. */
const position = (p: { line: number; character: number }) => ({ line: p.line + 1, column: p.character + 1 });

/** `path:line:col severity rule-id message`, one line per finding. */
export function formatText(results: readonly FileResult[]): string {
  return results
    .flatMap((r) => r.diagnostics.map((d) => {
      const { line, column } = position(d.range.start);
      return `${r.path}:${line}:${column} ${severityOf(d)} ${String(d.code)} ${messageOf(d)}\n`;
    }))
    .join('');
}

/** Version 1 of the JSON report; docs/cli.md describes every field. */
export function formatJson(results: readonly FileResult[], version: string): string {
  const files = results.map((r) => ({
    path: r.path,
    diagnostics: r.diagnostics.map((d) => ({
      rule: String(d.code),
      severity: severityOf(d),
      message: messageOf(d),
      start: position(d.range.start),
      end: position(d.range.end),
      docs: d.codeDescription?.href ?? ruleDocsUrl(String(d.code)),
    })),
  }));
  const count = (severity: string) => files.reduce((n, f) => n + f.diagnostics.filter((d) => d.severity === severity).length, 0);
  const summary = { files: files.length, errors: count('error'), warnings: count('warning'), infos: count('info'), hints: count('hint') };
  return `${JSON.stringify({ version: 1, tool: { name: 'dockwise', version }, files, summary }, null, 2)}\n`;
}

export function formatSarif(results: readonly FileResult[], version: string, root: string): string {
  const descriptors: ReportingDescriptor[] = rules.map(({ meta }) => ({
    id: meta.id,
    name: meta.title,
    shortDescription: { text: meta.description },
    fullDescription: { text: meta.docs.why.replace(/\s*\n\s*/g, ' ') },
    helpUri: ruleDocsUrl(meta.id),
    help: { text: meta.docs.fix.replace(/\s*\n\s*/g, ' ') },
    defaultConfiguration: { level: SARIF_LEVEL[meta.severity] },
    properties: { category: meta.category, ...(meta.aliases.hadolint ? { hadolint: meta.aliases.hadolint } : {}), ...(meta.aliases.buildkit ? { buildkit: meta.aliases.buildkit } : {}) },
  }));
  const index = new Map(descriptors.map((d, i) => [d.id, i]));
  const sarifResults: Result[] = results.flatMap((r) =>
    r.diagnostics.map((d) => {
      const start = position(d.range.start);
      const end = position(d.range.end);
      return {
        ruleId: String(d.code),
        ruleIndex: index.get(String(d.code)) ?? -1,
        level: SARIF_LEVEL[severityOf(d)],
        message: { text: messageOf(d) },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: r.path.split('\\').map(encodeURIComponent).join('/').replace(/%2F/g, '/'), uriBaseId: '%SRCROOT%' },
              region: { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column },
            },
          },
        ],
      };
    }),
  );
  const log: Log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'dockwise', version, informationUri: 'https://github.com/dockwise/dockwise', rules: descriptors } },
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(root).href}/` } },
        results: sarifResults,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
