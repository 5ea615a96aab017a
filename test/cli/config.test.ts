// .dockwise.yaml through the built CLI: found upward from each Dockerfile (nearest wins), flags over
// it, --config and --print-config, ignorePaths, and a broken file stopping the run before anything is linted.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseDockwiseConfig } from '../../server/src/config/dockwiseConfig';
import { CONFIG_SCHEMA_PATH, configFileSchema } from '../../server/src/config/schema';
import { ROOT } from '../paths';
import { dockwise, workspace, type Workspace } from './run';

let ws: Workspace;
const lint = (...args: string[]) => dockwise(['lint', ...args], { cwd: ws.dir });
const findings = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => l.split(' ').slice(0, 3).join(' '));

before(() => {
  ws = workspace({
    '.dockwise.yaml': '# the repository default\nrules:\n  image-tag-latest: error\ntrustedRegistries: [ghcr.io]\n',
    'api/Dockerfile': 'FROM python\nUSER app\nCMD ["python"]\n',
    'web/.dockwise.yml': 'rules:\n  image-tag-latest: "off"\n',
    'web/Dockerfile': 'FROM node\nUSER node\nCMD ["node"]\n',
    'other.yaml': 'rules:\n  image-tag-latest: hint\n  untrusted-registry: "off"\n',
  });
});

after(() => ws.remove());

test('the nearest .dockwise.yaml above each Dockerfile applies, and only that one', () => {
  const { code, stdout } = lint('.');
  assert.equal(code, 1);
  assert.deepEqual(findings(stdout), ['api/Dockerfile:1:6 error image-tag-latest', 'api/Dockerfile:1:6 warning untrusted-registry']);
});

test('command-line flags win over the file: --rule per rule, --trusted-registry as a whole list', () => {
  assert.deepEqual(findings(lint('api', '--rule', 'image-tag-latest=info').stdout), ['api/Dockerfile:1:6 info image-tag-latest', 'api/Dockerfile:1:6 warning untrusted-registry']);
  assert.deepEqual(findings(lint('api', '--trusted-registry', 'docker.io').stdout), ['api/Dockerfile:1:6 error image-tag-latest']);
});

test('--config uses one file for every Dockerfile', () => {
  const { code, stdout } = lint('.', '--config', 'other.yaml');
  assert.equal(code, 0);
  assert.deepEqual(findings(stdout), ['api/Dockerfile:1:6 hint image-tag-latest', 'web/Dockerfile:1:6 hint image-tag-latest']);
});

test('--print-config prints what applies to one Dockerfile, merged, as JSON', () => {
  const { code, stdout } = lint('--print-config', 'api/Dockerfile', '--rule', 'cd-in-run=error', '--target-platform', 'linux/arm64');
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(stdout), {
    file: 'api/Dockerfile',
    configFile: '.dockwise.yaml',
    ignored: false,
    rules: { 'image-tag-latest': 'error', 'cd-in-run': 'error' },
    trustedRegistries: ['ghcr.io'],
    targetPlatforms: ['linux/arm64'],
    ignorePaths: [],
    registry: { network: 'public', hosts: [] },
    hadolint: null,
    buildContext: 'api',
  });
  // A path that does not exist yet gets what a Dockerfile there would get.
  assert.equal(JSON.parse(lint('--print-config', 'web/new/Dockerfile').stdout).configFile, 'web/.dockwise.yml');
});

test('a broken file stops the run with one line naming the file, the line and the key, exit 2, nothing linted', () => {
  const cases: [string, string][] = [
    ['rules:\n  image-tag-latst: error\n', '2: rules.image-tag-latst: unknown rule id (did you mean image-tag-latest?)'],
    ['rules:\n  image-tag-latest: loud\n', '2: rules.image-tag-latest: level must be off, hint, info, warning, error'],
    ['rules:\n  DL3006: error\n', "2: rules.DL3006: unknown rule id (DL3006 is hadolint's name; dockwise calls it image-tag-latest)"],
    ['rules:\n  CKV_DOCKER_7: error\n', "2: rules.CKV_DOCKER_7: unknown rule id (CKV_DOCKER_7 is checkov's name; dockwise calls it image-tag-latest)"],
    // Trivy prints DS-0002 today; .trivyignore files written before trivy-checks 2.0 say AVD-DS-0002.
    ['rules:\n  AVD-DS-0002: "off"\n', "2: rules.AVD-DS-0002: unknown rule id (AVD-DS-0002 is Trivy's name; dockwise calls it runs-as-root)"],
    ['rules:\n  DS-0026: "off"\n', "2: rules.DS-0026: unknown rule id (DS-0026 is Trivy's check for HEALTHCHECK missing, which dockwise leaves out; docs/rules/README.md says why)"],
    ['targetPlatforms:\n  - linux/amd64\n  - amd64\n', '3: targetPlatforms[1]: must be os/arch or os/arch/variant, such as linux/amd64 or linux/arm/v7'],
    ['registry:\n  network: everywhere\n', '2: registry.network: must be off, public, all'],
    ['registry:\n  host: [x]\n', '2: registry.host: unknown key (did you mean hosts?); registry may have network and hosts'],
    ['ignorePaths: vendor\n', '1: ignorePaths: must be a list'],
    ['# team settings\ntrustedRegistry: [ghcr.io]\n', '2: trustedRegistry: unknown key (did you mean trustedRegistries?); the file may have rules, trustedRegistries, targetPlatforms, ignorePaths, registry'],
    ['rules:\n  cd-in-run: "off"\n  cd-in-run: error\n', '3: rules.cd-in-run: Map keys must be unique'],
    ['rules: [image-tag-latest\n', '2: rules: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['- rules\n', '1: must be a mapping with any of rules, trustedRegistries, targetPlatforms, ignorePaths, registry'],
  ];
  const broken = workspace({ 'svc/Dockerfile': 'FROM python\n' });
  try {
    for (const [text, expected] of cases) {
      broken.write('.dockwise.yaml', text);
      const { code, stdout, stderr } = dockwise(['lint', '.', '--format', 'json'], { cwd: broken.dir });
      assert.equal(code, 2, text);
      assert.equal(stdout, '', 'nothing is linted');
      assert.equal(stderr, `dockwise: ${join(broken.dir, '.dockwise.yaml')}:${expected}\n`);
    }
    const missing = dockwise(['lint', '.', '--config', 'nowhere.yaml'], { cwd: broken.dir });
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, `dockwise: ${join(broken.dir, 'nowhere.yaml')}: no such file\n`);
  } finally {
    broken.remove();
  }
});

test('ignorePaths leave matching Dockerfiles out, relative to the file that says so', () => {
  const repo = workspace({
    '.dockwise.yaml': 'ignorePaths:\n  - legacy/\n  - "*.generated.Dockerfile"\n',
    'legacy/Dockerfile': 'FROM python\n',
    'app/api.generated.Dockerfile': 'FROM python\n',
    'app/Dockerfile': 'FROM python:3.12-slim\nUSER app\nCMD ["python"]\n',
  });
  try {
    const all = dockwise(['lint', '.'], { cwd: repo.dir });
    assert.equal(all.code, 0);
    assert.equal(all.stderr, 'dockwise: 1 file(s), no problems\n');
    // Named on the command line, an ignored file is still left out, and the reason is given.
    const named = dockwise(['lint', 'legacy/Dockerfile'], { cwd: repo.dir });
    assert.equal(named.code, 0);
    assert.equal(named.stderr, 'dockwise: legacy/Dockerfile is left out by ignorePaths in .dockwise.yaml\ndockwise: 0 file(s), no problems\n');
    assert.equal(JSON.parse(dockwise(['lint', '--print-config', 'legacy/Dockerfile'], { cwd: repo.dir }).stdout).ignored, true);
  } finally {
    repo.remove();
  }
});

test('an empty file, or one with comments only, configures nothing', () => {
  for (const text of ['', '# nothing yet\n', 'rules:\n']) assert.deepEqual(parseDockwiseConfig(text), { config: { rules: {}, ignorePaths: [], registry: { hosts: [] } } });
});

test('the schema describes exactly the keys the parser accepts', () => {
  const schema = configFileSchema();
  const every = [
    'rules:',
    ...Object.keys(schema.properties.rules.properties).map((id) => `  ${id}: warning`),
    'trustedRegistries: [ghcr.io]',
    'targetPlatforms: [linux/amd64, linux/arm/v7]',
    'ignorePaths: [vendor/]',
    'registry:',
    ...Object.keys(schema.properties.registry.properties).map((key) => (key === 'network' ? '  network: all' : `  ${key}: [registry.example.com:5000]`)),
  ].join('\n');
  const parsed = parseDockwiseConfig(every);
  assert.equal(parsed.problem, undefined, JSON.stringify(parsed.problem));
  assert.equal(Object.keys(parsed.config!.rules).length, Object.keys(schema.properties.rules.properties).length);
  for (const key of Object.keys(schema.properties)) assert.ok(!parseDockwiseConfig(`${key}:\n`).problem, key);
  assert.match(parseDockwiseConfig('colour: true\n').problem!.message, /^unknown key/);
});

test('package.json contributes the schema for .dockwise.yaml and .dockwise.yml', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.deepEqual(pkg.contributes.yamlValidation, [{ fileMatch: ['.dockwise.yaml', '.dockwise.yml'], url: `./${CONFIG_SCHEMA_PATH}` }]);
  assert.match(readFileSync(join(ROOT, '.vscodeignore'), 'utf8'), new RegExp(`^!${CONFIG_SCHEMA_PATH}$`, 'm'), 'the vsix carries the schema');
});
