/** Version 1 of the JSON report; docs/cli.md describes every field. */
import { ruleDocsUrl } from '../engine/lint';
import { jsonDocument } from './escape';
import { countBySeverity, messageOf, position, severityOf, type FileResult } from './results';

export function formatJson(results: readonly FileResult[], version: string): string {
  const files = results.map((r) => ({
    path: r.path,
    diagnostics: r.items.map(({ diagnostic: d, fixes }) => ({
      rule: String(d.code),
      severity: severityOf(d),
      message: messageOf(d),
      start: position(d.range.start),
      end: position(d.range.end),
      docs: d.codeDescription?.href ?? ruleDocsUrl(String(d.code)),
      fixes: fixes.map((f) => ({ title: f.title, safe: f.safe, edits: f.edits.map((e) => ({ start: position(e.range.start), end: position(e.range.end), newText: e.newText })) })),
    })),
  }));
  const counts = countBySeverity(results);
  const summary = { files: files.length, errors: counts.error, warnings: counts.warning, infos: counts.info, hints: counts.hint };
  return jsonDocument({ version: 1, tool: { name: 'dockwise', version }, files, summary });
}
