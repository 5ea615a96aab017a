// Build definitions from compose, bake and devcontainer files: what each tool would build, what is
// left out rather than guessed, and that hostile bake files cost linear time.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { bakeDefinitions } from '../../server/src/workspace/bake';
import type { BuildDefinition } from '../../server/src/workspace/buildDefinition';
import { composeDefinitions } from '../../server/src/workspace/compose';
import { interpolate } from '../../server/src/workspace/composeVariables';
import { readBuildDefinitions } from '../../server/src/workspace/definitions';
import { devcontainerDefinitions } from '../../server/src/workspace/devcontainer';
import { parseHcl } from '../../server/src/workspace/hcl';
import { parseJsonc } from '../../server/src/workspace/jsonc';
import { PROJECTS, ROOT } from '../paths';

const FIXTURES = join(ROOT, 'test/fixtures/build-definitions');
const tmp = mkdtempSync(join(tmpdir(), 'dockwise-definitions-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function write(path: string, text: string): string {
  const full = join(tmp, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, text);
  return full;
}

/** Definitions as [origin, context, dockerfile, args, target] with paths relative to `base`. */
function rows(definitions: readonly BuildDefinition[], base: string) {
  const rel = (p: string) => (p === base ? '.' : p.startsWith(`${base}/`) ? p.slice(base.length + 1) : p);
  return definitions.map((d) => [d.origin, rel(d.context), rel(d.dockerfile), d.args, d.target]);
}

async function all(root: string) {
  const { byDockerfile, skipped } = await readBuildDefinitions([root]);
  return { definitions: [...byDockerfile.values()].flat(), skipped: skipped.map((s) => s.reason) };
}

test('compose: merge keys, extends in the file and from another, the override file, profiles and ${VAR:-default}', async () => {
  const base = join(FIXTURES, 'compose-merge');
  const { definitions, skipped } = await all(base);
  assert.deepEqual(rows(definitions, base), [
    // The override file merges its args into api's, key by key.
    ['compose service api', 'app', 'app/Dockerfile', { BASE: 'python:3.13-slim', WITH_DEFAULT: '3.12', LITERAL_DOLLAR: '$HOME', DEBUG: '1' }, 'api'],
    // extends is resolved within each file, before the override file is merged.
    ['compose service admin', 'app', 'app/Dockerfile', { BASE: 'python:3.12-slim', WITH_DEFAULT: '3.12', LITERAL_DOLLAR: '$HOME' }, 'admin'],
    // Under a profile, and built from a merge key inside a merge key.
    ['compose service worker', 'app', 'app/Dockerfile.worker', { BASE: 'python:3.12-slim', WITH_DEFAULT: '3.12', LITERAL_DOLLAR: '$HOME' }, undefined],
    // What another file brings in is relative to that file.
    ['compose service shared', 'shared', 'shared/Dockerfile', { FROM_COMMON: 'yes' }, undefined],
    // Defaults are used; a target without one is left out.
    ['compose service defaulted', 'app', 'app/Dockerfile.dev', {}, undefined],
    ['compose service extra', 'extra', 'extra/Dockerfile', {}, undefined],
  ]);
  assert.deepEqual(definitions.find((d) => d.origin.endsWith('defaulted'))?.namedContexts, { assets: join(base, 'assets'), base: 'docker-image://alpine:3.20' });
  assert.equal(definitions.find((d) => d.origin.endsWith('extra'))?.file, join(base, 'compose.override.yaml'));
  assert.deepEqual(skipped, [
    'compose service loop-a: extends in a cycle (loop-a → loop-b → loop-a)',
    'compose service loop-b: extends in a cycle (loop-b → loop-a → loop-b)',
    'compose service inline: dockerfile_inline has no file',
    'compose service remote: the context is remote (https://github.com/org/repo.git#main)',
    'compose service unset: context uses a variable without a default',
  ]);
});

test('compose: docker-compose.yml with its override, and another compose file read over it for the services it builds', async () => {
  const base = join(FIXTURES, 'compose-pair');
  assert.deepEqual(rows((await all(base)).definitions, base), [
    ['compose service web', '.', 'Dockerfile', { MODE: 'dev', KEEP: '1' }, 'dev'],
    ['compose service sut (with docker-compose.test.yml)', 'tests', 'tests/Dockerfile', {}, undefined],
  ]);
});

test('compose: include, as a path or { path: [files], project_directory }; remote ones are skipped', async () => {
  const base = join(FIXTURES, 'compose-include');
  const { definitions, skipped } = await all(base);
  // sub/compose.yaml is also read on its own; the same definition is kept once.
  assert.deepEqual(rows(definitions, base), [
    ['compose service sub', 'sub', 'sub/Dockerfile', {}, undefined],
    ['compose service other', 'other', 'other/Dockerfile.other', { FROM_EXTRA: '1' }, undefined],
    ['compose service main', '.', 'Dockerfile', {}, undefined],
  ]);
  assert.deepEqual(skipped, ['include: a remote file (oci://registry.example/app:1)']);
  const loop = write('include-loop/compose.yaml', 'include: [again.yml]\nservices: { a: { build: . } }\n');
  write('include-loop/again.yml', 'include: [compose.yaml]\n');
  const found = composeDefinitions([loop]);
  assert.deepEqual(found.definitions.map((d) => d.origin), ['compose service a']);
  assert.match(found.skipped[0]?.reason ?? '', /^include: .*compose\.yaml includes itself$/);
});

test('compose: a build string or mapping, args as a map or a list, remote contexts and broken files', () => {
  const file = write('basic/compose.yaml', [
    'services:',
    '  web: { build: ./web }',
    '  api:',
    '    build:',
    '      context: ./services',
    '      dockerfile: api/Dockerfile.prod',
    '      args: { PY: "3.12", COUNT: 2, FROM_ENV: "${PY_VERSION}", FROM_SHELL: null }',
    '      target: runtime',
    '  worker:',
    '    build: { context: ., args: [ "MODE=worker", "BROKEN" ] }',
    '  remote: { build: "git@github.com:org/repo.git" }',
    '  db: { image: postgres:16 }',
    '  empty:',
  ].join('\n'));
  const base = join(tmp, 'basic');
  assert.deepEqual(rows(composeDefinitions([file]).definitions, base), [
    ['compose service web', 'web', 'web/Dockerfile', {}, undefined],
    ['compose service api', 'services', 'services/api/Dockerfile.prod', { PY: '3.12', COUNT: '2' }, 'runtime'],
    ['compose service worker', '.', 'Dockerfile', { MODE: 'worker' }, undefined],
  ]);
  const broken = composeDefinitions([write('broken/compose.yaml', 'services: [broken')]);
  assert.deepEqual(broken.definitions, []);
  assert.match(broken.skipped[0]?.reason ?? '', /^not read: /);
  // An alias bomb is refused by the YAML parser's alias limit, not expanded.
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${'bcdefghi'[i]}: &${'bcdefghi'[i]} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`), 'services: { s: { build: . } }'].join('\n');
  assert.match(composeDefinitions([write('bomb/compose.yaml', bomb)]).skipped[0]?.reason ?? '', /^not read: .*alias/i);
});

test('compose interpolation: defaults are used, anything needing the environment is unknown', () => {
  assert.equal(interpolate('plain'), 'plain');
  assert.equal(interpolate('${A:-x}/${B-y}'), 'x/y');
  assert.equal(interpolate('${A:-${B:-nested}}'), 'nested');
  assert.equal(interpolate('cost $$5'), 'cost $5');
  assert.equal(interpolate('a$'), 'a$');
  for (const value of ['${A}', '$A', 'x-${A:?required}', '${A:+set}', '${A:-${B}}', '${A:-unclosed', '${}']) assert.equal(interpolate(value), undefined, value);
});

test('bake: variables (defaults overridden by the override file), inherits, functions and unset variables left out, matrix', async () => {
  const base = join(FIXTURES, 'bake');
  const { definitions, skipped } = await all(base);
  const common = { PYTHON: '3.13', BASE: 'python:3.13-slim' };
  const app = { ...common, GREETING: 'hello\n', QUOTED: 'a "b" ${LITERAL}', DEBUG: '1' };
  assert.deepEqual(rows(definitions, base), [
    ['bake target _common', '.', 'Dockerfile', common, undefined],
    ['bake target app', 'services/app', 'services/app/Dockerfile', app, 'runtime'],
    // REGISTRY has no default: its `target` is left out rather than inherited, and so are the args using it.
    ['bake target pushed', 'services/app', 'services/app/Dockerfile', { ...app, COUNT: '3', ON: 'true' }, undefined],
    ['bake target svc-api', 'services/api', 'services/api/Dockerfile', {}, undefined],
    ['bake target svc-web', 'services/web', 'services/web/Dockerfile', {}, undefined],
  ]);
  assert.deepEqual(definitions[1]?.namedContexts, { assets: join(base, 'assets'), base: 'target:_common' });
  assert.deepEqual(skipped, [
    'bake target worker: context calls lower()',
    'bake target remote: context is not a local folder (https://github.com/org/repo.git)',
    'bake target inline: dockerfile-inline has no file',
    'bake target loop-a: inherits in a cycle (loop-a → loop-b → loop-a)',
    'bake target loop-b: inherits in a cycle (loop-b → loop-a → loop-b)',
  ]);
});

test('bake: the JSON form, with templates and a target given as several blocks', async () => {
  const base = join(FIXTURES, 'bake-json');
  assert.deepEqual(rows((await all(base)).definitions, base), [
    ['bake target web', 'web', 'web/Dockerfile.web', { A: 'b', N: '1' }, 'final'],
    ['bake target api', 'api', 'api/Dockerfile', { X: 'web-x' }, undefined],
  ]);
});

test('bake: a simple target and one that inherits it', () => {
  const file = write('simple/docker-bake.hcl', 'target "app" {\n  context = "./app"\n  dockerfile = "Dockerfile"\n  target = "prod"\n  args = {\n    NODE = "22"\n  }\n}\ntarget "x" {\n  inherits = ["app"]\n  args = { MORE = "1" }\n}\n');
  assert.deepEqual(
    bakeDefinitions([file]).definitions.map((d) => [d.origin, d.context.slice(tmp.length), d.target, d.args]),
    [
      ['bake target app', '/simple/app', 'prod', { NODE: '22' }],
      ['bake target x', '/simple/app', 'prod', { NODE: '22', MORE: '1' }],
    ],
  );
  const broken = bakeDefinitions([write('simple-broken/docker-bake.hcl', 'target "a" {\n  context = "x"\n  context = "y"\n}\n')]);
  assert.deepEqual([broken.definitions, broken.skipped.map((s) => s.reason)], [[], ['not read: line 3: attribute "context" is set twice']]);
});

test('hcl: comments, nested values, expressions parsed and kept opaque, errors with their line', () => {
  const body = parseHcl(
    [
      '# hash comment',
      '// slash comment',
      'a = /* inline */ { "k" = [1, -2.5e1, true, null], (x) : "v", nested = { deep = ["${y}"] } }',
      'b = [for s in list : upper(s) if s != ""]',
      'c = { for k, v in m : k => v... }',
      'd = cond ? "x" : "y"',
      'e = target.base.args[0]',
      'f = "%{ if x }yes%{ endif }"',
      'block "one" two {',
      '  inner "x" { }',
      '}',
    ].join('\n'),
  );
  assert.deepEqual([...body.attributes.keys()], ['a', 'b', 'c', 'd', 'e', 'f']);
  assert.deepEqual(
    ['b', 'c', 'd', 'e', 'f'].map((n) => body.attributes.get(n)),
    [
      { kind: 'opaque', why: 'uses a for expression' },
      { kind: 'opaque', why: 'uses a for expression' },
      { kind: 'opaque', why: 'uses a condition' },
      { kind: 'opaque', why: 'indexes a value' },
      { kind: 'opaque', why: 'uses a %{ } directive' },
    ],
  );
  assert.deepEqual(body.blocks.map((b) => [b.type, b.labels, b.body.blocks.length]), [['block', ['one', 'two'], 1]]);
  for (const [text, message] of [
    ['target "a" {\n  x = "y"\n', /^line 3: unclosed block/],
    ['a = "unclosed\n', /^line 1: a quoted string cannot span lines/],
    ['a = <<EOT\nnever closed\n', /^line 3: unclosed heredoc/],
    ['a = 1 +\n', /^line 2: unexpected end of file/],
    ['/* never closed', /^line 1: unclosed \/\* comment/],
    ['a = "${x"', /^line 1: expected \} closing \$\{, found "\""$/],
  ] as const) {
    assert.throws(() => parseHcl(text), (error: Error) => message.test(error.message), text);
  }
});

test('hostile bake files parse, or fail, in linear time; files over 1 MB are not read', () => {
  // CPU time, not wall time: other builds may share the machine, and a quadratic parser would take
  // seconds on these inputs either way.
  const timed = (name: string, text: string) => {
    const file = write(`hostile/${name}/docker-bake.hcl`, text);
    const start = process.cpuUsage();
    const found = bakeDefinitions([file]);
    const { user, system } = process.cpuUsage(start);
    const ms = (user + system) / 1000;
    assert.ok(ms < 500, `${name}: ${ms.toFixed(0)} ms`);
    return found;
  };
  const blank = timed('blank-lines', `target "app" {\n${'\n'.repeat(200_000)}  context = "app"\n}\n`);
  assert.deepEqual(blank.definitions.map((d) => d.context.slice(tmp.length)), ['/hostile/blank-lines/app']);
  const lines = Array.from({ length: 60_000 }, (_, i) => `  a${i} = "v"\n`).join('');
  assert.match(timed('unclosed-block', `target "app" {\n${lines}`).skipped[0]?.reason ?? '', /line 60002: unclosed block/);
  // The old regex reader's worst case: many block openings with no closing brace at a line start.
  assert.equal(timed('openings', 'target "a" {\n'.repeat(60_000)).skipped.length, 1);
  assert.match(timed('deep', `a = ${'['.repeat(100_000)}`).skipped[0]?.reason ?? '', /nested deeper than 64/);
  assert.match(timed('heredoc', `a = <<EOT\n${'x\n'.repeat(200_000)}`).skipped[0]?.reason ?? '', /unclosed heredoc/);
  assert.match(timed('strings', `a = "${'${"'.repeat(100_000)}${'"}'.repeat(100_000)}"`).skipped[0]?.reason ?? '', /nested deeper than 64/);
  const many = timed('many-targets', Array.from({ length: 20_000 }, (_, i) => `target "t${i}" {}\n`).join(''));
  assert.deepEqual([many.definitions.length, many.skipped.map((s) => s.reason)], [1000, ['more than 1000 bake targets: 19000 not read']]);
  assert.match(timed('huge', `# ${'x'.repeat(1_100_000)}\n`).skipped[0]?.reason ?? '', /^larger than 1 MB/);
});

test('devcontainer: build with comments and trailing commas, the legacy form, .devcontainer.json, and compose files', async () => {
  const base = join(FIXTURES, 'devcontainer');
  const origin = (path: string) => `devcontainer ${path}`;
  const found = (file: string) => rows(devcontainerDefinitions(join(base, file), base).definitions, base);
  // Both paths are relative to the devcontainer.json's folder; only the variable with a default is kept.
  assert.deepEqual(found('.devcontainer/devcontainer.json'), [[origin('.devcontainer/devcontainer.json'), '.', '.devcontainer/Dockerfile', { NODE: '22', URL: 'http://example.com/a//b' }, 'dev']]);
  assert.deepEqual(found('.devcontainer/legacy/devcontainer.json'), [[origin('.devcontainer/legacy/devcontainer.json'), 'legacy', 'legacy/Dockerfile', {}, undefined]]);
  assert.deepEqual(found('sub/.devcontainer.json'), [[origin('sub/.devcontainer.json'), 'sub', 'sub/Dockerfile', {}, undefined]]);
  // The compose files merge in order: the devcontainer's file makes the target dev.
  assert.deepEqual(found('.devcontainer/compose/devcontainer.json'), [['compose service app (devcontainer .devcontainer/compose/devcontainer.json)', '.', 'Dockerfile', {}, 'dev']]);
  // The workspace scan finds all of them, and compose.yaml itself.
  const { definitions } = await all(base);
  assert.deepEqual(
    definitions.map((d) => d.origin).sort(),
    [
      'compose service app',
      'compose service app (devcontainer .devcontainer/compose/devcontainer.json)',
      // compose.extend.yml is a compose file name too, read alone as `docker compose -f` would.
      'compose service app',
      origin('.devcontainer/devcontainer.json'),
      origin('.devcontainer/legacy/devcontainer.json'),
      origin('sub/.devcontainer.json'),
    ].sort(),
  );
});

test('jsonc: comments and trailing commas go, strings stay as written', () => {
  assert.deepEqual(parseJsonc('{ "a": "// not a comment, }", /* c */ "b": [1, 2, ], // end\n "c": "\\"/*\\"", }'), { a: '// not a comment, }', b: [1, 2], c: '"/*"' });
  assert.throws(() => parseJsonc('{ "a": }'));
});

test('the same definition reached twice is kept once; nested workspace folders list files once', async () => {
  const base = join(FIXTURES, 'compose-include');
  const { byDockerfile } = await readBuildDefinitions([base, join(base, 'sub')]);
  assert.deepEqual([...byDockerfile.values()].map((list) => list.length), [1, 1, 1]);
});

test('real projects: what their compose, bake and devcontainer files build', { skip: !existsSync(PROJECTS) && 'no projects folder' }, async () => {
  const jupyter = join(PROJECTS, 'jupyter-docker-stacks');
  // The devcontainer builds .devcontainer/Dockerfile from the repository root, where its COPY sources
  // are; repo2docker builds binder/Dockerfile from the repository root too.
  assert.deepEqual(rows((await all(jupyter)).definitions, jupyter), [
    ['devcontainer .devcontainer/devcontainer.json', '.', '.devcontainer/Dockerfile', {}, undefined],
    ['repo2docker (binder)', '.', 'binder/Dockerfile', {}, undefined],
  ]);
  // Its bake recipe (read only with -f) builds three targets from git and one from the folder bake runs in.
  const recipe = bakeDefinitions([join(jupyter, 'docs/using/recipe_code/docker-bake.custom-python.hcl')]);
  assert.deepEqual(recipe.skipped.map((s) => s.reason.replace(/ \(.*/, '')), ['foundation', 'base-notebook', 'minimal-notebook'].map((t) => `bake target ${t}: context is not a local folder`));
  assert.deepEqual(
    recipe.definitions.map((d) => [d.origin, d.context.slice(jupyter.length), d.args, d.namedContexts]),
    [['bake target custom-notebook', '/docs/using/recipe_code', { BASE_IMAGE: 'minimal-notebook' }, { 'minimal-notebook': 'target:minimal-notebook' }]],
  );

  const voting = join(PROJECTS, 'dockersamples-example-voting-app');
  assert.deepEqual(rows((await all(voting)).definitions, voting), [
    ['compose service vote', 'vote', 'vote/Dockerfile', {}, 'dev'],
    ['compose service vote', 'vote', 'vote/Dockerfile', {}, undefined],
    ['compose service result', 'result', 'result/Dockerfile', {}, undefined],
    ['compose service result', 'result', 'result/Dockerfile', {}, undefined],
    ['compose service worker', 'worker', 'worker/Dockerfile', {}, undefined],
    ['compose service worker', 'worker', 'worker/Dockerfile', {}, undefined],
    // Under the "seed" profile, still a build we lint for.
    ['compose service seed', 'seed-data', 'seed-data/Dockerfile', {}, undefined],
    ['compose service sut', 'result/tests', 'result/tests/Dockerfile', {}, undefined],
  ]);
});
