// The seven real projects beside the repository build in their own CI: every error dockwise reports
// there is a dockwise bug until shown otherwise, so none is allowed; and the per-rule counts are
// pinned, so a change that moves what the rules find on real projects is seen and reviewed.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { rules } from '../../server/src/rules';
import { PROJECTS, ROOT } from '../paths';
import { collectHits, projectFiles } from '../precision/hits';

const SNAPSHOT = join(ROOT, 'test/fixtures/projects-counts.json');

test('the real projects: no errors, and per-rule counts as in the snapshot', async (t) => {
  const projects = await projectFiles();
  if (projects.length === 0) return t.skip(`no projects at ${PROJECTS}`);
  const hits = (await collectHits()).filter((h) => h.set === 'projects');
  assert.deepEqual(
    hits.filter((h) => h.severity === 'error').map((h) => `${h.key} ${h.rule}: ${h.message}`),
    [],
  );
  const counts = Object.fromEntries(rules.map((r) => [r.meta.id, hits.filter((h) => h.rule === r.meta.id).length]));
  const snapshot = { files: projects.reduce((n, p) => n + p.files.length, 0), counts };
  if (process.env.DOCKWISE_UPDATE_SNAPSHOT) writeFileSync(SNAPSHOT, `${JSON.stringify(snapshot, null, 2)}\n`);
  assert.deepEqual(snapshot, JSON.parse(readFileSync(SNAPSHOT, 'utf8')), 'project counts changed: review the hits (npm run precision), then run with DOCKWISE_UPDATE_SNAPSHOT=1');
});
