// Keeps each rule, its docs, its fixtures and the settings schema in step.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CONFIG_SCHEMA_PATH, configFileSchema } from '../../server/src/config/schema';
import { configurationSchema } from '../../server/src/configurationSchema';
import { ruleDocsUrl } from '../../server/src/engine/lint';
import { rules } from '../../server/src/rules';
import { LEFT_OUT, TOOL_NAMES, TOOLS } from '../../server/src/rules/catalogue/compatibility';
import { indexPage, rulePage } from '../../server/src/rules/catalogue/docsPage';
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

for (const tool of TOOL_NAMES) {
  const { name: toolName, checks, id: shape } = TOOLS[tool];
  test(`every ${toolName} check is mapped or left out with a reason, and its ids have ${toolName}'s shape`, () => {
    for (const name of Object.keys(checks)) assert.match(name, shape, `${name} in the ${toolName} table`);
    const mapped = new Set(rules.flatMap((r) => r.meta.aliases[tool] ?? []));
    for (const name of Object.keys(checks)) {
      assert.ok(mapped.has(name) !== Object.hasOwn(LEFT_OUT, name), `${name} must be either an alias of a rule or in LEFT_OUT, not both or neither`);
    }
    for (const alias of mapped) assert.ok(Object.hasOwn(checks, alias), `${alias} is not a known ${toolName} check (an alias under \`${tool}\` must be one, spelled as ${toolName} prints it)`);
  });
}

test('each alias names one rule, once', () => {
  const owner = new Map<string, string>();
  for (const { meta } of rules) {
    for (const tool of TOOL_NAMES) {
      for (const alias of meta.aliases[tool] ?? []) {
        // RuleMeta.aliases: a check whose problem two rules split would need its reason written there first.
        assert.ok(!owner.has(alias), `${alias} is claimed by ${owner.get(alias)} and by ${meta.id}`);
        owner.set(alias, meta.id);
      }
    }
  }
});

test('every LEFT_OUT entry is a known check of one of the tools', () => {
  for (const name of Object.keys(LEFT_OUT)) assert.ok(TOOL_NAMES.some((tool) => Object.hasOwn(TOOLS[tool].checks, name)), `${name} is in LEFT_OUT but in no tool's table`);
});

test("Trivy's older spellings resolve to the id it prints now, and nothing else does", () => {
  const { canonical } = TOOLS.trivy;
  assert.equal(canonical!('AVD-DS-0002'), 'DS-0002');
  assert.equal(canonical!('ds002'), 'DS-0002');
  assert.equal(canonical!('DS-0031'), 'DS-0031');
  assert.equal(canonical!('DL3002'), undefined);
  assert.equal(canonical!('CKV_DOCKER_2'), undefined);
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
