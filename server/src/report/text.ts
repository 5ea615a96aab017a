/** Compiler-style lines, `path:line:col severity rule-id message`, coloured only when asked to. */
import type { Severity } from '../engine/rule';
import { visible } from './escape';
import { messageOf, position, severityOf, type FileResult } from './results';

const SEVERITY_COLOUR: Record<Severity, string> = { error: '31', warning: '33', info: '34', hint: '2' };
const paint = (on: boolean, code: string, text: string) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

export function formatText(results: readonly FileResult[], { color = false }: { color?: boolean } = {}): string {
  return results
    .flatMap((r) =>
      r.items.map(({ diagnostic: d }) => {
        const { line, column } = position(d.range.start);
        const severity = severityOf(d);
        return `${visible(r.path)}:${line}:${column} ${paint(color, SEVERITY_COLOUR[severity], severity)} ${paint(color, '2', String(d.code))} ${visible(messageOf(d))}\n`;
      }),
    )
    .join('');
}
