import type { Diagnostic } from 'vscode-languageserver-types';

/** One line per diagnostic, 1-based like a compiler: `3:6-3:13 rule-id message`. */
export function formatDiagnostic(d: Diagnostic): string {
  const { start, end } = d.range;
  return `${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1} ${String(d.code)} ${d.message}`;
}
