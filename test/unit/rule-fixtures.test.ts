// Data-driven: every rule has fixtures that must stay clean and fixtures whose
// findings are written down, line by line, in a sibling `.expected` file.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { lint } from '../../server/src/engine/lint';
import { rules } from '../../server/src/rules';
import { EMPTY_CONTEXT, type RuleContext } from '../../server/src/rules/rule';
import { formatDiagnostic } from '../diagnostics';
import { ROOT } from '../paths';

const FIXTURES = join(ROOT, 'test/fixtures/rules');

function dockerfilesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((name) => !name.endsWith('.expected') && !name.endsWith('.context.json')) : [];
}

/** Facts from outside the file, for rules that need them: `<name>.context.json` beside the fixture. */
function contextFor(path: string): RuleContext {
  const sidecar = `${path}.context.json`;
  return { ...EMPTY_CONTEXT, ...(existsSync(sidecar) ? (JSON.parse(readFileSync(sidecar, 'utf8')) as Partial<RuleContext>) : {}) };
}

for (const rule of rules) {
  const id = rule.meta.id;
  describe(`rule ${id}`, () => {
    const only = (path: string) => lint(readFileSync(path, 'utf8'), { context: contextFor(path) }, [rule]);

    for (const name of dockerfilesIn(join(FIXTURES, id, 'valid'))) {
      test(`stays quiet on valid/${name}`, () => {
        const found = only(join(FIXTURES, id, 'valid', name)).map(formatDiagnostic);
        assert.deepEqual(found, []);
      });
    }

    for (const name of dockerfilesIn(join(FIXTURES, id, 'invalid'))) {
      test(`reports invalid/${name}`, () => {
        const path = join(FIXTURES, id, 'invalid', name);
        const expected = readFileSync(`${path}.expected`, 'utf8').split('\n').filter(Boolean);
        const found = only(path).map(formatDiagnostic);
        assert.deepEqual(found, expected);
      });
    }
  });
}
