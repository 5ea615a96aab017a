// Keeps each rule, its docs, its fixtures and the settings schema in step.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { configurationSchema } from '../../server/src/configurationSchema';
import { ruleDocsUrl } from '../../server/src/engine/lint';
import { rules } from '../../server/src/rules';
import { ROOT } from '../paths';

const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

test('rule ids are unique kebab-case names', () => {
  const ids = rules.map((r) => r.meta.id);
  for (const id of ids) assert.match(id, KEBAB);
  assert.equal(new Set(ids).size, ids.length);
});

for (const { meta } of rules) {
  test(`${meta.id} has a docs page with the sections users look for`, () => {
    const path = join(ROOT, 'docs/rules', `${meta.id}.md`);
    assert.ok(existsSync(path), `missing ${path}`);
    const text = readFileSync(path, 'utf8');
    assert.match(text, new RegExp(`^# ${meta.id}\\n`));
    for (const heading of ['## Why', '## Bad', '## Good', '## Fix', '## Suppress']) {
      assert.ok(text.includes(`\n${heading}`), `${meta.id}.md lacks "${heading}"`);
    }
    for (const alias of [...(meta.aliases.hadolint ?? []), ...(meta.aliases.buildkit ?? [])]) {
      assert.ok(text.includes(alias), `${meta.id}.md does not mention its alias ${alias}`);
    }
    assert.ok(ruleDocsUrl(meta.id).endsWith(`/docs/rules/${meta.id}.md`));
  });

  test(`${meta.id} has valid and invalid fixtures`, () => {
    for (const kind of ['valid', 'invalid']) {
      const dir = join(ROOT, 'test/fixtures/rules', meta.id, kind);
      assert.ok(existsSync(dir) && readdirSync(dir).length > 0, `no fixtures in ${dir}`);
    }
  });
}

test('every docs page belongs to a rule', () => {
  const ids = new Set(rules.map((r) => r.meta.id));
  for (const name of readdirSync(join(ROOT, 'docs/rules'))) {
    if (name === 'README.md') continue;
    assert.ok(ids.has(name.replace(/\.md$/, '')), `docs/rules/${name} has no rule`);
  }
});

test('package.json settings schema matches the rule metadata (run `npm run generate` when this fails)', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.deepEqual(pkg.contributes.configuration, configurationSchema());
});
