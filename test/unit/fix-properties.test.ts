// Every fix offered on real Dockerfiles, applied: the file still parses, the finding is gone,
// nothing new appears elsewhere, and fix-all reaches a fixed point in one go.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { test } from 'node:test';
import { applyEdits } from '../../server/src/engine/edits';
import { fixAll, fixesOf } from '../../server/src/engine/fixes';
import { analyze, lint, type LintOptions } from '../../server/src/engine/lint';
import { buildModel } from '../../server/src/engine/model';
import { BuildContextReader } from '../../server/src/workspace/buildContext';
import { corpusFiles } from '../corpus';
import { CORPUS } from '../paths';

const files = corpusFiles();
const reader = new BuildContextReader();

function optionsFor(path: string): LintOptions {
  const found = reader.read(path);
  return { context: { buildContext: found.buildContext, trustedRegistries: [] }, buildArgs: found.buildArgs };
}

function counts(text: string, options: LintOptions): Map<string, number> {
  const result = new Map<string, number>();
  for (const d of lint(text, options)) result.set(String(d.code), (result.get(String(d.code)) ?? 0) + 1);
  return result;
}

test(`every fix offered on the corpus is sound (${files.length} files)`, { skip: files.length === 0 && `no corpus at ${CORPUS}` }, (t) => {
  let applied = 0;
  const failures: string[] = [];
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    const options = optionsFor(path);
    const analysis = analyze(text, options)!;
    const before = counts(text, options);
    for (const item of analysis.reported) {
      for (const fix of fixesOf(analysis, item)) {
        applied += 1;
        const where = `${relative(CORPUS, path)}:${item.diagnostic.range.start.line + 1} ${item.rule.meta.id} "${fix.title}"`;
        const fixed = applyEdits(text, fix.edits);
        try {
          buildModel(fixed);
        } catch (error) {
          failures.push(`${where}: result does not parse: ${String(error)}`);
          continue;
        }
        const after = counts(fixed, options);
        if ((after.get(item.rule.meta.id) ?? 0) >= (before.get(item.rule.meta.id) ?? 0)) failures.push(`${where}: the finding is still there`);
        for (const [rule, n] of after) if (rule !== item.rule.meta.id && n > (before.get(rule) ?? 0)) failures.push(`${where}: new ${rule} finding`);
      }
    }
    const once = fixAll(text, options);
    if (fixAll(once, options) !== once) failures.push(`${relative(CORPUS, path)}: fix-all twice differs from once`);
  }
  t.diagnostic(`${applied} fixes applied`);
  assert.deepEqual(failures, []);
  assert.ok(applied > 100, `only ${applied} fixes were offered on the corpus`);
});
