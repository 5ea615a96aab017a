// Data-driven: every rule has fixtures that must stay clean and fixtures whose
// findings are written down, line by line, in a sibling `.expected` file.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { rules } from '../../server/src/rules';
import { formatDiagnostic } from '../diagnostics';
import { contextFor } from '../fixtureContext';
import { ROOT } from '../paths';
import { fixAll } from '../../server/src/linter';
import { createEngine } from '../../server/src/engine/engine';

const FIXTURES = join(ROOT, 'test/fixtures/rules');

function dockerfilesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((name) => !/\.(?:expected|fixed|context\.json|workspace)$/.test(name)) : [];
}

for (const rule of rules) {
  const id = rule.meta.id;
  describe(`rule ${id}`, () => {
    const only = (path: string) => createEngine([rule]).lint(readFileSync(path, 'utf8'), { context: contextFor(path) });

    for (const name of dockerfilesIn(join(FIXTURES, id, 'valid'))) {
      test(`stays quiet on valid/${name}`, () => {
        const found = only(join(FIXTURES, id, 'valid', name)).map(formatDiagnostic);
        assert.deepEqual(found, []);
      });
    }

    for (const name of dockerfilesIn(join(FIXTURES, id, 'invalid'))) {
      const path = join(FIXTURES, id, 'invalid', name);
      test(`reports invalid/${name}`, () => {
        const expected = readFileSync(`${path}.expected`, 'utf8').split('\n').filter(Boolean);
        const found = only(path).map(formatDiagnostic);
        assert.deepEqual(found, expected);
      });
      // `<name>.fixed`: the file after the first offered fix of every finding, byte for byte.
      if (!existsSync(`${path}.fixed`)) continue;
      test(`fixes invalid/${name}`, () => {
        const options = { context: contextFor(path) };
        const fix = (text: string) => fixAll(text, options, { only: (ruleId) => ruleId === id, unsafe: true });
        const fixed = fix(readFileSync(path, 'utf8'));
        assert.equal(fixed, readFileSync(`${path}.fixed`, 'utf8'));
        assert.equal(fix(fixed), fixed, 'fixing twice changes nothing');
        assert.deepEqual(createEngine([rule]).lint(fixed, options).map(formatDiagnostic), (existsSync(`${path}.fixed.expected`) ? readFileSync(`${path}.fixed.expected`, 'utf8') : '').split('\n').filter(Boolean), 'what is left after fixing');
      });
    }
  });
}
