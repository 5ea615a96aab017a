/**
 * `npm run precision`: per rule, its hits on the corpus and the projects, how many were reviewed,
 * how many judged right, and the precision; then the same over every finding at warning and above.
 *
 *   npm run precision                  the table
 *   npm run precision -- --dump RULE   the hits of RULE with no verdict yet, with their lines, for review
 *   npm run precision -- --docs        writes docs/precision.md from the verdicts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../../server/src/rules';
import { ROOT } from '../paths';
import { collectHits, type Hit } from './hits';
import { readVerdicts, type Verdict } from './verdicts';

export interface RuleRow {
  readonly rule: string;
  readonly level: string;
  readonly corpus: number;
  readonly projects: number;
  readonly reviewed: number;
  readonly right: number;
  /** Reviewed hits judged right, as a fraction; `undefined` with nothing reviewed. */
  readonly precision: number | undefined;
}

export interface Summary {
  readonly rows: readonly RuleRow[];
  /** Projects' findings at error level. */
  readonly projectErrors: number;
  /** Over every finding at warning and above, each rule's precision weighted by its hits. */
  readonly warningAndAbove: { readonly hits: number; readonly estimate: number | undefined };
  /** Verdicts whose hit no longer fires. */
  readonly stale: number;
}

const RANK = { error: 4, warning: 3, info: 2, hint: 1 } as const;

export function summarise(hits: readonly Hit[], verdicts: ReadonlyMap<string, ReadonlyMap<string, Verdict>>): Summary {
  const rows: RuleRow[] = [];
  let stale = 0;
  for (const rule of rules.map((r) => r.meta.id)) {
    const own = hits.filter((h) => h.rule === rule);
    const judged = verdicts.get(rule) ?? new Map<string, Verdict>();
    const keys = new Set(own.map((h) => h.key));
    stale += [...judged.keys()].filter((k) => !keys.has(k)).length;
    const reviewed = own.filter((h) => judged.has(h.key));
    const right = reviewed.filter((h) => judged.get(h.key)!.right).length;
    const levels = [...new Set(own.map((h) => h.severity))];
    rows.push({
      rule,
      level: levels.join('/') || (rules.find((r) => r.meta.id === rule)!.meta.severity),
      corpus: own.filter((h) => h.set === 'corpus').length,
      projects: own.filter((h) => h.set === 'projects').length,
      reviewed: reviewed.length,
      right,
      precision: reviewed.length ? right / reviewed.length : undefined,
    });
  }
  const loud = hits.filter((h) => RANK[h.severity] >= RANK.warning);
  let weighted = 0;
  let known = 0;
  for (const row of rows) {
    const n = loud.filter((h) => h.rule === row.rule).length;
    if (n === 0 || row.precision === undefined) continue;
    weighted += n * row.precision;
    known += n;
  }
  return {
    rows,
    projectErrors: hits.filter((h) => h.set === 'projects' && h.severity === 'error').length,
    warningAndAbove: { hits: loud.length, estimate: known ? weighted / known : undefined },
    stale,
  };
}

const percent = (p: number | undefined) => (p === undefined ? '—' : `${(p * 100).toFixed(1)} %`);

export function table(summary: Summary): string {
  const head = ['rule', 'level', 'corpus', 'projects', 'reviewed', 'right', 'precision'];
  const body = summary.rows
    .filter((r) => r.corpus + r.projects > 0)
    .map((r) => [r.rule, r.level, String(r.corpus), String(r.projects), String(r.reviewed), String(r.right), percent(r.precision)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const quiet = summary.rows.filter((r) => r.corpus + r.projects === 0).length;
  return [
    line(head),
    ...body.map(line),
    '',
    `${quiet} rules have no hits on the corpus or the projects.`,
    `errors on the projects: ${summary.projectErrors}`,
    `findings at warning and above: ${summary.warningAndAbove.hits}, estimated right: ${percent(summary.warningAndAbove.estimate)} (each rule's reviewed precision weighted by its hits)`,
    `stale verdicts (their hit no longer fires): ${summary.stale}`,
  ].join('\n');
}

function dump(hits: readonly Hit[], rule: string, verdicts: ReadonlyMap<string, ReadonlyMap<string, Verdict>>, all: boolean): string {
  const judged = verdicts.get(rule);
  return hits
    .filter((h) => h.rule === rule && (all || !judged?.has(h.key)))
    .map((h) => {
      const lines = h.text.split('\n');
      const from = Math.max(1, h.line - 3);
      const to = Math.min(lines.length, Math.max(h.endLine, h.line) + 2);
      const shown = lines.slice(from - 1, to).map((text, i) => `${String(from + i).padStart(5)}${from + i >= h.line && from + i <= h.endLine ? ' >' : '  '} ${text}`);
      return `### ${h.key}  [${h.severity}] ${h.message}\n${shown.join('\n')}\n`;
    })
    .join('\n');
}

export function docs(summary: Summary, hits: readonly Hit[], verdicts: ReadonlyMap<string, ReadonlyMap<string, Verdict>>): string {
  const out = [
    '# Precision on real Dockerfiles',
    '',
    '*Generated by `npm run precision -- --docs` from `test/precision/verdicts/`; do not edit by hand.*',
    '',
    'Every finding dockwise makes on `../shared/corpus` (real Dockerfiles without their projects, linted',
    'with no build context) and `../shared/projects` (seven real projects with their whole trees, which',
    'build in their own CI, linted as the CLI lints them) is a claim. A hit is judged **right** when a',
    'careful engineer reviewing that Dockerfile would change the line for the reason the message gives;',
    'otherwise it is **wrong**. Rules whose hits were not right often enough were fixed, narrowed or',
    'lowered until they were.',
    '',
    '```',
    table(summary),
    '```',
    '',
  ];
  for (const row of summary.rows.filter((r) => r.reviewed > 0)) {
    out.push(`## ${row.rule}`, '', `${row.reviewed} reviewed of ${row.corpus + row.projects} hits, ${row.right} right (${percent(row.precision)}).`, '');
    const judged = verdicts.get(row.rule)!;
    for (const hit of hits.filter((h) => h.rule === row.rule && judged.has(h.key))) {
      const verdict = judged.get(hit.key)!;
      const line = (hit.text.split('\n')[hit.line - 1] ?? '').trim();
      const shown = line.length > 90 ? `${line.slice(0, 87)}…` : line;
      out.push(`- ${verdict.right ? 'right' : '**wrong**'} · \`${hit.key}\` · \`${shown.replace(/`/g, "'")}\`: ${verdict.reason}`);
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

async function main(argv: string[]): Promise<void> {
  const hits = await collectHits();
  const verdicts = readVerdicts();
  const at = argv.indexOf('--dump');
  if (at !== -1) {
    process.stdout.write(dump(hits, argv[at + 1] ?? '', verdicts, argv.includes('--all')));
    return;
  }
  const summary = summarise(hits, verdicts);
  if (argv.includes('--docs')) writeFileSync(join(ROOT, 'docs/precision.md'), docs(summary, hits, verdicts));
  process.stdout.write(`${table(summary)}\n`);
}

if (require.main === module) void main(process.argv.slice(2));
