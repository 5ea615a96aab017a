/**
 * GitHub Actions workflow commands, one annotation per finding:
 * `::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=<rule>::<message>`.
 */
import { visible } from './escape';
import { messageOf, position, severityOf, type FileResult } from './results';

const COMMAND = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' } as const;

/** The runner's own escaping (@actions/core's escapeData / escapeProperty), after control characters are made visible. */
const escapeData = (text: string) => visible(text, '\r\n').replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function formatGithub(results: readonly FileResult[]): string {
  return results
    .flatMap((r) =>
      r.items.map(({ diagnostic: d }) => {
        const start = position(d.range.start);
        const end = position(d.range.end);
        const properties = [`file=${escapeProperty(r.path)}`, `line=${start.line}`, `col=${start.column}`, `endLine=${end.line}`, `endColumn=${end.column}`, `title=${escapeProperty(String(d.code))}`];
        return `::${COMMAND[severityOf(d)]} ${properties.join(',')}::${escapeData(messageOf(d))}\n`;
      }),
    )
    .join('');
}
