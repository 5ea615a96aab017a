/**
 * The reviewed hits: one JSON file per rule under test/precision/verdicts/, each entry a hit key,
 * whether a careful engineer would change that line (`right`), and the reason for the verdict.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../paths';

export interface Verdict {
  readonly hit: string;
  readonly right: boolean;
  readonly reason: string;
}

export const VERDICTS = join(ROOT, 'test/precision/verdicts');

/** Verdicts by rule id, then by hit key. */
export function readVerdicts(dir = VERDICTS): Map<string, Map<string, Verdict>> {
  const byRule = new Map<string, Map<string, Verdict>>();
  if (!existsSync(dir)) return byRule;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const rule = name.slice(0, -'.json'.length);
    const entries = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Verdict[];
    byRule.set(rule, new Map(entries.map((v) => [v.hit, v])));
  }
  return byRule;
}
