/**
 * SARIF 2.1.0 for code scanning: every rule's metadata, results with partial fingerprints that
 * survive lines moving, and each result's fixes as artifact changes.
 */
import type { Fix as SarifFix, Log, Region, ReportingDescriptor, Result } from 'sarif';
import { pathToFileURL } from 'node:url';
import type { Range } from 'vscode-languageserver-types';
import { ruleDocsUrl } from '../engine/lint';
import { rules } from '../rules';
import { TOOL_NAMES } from '../rules/catalogue/compatibility';
import { jsonDocument } from './escape';
import { FINGERPRINT_KEY } from './fingerprint';
import { messageOf, position, severityOf, type FileResult } from './results';

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;

/** Columns are UTF-16 code units, SARIF's default `columnKind`; the end is exclusive, and equal ends mark an insertion point. */
function region(range: Range): Region {
  const start = position(range.start);
  const end = position(range.end);
  return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
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
    // The other tools' ids for the same check (hadolint, buildkit, trivy, checkov), so code scanning can be searched by them.
    properties: { category: meta.category, ...Object.fromEntries(TOOL_NAMES.filter((tool) => meta.aliases[tool]).map((tool) => [tool, meta.aliases[tool]])) },
  }));
  const index = new Map(descriptors.map((d, i) => [d.id, i]));
  const sarifResults: Result[] = results.flatMap((r) => {
    const artifactLocation = { uri: r.path.split('\\').map(encodeURIComponent).join('/').replace(/%2F/g, '/'), uriBaseId: '%SRCROOT%' };
    return r.items.map(({ diagnostic: d, fixes, fingerprint }) => ({
      ruleId: String(d.code),
      ruleIndex: index.get(String(d.code)) ?? -1,
      level: SARIF_LEVEL[severityOf(d)],
      message: { text: messageOf(d) },
      locations: [{ physicalLocation: { artifactLocation, region: region(d.range) } }],
      partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
      ...(fixes.length
        ? {
            fixes: fixes.map(
              (f): SarifFix => ({
                description: { text: f.title },
                artifactChanges: [
                  {
                    artifactLocation,
                    // No insertedContent is a deletion.
                    replacements: f.edits.map((e) => ({ deletedRegion: region(e.range), ...(e.newText ? { insertedContent: { text: e.newText } } : {}) })),
                  },
                ],
                properties: { safe: f.safe },
              }),
            ),
          }
        : {}),
    }));
  });
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
  return jsonDocument(log);
}
