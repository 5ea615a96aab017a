// The precision review is kept true: every rule with hits on the real material has enough of them
// reviewed and is right often enough, the findings at warning and above are right at least 95 % of
// the time, and docs/precision.md is what the verdicts say.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusFiles } from '../corpus';
import { CORPUS, ROOT } from '../paths';
import { collectHits } from '../precision/hits';
import { docs, summarise } from '../precision/precision';
import { readVerdicts } from '../precision/verdicts';

const skip = corpusFiles().length === 0 && `no corpus at ${CORPUS}`;

test('every rule with hits on the corpus and the projects is reviewed and right; docs/precision.md is current', { skip }, async () => {
  const hits = await collectHits();
  const verdicts = readVerdicts();
  const summary = summarise(hits, verdicts);
  const problems: string[] = [];
  for (const row of summary.rows) {
    const total = row.corpus + row.projects;
    if (total === 0) continue;
    if (row.reviewed < Math.min(20, total)) problems.push(`${row.rule}: ${row.reviewed} of ${total} hits reviewed (npm run precision -- --dump ${row.rule})`);
    else if (row.precision! < 0.9) problems.push(`${row.rule}: ${(row.precision! * 100).toFixed(1)} % right`);
  }
  assert.deepEqual(problems, []);
  assert.ok((summary.warningAndAbove.estimate ?? 0) >= 0.95, `findings at warning and above: ${(summary.warningAndAbove.estimate ?? 0) * 100} % right`);
  assert.equal(summary.stale, 0, 'verdicts for hits that no longer fire: remove them');
  assert.equal(readFileSync(join(ROOT, 'docs/precision.md'), 'utf8'), docs(summary, hits, verdicts), 'docs/precision.md is stale: npm run precision -- --docs');
});
