/**
 * The support dates of the cycles an image reference names, for the FROM hover. Offline (the
 * endoflife.date table in rules/eolTable.ts), so it shows whatever the registry answers. A stale
 * table gives its dates without saying what is still supported.
 */
import type { ImageRef } from '../language/imageRef';
import { standing, supportParts, TABLE_MAX_AGE_DAYS, tableAge, type SupportPart } from '../language/eolSupport';
import { EOL_TABLE } from '../language/eolTable';
import type { EolTable } from '../language/eolTypes';

function dates(part: SupportPart, day: string, stale: boolean): string {
  const { cycle } = part;
  const lts = cycle.extended ? `, Debian LTS until ${cycle.extended}` : '';
  if (cycle.eol === false) return stale ? 'no end of life announced' : 'supported, no end of life announced';
  if (cycle.eol === true) return 'ended ⚠';
  if (stale) return `end of life ${cycle.eol}${lts}`;
  const { phase } = standing(cycle, day);
  if (phase === 'ended') return `ended ${cycle.eol}${lts} ⚠`;
  if (phase === 'extended') return `regular security support ended ${cycle.eol}${lts}`;
  return `supported until ${cycle.eol}${lts}${phase === 'ending' ? ' (ending soon)' : ''}`;
}

/** Markdown lines for the hover, or `''` when the reference names no cycle the table knows. */
export function supportHover(ref: ImageRef, today: string, table: EolTable = EOL_TABLE): string {
  const age = tableAge(today, table);
  const parts = supportParts(ref, age.stale ? table.generatedAt : today, table);
  if (parts.length === 0) return '';
  const lines = parts.map((part) => {
    const product = table.products[part.product]!;
    const role = part.role === 'os' ? ' (its OS)' : '';
    return `- [${part.label}](${product.url})${role}: ${dates(part, today, age.stale)}`;
  });
  const note = age.stale ? `, ${age.days} days old: over ${TABLE_MAX_AGE_DAYS} days, so dates may have moved since` : '';
  return [`**Support** (endoflife.date, as of ${table.generatedAt}${note})`, '', ...lines].join('\n');
}
