/** The command line's output formats, by name. */
import { formatCheckstyle } from './checkstyle';
import { formatGithub } from './github';
import { formatGitlab } from './gitlab';
import { formatJson } from './json';
import type { FileResult } from './results';
import { formatSarif } from './sarif';
import { formatText } from './text';

export { countBySeverity, lintForReport, severityOf, type FileResult } from './results';

export const REPORT_FORMATS = ['text', 'json', 'sarif', 'github', 'gitlab', 'checkstyle'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportOptions {
  readonly version: string;
  /** The folder paths are relative to (SARIF's `%SRCROOT%`). */
  readonly root: string;
  /** ANSI colour in the text format. */
  readonly color: boolean;
}

export function formatReport(format: ReportFormat, results: readonly FileResult[], { version, root, color }: ReportOptions): string {
  switch (format) {
    case 'text':
      return formatText(results, { color });
    case 'json':
      return formatJson(results, version);
    case 'sarif':
      return formatSarif(results, version, root);
    case 'github':
      return formatGithub(results);
    case 'gitlab':
      return formatGitlab(results);
    case 'checkstyle':
      return formatCheckstyle(results);
  }
}
