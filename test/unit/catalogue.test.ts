// Keeps each rule, its docs, its fixtures and the settings schema in step.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CONFIG_SCHEMA_PATH, configFileSchema } from '../../server/src/config/schema';
import { configurationSchema } from '../../server/src/configurationSchema';
import { ruleDocsUrl } from '../../server/src/engine/lint';
import { rules } from '../../server/src/rules';
import { BUILDKIT_CHECKS, HADOLINT_RULES, LEFT_OUT } from '../../server/src/rules/compatibility';
import { indexPage, rulePage } from '../../server/src/rules/docsPage';
import { ROOT } from '../paths';

const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

test('rule ids are unique kebab-case names', () => {
  const ids = rules.map((r) => r.meta.id);
  for (const id of ids) assert.match(id, KEBAB);
  assert.equal(new Set(ids).size, ids.length);
});

for (const rule of rules) {
  const { meta } = rule;
  test(`${meta.id} has a docs page generated from its metadata (run \`npm run generate\` when this fails)`, () => {
    const path = join(ROOT, 'docs/rules', `${meta.id}.md`);
    assert.ok(existsSync(path), `missing ${path}`);
    assert.equal(readFileSync(path, 'utf8'), rulePage(rule));
    for (const section of ['why', 'bad', 'good', 'fix'] as const) assert.ok(meta.docs[section].trim().length > 0, `${meta.id} has no ${section} text`);
    assert.ok(ruleDocsUrl(meta.id).endsWith(`/docs/rules/${meta.id}.md`));
  });

  test(`${meta.id} has valid and invalid fixtures`, () => {
    for (const kind of ['valid', 'invalid']) {
      const dir = join(ROOT, 'test/fixtures/rules', meta.id, kind);
      assert.ok(existsSync(dir) && readdirSync(dir).length > 0, `no fixtures in ${dir}`);
    }
  });
}

test('the rules index is generated from the metadata', () => {
  assert.equal(readFileSync(join(ROOT, 'docs/rules/README.md'), 'utf8'), indexPage(rules));
});

test('every BuildKit check and hadolint rule is mapped or left out with a reason', () => {
  const mapped = new Set(rules.flatMap((r) => [...(r.meta.aliases.hadolint ?? []), ...(r.meta.aliases.buildkit ?? [])]));
  for (const name of [...Object.keys(BUILDKIT_CHECKS), ...Object.keys(HADOLINT_RULES)]) {
    assert.ok(mapped.has(name) !== Object.hasOwn(LEFT_OUT, name), `${name} must be either an alias of a rule or in LEFT_OUT, not both or neither`);
  }
  for (const alias of mapped) assert.ok(Object.hasOwn(BUILDKIT_CHECKS, alias) || Object.hasOwn(HADOLINT_RULES, alias), `${alias} is not a known BuildKit check or hadolint rule`);
});

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

test('the .dockwise.yaml schema matches the rule metadata (run `npm run generate` when this fails)', () => {
  assert.deepEqual(JSON.parse(readFileSync(join(ROOT, CONFIG_SCHEMA_PATH), 'utf8')), configFileSchema());
});
