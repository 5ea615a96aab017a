/**
 * The engine's "not analysed" line for a Dockerfile on disk that `readCapped` refused for its size:
 * the same code and wording as `declined`, with the size from the file system (its lines were never
 * read, so never counted).
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE, MAX_ANALYSED_CHARS, MAX_ANALYSED_LINES } from '../engine/lint';

export function tooLargeDiagnostic(bytes: number): Diagnostic {
  const size = bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    code: 'file-too-large',
    source: DIAGNOSTIC_SOURCE,
    message: `dockwise does not analyse files over ${MAX_ANALYSED_CHARS / 1024} KB or ${MAX_ANALYSED_LINES.toLocaleString('en')} lines; this one has ${size} on disk and was not read.`,
  };
}
