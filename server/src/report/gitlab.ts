/** GitLab's Code Quality report (a subset of Code Climate's issue format), for `artifacts:reports:codequality`. */
import type { Severity } from '../engine/rule';
import { jsonDocument } from './escape';
import { messageOf, position, severityOf, type FileResult } from './results';

/** GitLab's scale is info, minor, major, critical, blocker; nothing dockwise finds blocks on its own. */
const GITLAB_SEVERITY: Record<Severity, string> = { hint: 'info', info: 'minor', warning: 'major', error: 'critical' };

export function formatGitlab(results: readonly FileResult[]): string {
  return jsonDocument(
    results.flatMap((r) =>
      r.items.map(({ diagnostic: d, fingerprint }) => ({
        description: messageOf(d),
        check_name: String(d.code),
        fingerprint,
        severity: GITLAB_SEVERITY[severityOf(d)],
        location: { path: r.path, lines: { begin: position(d.range.start).line, end: position(d.range.end).line } },
      })),
    ),
  );
}
