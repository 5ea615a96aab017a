/** Checkstyle XML, which Jenkins, reviewdog and many CI dashboards read. */
import { xmlAttribute } from './escape';
import { messageOf, position, severityOf, type FileResult } from './results';

const CHECKSTYLE_SEVERITY = { error: 'error', warning: 'warning', info: 'info', hint: 'info' } as const;

export function formatCheckstyle(results: readonly FileResult[]): string {
  const files = results.map((r) => {
    const errors = r.items.map(({ diagnostic: d }) => {
      const { line, column } = position(d.range.start);
      return `    <error line="${line}" column="${column}" severity="${CHECKSTYLE_SEVERITY[severityOf(d)]}" message="${xmlAttribute(messageOf(d))}" source="dockwise.${xmlAttribute(String(d.code))}"/>\n`;
    });
    return `  <file name="${xmlAttribute(r.path)}">\n${errors.join('')}  </file>\n`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<checkstyle version="4.3">\n${files.join('')}</checkstyle>\n`;
}
