// A repository must not hurt the server or the CLI (issue 16): files that are devices, FIFOs or
// links out of the workspace are refused before they are opened; globs never follow symbolic
// links and stop at a bound; the slow paths are linear; contexts and links stay in the workspace.
// Each case asserts a bound (CPU time through process.cpuUsage, which is steadier than wall time on
// a busy machine; RSS growth; entries crawled) and the exact outcome.
import balena from '@balena/dockerignore';
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { buildModel } from '../../server/src/language/model';
import { codeLenses } from '../../server/src/features/codeLens';
import { sourceLinks } from '../../server/src/features/links';
import { definition, highlights, references } from '../../server/src/features/navigation';
import { semanticTokens } from '../../server/src/features/semanticTokens';
import { BuildContextReader } from '../../server/src/workspace/buildContext';
import { bakeDefinitions } from '../../server/src/workspace/bake';
import { composeDefinitions, parseCompose } from '../../server/src/workspace/compose';
import { crawl } from '../../server/src/workspace/crawl';
import { readBuildDefinitions } from '../../server/src/workspace/definitions';
import { dockerignoreMatcher } from '../../server/src/workspace/dockerignore';
import { DiskLinter } from '../../server/src/workspace/diskLinter';
import { readCapped, READ_LIMITS } from '../../server/src/workspace/readCapped';
import { findDockerfilesOnDisk, findWorkspaceDockerfiles } from '../../server/src/workspace/scan';
import { tooLargeDiagnostic } from '../../server/src/workspace/tooLarge';
import { checkConfig, configSeeds, fuzzConfigs, type ConfigKind } from '../fuzz/configFuzzer';
import { picker } from '../fuzz/fuzzer';
import { ROOT } from '../paths';

// Real paths: the messages name them, and /tmp may itself be a link.
const base = realpathSync(mkdtempSync(join(tmpdir(), 'dockwise-hostile-')));
after(() => rmSync(base, { recursive: true, force: true }));
let serial = 0;
function workspace(files: Record<string, string> = {}): string {
  const root = join(base, `ws${++serial}`);
  mkdirSync(root);
  for (const [path, text] of Object.entries(files)) write(root, path, text);
  return root;
}
function write(root: string, path: string, text: string): string {
  const full = join(root, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, text);
  return full;
}
const link = (target: string, root: string, path: string) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  symlinkSync(target, join(root, path));
  return join(root, path);
};
const fifo = (root: string, path: string) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  execFileSync('mkfifo', [join(root, path)]);
  return join(root, path);
};
/** A file of `bytes` bytes that takes no space (a hole), to be over a cap. */
const sparse = (root: string, path: string, bytes: number) => {
  const full = join(root, path);
  mkdirSync(join(full, '..'), { recursive: true });
  const fd = openSync(full, 'w');
  ftruncateSync(fd, bytes);
  closeSync(fd);
  return full;
};

/** CPU milliseconds and RSS growth (MB) of `run`, with its result. */
async function measured<T>(run: () => T | Promise<T>): Promise<{ value: T; cpuMs: number; rssMb: number }> {
  global.gc?.();
  // CPU time counts the collector's and the compiler's threads too: let what earlier work left them settle.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const rss = process.memoryUsage().rss;
  const cpu = process.cpuUsage();
  const value = await run();
  const used = process.cpuUsage(cpu);
  return { value, cpuMs: (used.user + used.system) / 1000, rssMb: (process.memoryUsage().rss - rss) / 1024 / 1024 };
}
// A few hundred milliseconds of CPU, with room for a loaded CI machine, where the heaviest of these
// (the .dockerignore at its step budget, the compose file at its cap) measured up to 530 ms; the inputs
// took 10 to 98 s before they were bounded, so a regression still fails by far.
const CPU_MS = 1000;
const RSS_MB = 50;
/** Asserts the bounds, and writes what was measured as a TAP comment, for the record. */
function bounded(what: string, m: { cpuMs: number; rssMb?: number }): void {
  process.stdout.write(`# measured ${what}: ${m.cpuMs.toFixed(0)} ms CPU${m.rssMb === undefined ? '' : `, RSS ${m.rssMb >= 0 ? '+' : ''}${m.rssMb.toFixed(1)} MB`}\n`);
  assert.ok(m.cpuMs < CPU_MS, `${what}: ${m.cpuMs} ms of CPU`);
  if (m.rssMb !== undefined) assert.ok(m.rssMb < RSS_MB, `${what}: RSS grew ${m.rssMb} MB`);
}
const TIMEOUT = { timeout: 30_000 };

// 1. Files are read only if they are regular, small enough, and really in the workspace.

test('1. the reader refuses devices, FIFOs, folders, big files and links out of the workspace without opening them', TIMEOUT, async () => {
  const root = workspace({ 'ok.yaml': 'a: 1\n', 'sub/inner.yaml': 'b: 2\n' });
  const outside = workspace({ 'secret.txt': 'TOKEN=1\n' });
  const zero = link('/dev/zero', root, 'zero.yaml');
  const pipe = fifo(root, 'pipe.yaml');
  const big = sparse(root, 'big.yaml', 300 * 1024);
  const hugeDockerfile = sparse(root, 'Dockerfile', 2 * 1024 * 1024);
  const out = link(join(outside, 'secret.txt'), root, 'out.yaml');
  const inner = link('sub/inner.yaml', root, 'inner.yaml');
  const dangling = link('nowhere.yaml', root, 'dangling.yaml');
  const { value, cpuMs, rssMb } = await measured(() =>
    [zero, pipe, join(root, 'sub'), big, out, inner, dangling, join(root, 'ok.yaml')].map((path) => readCapped(path, 'compose', { within: [root] })),
  );
  assert.deepEqual(value, [
    { problem: 'a symbolic link to /dev/zero, a character device, not read', reason: 'not-regular' },
    { problem: 'not a regular file (a FIFO), not read', reason: 'not-regular' },
    { problem: 'not a regular file (a folder), not read', reason: 'not-regular' },
    { problem: `larger than 32 KB (${300 * 1024} bytes), not read`, reason: 'too-large', bytes: 300 * 1024 },
    { problem: `a symbolic link to ${join(outside, 'secret.txt')}, outside ${root}, not read`, reason: 'outside' },
    { text: 'b: 2\n' },
    { problem: 'a symbolic link to nothing', reason: 'missing' },
    { text: 'a: 1\n' },
  ]);
  // A Dockerfile over the cap gets the engine's information line, from its size alone.
  const refused = readCapped(hugeDockerfile, 'dockerfile');
  assert.deepEqual(refused, { problem: `larger than 1 MB (${2 * 1024 * 1024} bytes), not read`, reason: 'too-large', bytes: 2 * 1024 * 1024 });
  assert.equal(tooLargeDiagnostic(2 * 1024 * 1024).code, 'file-too-large');
  assert.equal(tooLargeDiagnostic(2 * 1024 * 1024).message, 'dockwise does not analyse files over 512 KB or 10,000 lines; this one has 2.0 MB on disk and was not read.');
  bounded('the reader on /dev/zero, a FIFO, a folder, a big file, links', { cpuMs, rssMb });
  assert.equal(READ_LIMITS.dockerfile, 1024 * 1024);
});

test('1. .dockerignore and .hadolint.yaml as links to /dev/zero or FIFOs: refused with one line each, the rest still read', TIMEOUT, async () => {
  for (const hostile of ['zero', 'fifo'] as const) {
    const root = workspace({ 'Dockerfile': 'FROM alpine:3.20\nCOPY app.py /app/\n', 'app.py': 'print(1)\n' });
    const make = (path: string) => (hostile === 'zero' ? link('/dev/zero', root, path) : fifo(root, path));
    const ignore = make('.dockerignore');
    const hadolint = make('.hadolint.yaml');
    const dockerfile = join(root, 'Dockerfile');
    const { value: found, cpuMs, rssMb } = await measured(() => new BuildContextReader({ roots: () => [root] }).read(dockerfile));
    const what = hostile === 'zero' ? 'a symbolic link to /dev/zero, a character device, not read' : 'not a regular file (a FIFO), not read';
    assert.deepEqual(found.problems, [`${ignore}: ${what}`]);
    assert.equal(found.hadolint?.path, hadolint);
    assert.equal(found.hadolint?.problem, what);
    // The ignore file is there (so no "missing .dockerignore"), excludes nothing, and the listing is read.
    assert.equal(found.buildContext.hasDockerignore, true);
    assert.equal(found.buildContext.isIgnored?.('app.py'), false);
    assert.ok(found.buildContext.paths?.has('app.py'));
    bounded(`.dockerignore and .hadolint.yaml as ${hostile}`, { cpuMs, rssMb });
  }
});

test('1. compose.yaml and docker-bake.hcl as links to /dev/zero or FIFOs are skipped with why; the CLI says each once', TIMEOUT, async () => {
  const root = workspace({ 'Dockerfile': 'FROM alpine:3.20\n', 'b/Dockerfile': 'FROM alpine:3.20\n' });
  link('/dev/zero', root, 'compose.yaml');
  fifo(root, 'docker-bake.hcl');
  fifo(root, 'b/compose.yaml');
  link('/dev/zero', root, 'b/docker-bake.json');
  const { value, cpuMs, rssMb } = await measured(async () => {
    // The walk finds none of them (a FIFO is not a file, and a link is followed only to a regular file inside)…
    const found = await readBuildDefinitions([root]);
    // …and read by name (an include, an extra -f file, a devcontainer's dockerComposeFile), they are refused.
    const named = [
      composeDefinitions([join(root, 'compose.yaml')], { within: [root] }),
      bakeDefinitions([join(root, 'docker-bake.hcl')], [root]),
      composeDefinitions([join(root, 'b/compose.yaml')], { within: [root] }),
      bakeDefinitions([join(root, 'b/docker-bake.json')], [root]),
    ];
    return { found, skipped: named.flatMap((n) => n.skipped) };
  });
  assert.deepEqual([value.found.byDockerfile.size, value.found.skipped], [0, []]);
  assert.deepEqual(
    value.skipped.map((s) => `${s.file.slice(root.length + 1)}: ${s.reason}`).sort(),
    [
      'b/compose.yaml: not a regular file (a FIFO), not read',
      'b/docker-bake.json: a symbolic link to /dev/zero, a character device, not read',
      'compose.yaml: a symbolic link to /dev/zero, a character device, not read',
      'docker-bake.hcl: not a regular file (a FIFO), not read',
    ],
  );
  bounded('compose and bake files as /dev/zero and FIFOs', { cpuMs, rssMb });

  // A Dockerfile that is a FIFO or a device, named on the command line, is refused as such; one in
  // a folder is never found (the walk does not follow links, and a FIFO is not a file).
  fifo(root, 'c/Dockerfile');
  link('/dev/zero', root, 'd/Dockerfile');
  const named = await findDockerfilesOnDisk(['c/Dockerfile', 'd/Dockerfile', '.'], root);
  assert.deepEqual(named.notes, ['c/Dockerfile: not a regular file (a FIFO), not read', 'd/Dockerfile: not a regular file (a character device), not read']);
  assert.deepEqual(named.found.map((f) => f.path.slice(root.length + 1)), ['Dockerfile', 'b/Dockerfile']);

  const problems: string[] = [];
  const linter = new DiskLinter(new Map(), { roots: [root], onProblem: (m) => problems.push(m) });
  write(root, 'e/Dockerfile', 'FROM alpine:3.20\n');
  link('/dev/zero', root, 'e/.dockerignore');
  for (let i = 0; i < 3; i++) linter.analyze(join(root, 'e/Dockerfile'), 'FROM alpine:3.20\n');
  assert.deepEqual(problems, [`${join(root, 'e/.dockerignore')}: a symbolic link to /dev/zero, a character device, not read`]);
});

// 2. Globs do not follow links, keep each file once, and stop at a bound.

test('2. root -> / and self -> . are not walked: the workspace, the CLI and the build context see each file once', TIMEOUT, async () => {
  const root = workspace({ 'Dockerfile': 'FROM alpine:3.20\nCOPY . /app\n', 'compose.yaml': 'services:\n  app:\n    build: .\n', 'src/app.py': 'print(1)\n' });
  link('/', root, 'root');
  link('.', root, 'self');
  link('..', root, 'up');
  link('loop', root, 'loop');
  const { value, cpuMs, rssMb } = await measured(async () => ({
    workspace: await findWorkspaceDockerfiles(root),
    cli: await findDockerfilesOnDisk(['.', 'self', './Dockerfile'], root),
    definitions: await readBuildDefinitions([root]),
    crawled: await crawl(['**/*'], { root }),
    context: new BuildContextReader({ roots: () => [root] }).read(join(root, 'Dockerfile')),
  }));
  assert.deepEqual(value.workspace, [join(root, 'Dockerfile')]);
  // `self` named on the command line is the folder itself again: still one file.
  assert.deepEqual(value.cli.found, [{ path: join(root, 'Dockerfile'), named: true }]);
  assert.deepEqual([...value.definitions.byDockerfile.keys()], [join(root, 'Dockerfile')]);
  assert.deepEqual(value.crawled.files.map((f) => f.slice(root.length + 1)), ['Dockerfile', 'compose.yaml', 'src/app.py']);
  assert.ok(value.crawled.crawled < 20, String(value.crawled.crawled));
  process.stdout.write(`# measured entries crawled: ${value.crawled.crawled}\n`);
  // The links are in the listing (the builder sends them as links) but nothing through them.
  assert.deepEqual([...(value.context.buildContext.paths ?? [])].sort(), ['Dockerfile', 'compose.yaml', 'loop', 'root', 'self', 'src', 'src/app.py', 'up']);
  bounded('globs, listing and definitions in a workspace with root -> /, self -> ., up -> .., loop -> loop', { cpuMs, rssMb });
});

test('2. a walk stops at its bound and says so', TIMEOUT, async () => {
  const root = workspace();
  for (let i = 0; i < 40; i++) for (let j = 0; j < 50; j++) write(root, `d${i}/f${j}`, '');
  const { value, cpuMs } = await measured(() => crawl(['**/Dockerfile'], { root, maxEntries: 500 }));
  assert.equal(value.stopped, `stopped looking in ${root} after 500 folder entries; files further in are left out`);
  // In-flight reads finish, but nothing below them is read: a few folders past the bound at most.
  assert.ok(value.crawled <= 500, String(value.crawled));
  bounded(`a walk of 2,040 entries bounded at 500 (${value.crawled} read)`, { cpuMs });
  const whole = await crawl(['**/f0'], { root });
  assert.equal(whole.stopped, undefined);
  assert.equal(whole.files.length, 40);
  assert.equal(whole.crawled, 40 + 40 * 50);
});

// 3. The slow paths are linear, and capped before parsing.

test('3. a 40,000-service compose file is refused before parsing; one at the cap parses fast and keeps 1,000 services', TIMEOUT, async () => {
  const root = workspace();
  const services = (n: number) => `services:\n${Array.from({ length: n }, (_, i) => `  s${i}:\n    build: .\n`).join('')}`;
  const huge = write(root, 'huge/compose.yaml', services(40_000));
  const first = await measured(() => composeDefinitions([huge]));
  assert.deepEqual(first.value, { definitions: [], skipped: [{ file: huge, reason: `larger than 32 KB (${services(40_000).length} bytes), not read` }] });
  bounded('a 40,000-service compose file (refused)', first);
  let n = 0;
  while (services(n + 100).length < READ_LIMITS.compose) n += 100;
  const big = write(root, 'big/compose.yaml', services(n));
  // The YAML parser's first big runs are mostly its own compilation (a first 32 KB file: 0.3 s of CPU
  // here, the fifth 0.04 s, once per process): warm it on files as big, so that the measure is the input's.
  for (let i = 0; i < 5; i++) composeDefinitions([write(root, `warm${i}/compose.yaml`, services(n).replace(/ s(\d)/g, ` w${i}$1`))]);
  const second = await measured(() => composeDefinitions([big]));
  assert.equal(second.value.definitions.length, 1000);
  assert.deepEqual(second.value.skipped, [{ file: big, reason: `more than 1000 compose services: ${n - 1000} not read` }]);
  assert.ok(n >= 1000, String(n));
  bounded(`a ${n}-service compose file at the cap`, second);
  // Duplicate keys are still refused, as compose refuses them, by a check that is linear.
  assert.throws(() => parseCompose('services:\n  a: {}\n  b: {}\n  a: {}\n'), /^Error: Map keys must be unique \(line 4: a\)$/);
  const many = `services:\n${Array.from({ length: 2500 }, (_, i) => `  s${i}: {}\n`).join('')}  s0: {}\n`;
  assert.ok(many.length < READ_LIMITS.compose);
  const third = await measured(() => assert.throws(() => parseCompose(many), /Map keys must be unique \(line 2502: s0\)/));
  bounded('a duplicate key among 2,500', third);
});

test('3. semantic tokens and navigation: a 250 KB line of quotes and $( and 9,000 chained ARGs answer fast', TIMEOUT, async () => {
  const quotes = `FROM alpine:3.20\nRUN ${'"$('.repeat(85_000)}\n`;
  const chained = `${Array.from({ length: 9000 }, (_, i) => (i === 0 ? 'ARG A0=x' : `ARG A${i}=$A${i - 1}`)).join('\n')}\nFROM alpine:3.20\nARG A8999\nRUN echo $A8999 $A0\n`;
  assert.ok(quotes.length > 250_000 && quotes.length < 512 * 1024);
  // The model is built outside the measure: it is the engine's (see the report), cached per version.
  for (const [name, text] of [['quotes', quotes], ['chained ARGs', chained]] as const) {
    const model = buildModel(text);
    const last = model.instructions.at(-1)!.range.end;
    const { value, cpuMs } = await measured(() => {
      const tokens = semanticTokens(model);
      const positions = [{ line: 1, character: 6 }, last, { line: 4000, character: 12 }, { line: model.instructions.at(-1)!.range.start.line, character: 11 }];
      return { tokens, answers: positions.map((p) => [definition(model, p), highlights(model, p).length, references(model, p, true).length]) };
    });
    bounded(`semantic tokens and 4 × definition, highlights and references: ${name}`, { cpuMs });
    assert.equal(value.tokens.data.length % 5, 0);
    if (name === 'chained ARGs') {
      // `$A8999` in the stage resolves to the stage's own ARG; `$A4000` on line 4001 to line 4000's declaration.
      const use = { line: 9002, character: 11 };
      assert.deepEqual(definition(model, use)?.range.start, { line: 9001, character: 4 });
      assert.deepEqual(definition(model, { line: 4000, character: 12 })?.range.start, { line: 3999, character: 4 });
      // The global ARG, the stage's own, and the use.
      assert.equal(references(model, use, true).length, 3);
    }
  }
});

test('3. a hostile .dockerignore (backtracking patterns, thousands of lines) is matched in bounded time', TIMEOUT, async () => {
  const root = workspace({ 'Dockerfile': 'FROM alpine:3.20\nCOPY src /src\n' });
  const deep = `src/${'a/'.repeat(40)}${'a'.repeat(60)}`;
  write(root, deep, '');
  for (let i = 0; i < 3000; i++) write(root, `src/m${i % 30}/f${i}.py`, '');
  const lines = ['**/'.repeat(60) + 'z', '*a'.repeat(40) + 'b', ...Array.from({ length: 3000 }, (_, i) => `**/x${i}/*.tmp`), '**/*.pyc', '!src/m1/keep.pyc', 'src/m2'];
  write(root, '.dockerignore', lines.join('\n'));
  const { value, cpuMs, rssMb } = await measured(() => {
    const found = new BuildContextReader({ roots: () => [root] }).read(join(root, 'Dockerfile'));
    const paths = [...(found.buildContext.paths ?? [])];
    return { found, ignored: paths.filter((p) => found.buildContext.isIgnored!(p)).length, count: paths.length };
  });
  bounded('a hostile .dockerignore over 3,075 context paths', { cpuMs, rssMb });
  assert.equal(value.count, 3000 + 30 + 2 + 41 + 1);
  // Past its patterns' cap and its budget of steps, the file says so and excludes nothing more.
  assert.deepEqual(value.found.problems, [
    `${join(root, '.dockerignore')}: more than 2000 patterns: the last 1005 are not applied`,
    `${join(root, '.dockerignore')}: matching its 2000 patterns against this context took more than 25,000,000 steps; the rest of the context counts as not excluded`,
  ]);
  assert.equal(value.ignored, 0);
  const small = dockerignoreMatcher(['**/'.repeat(60) + 'z', '*a'.repeat(40) + 'b', '**/*.pyc', '!src/m1/keep.pyc', 'src/m2'].join('\n'));
  const fast = await measured(() => [small.ignores(deep), small.ignores('src/m1/x.pyc'), small.ignores('src/m1/keep.pyc'), small.ignores('src/m2/f2.py'), small.ignores(`${'a/'.repeat(40)}z`)]);
  assert.deepEqual(fast.value, [false, true, false, true, true]);
  assert.ok(fast.cpuMs < 50, `${fast.cpuMs} ms`);
});

test('3. the linear .dockerignore matcher answers as @balena/dockerignore on ordinary patterns', TIMEOUT, () => {
  const pick = picker(11);
  const pieces = ['a', 'b', '/', '*', '?', '**', '**/', '[ab]', '[^a]', '.', 'A', '\\a', '[a-c]', 'x.y', '..', './'];
  const segments = ['a', 'b', 'ab', 'ba', 'x.y', 'aaa', 'A', 'c'];
  let compared = 0;
  for (let n = 0; n < 5000; n++) {
    const lines = Array.from({ length: 1 + pick(3) }, () => (pick(4) === 0 ? '!' : '') + (pick(5) === 0 ? '/' : '') + Array.from({ length: 1 + pick(5) }, () => pieces[pick(pieces.length)]).join(''));
    const text = lines.join('\n');
    const theirs = balena().add(text);
    const ours = dockerignoreMatcher(text);
    for (let k = 0; k < 5; k++) {
      const path = Array.from({ length: 1 + pick(4) }, () => segments[pick(segments.length)]).join('/');
      assert.equal(ours.ignores(path), theirs.ignores(path), `${JSON.stringify(text)} on ${path}`);
      compared++;
    }
  }
  assert.equal(compared, 25_000);
});

test('3. .hadolint.yaml is capped before its (slower) YAML reading', TIMEOUT, () => {
  const root = workspace({ 'Dockerfile': 'FROM alpine:3.20\n' });
  write(root, '.hadolint.yaml', `ignored:\n${'  - DL3007\n'.repeat(2000)}`);
  const found = new BuildContextReader({ roots: () => [root] }).read(join(root, 'Dockerfile'));
  assert.equal(found.hadolint?.problem, `larger than 16 KB (${`ignored:\n${'  - DL3007\n'.repeat(2000)}`.length} bytes), not read`);
});

// 4. Contexts outside the workspace are not listed or linked; links do not leave the context.

test('4. a compose context of / or outside the workspace is not read or linked, and its label says so', TIMEOUT, async () => {
  const root = workspace({ 'app/Dockerfile': 'FROM alpine:3.20\nCOPY etc/passwd /x\nCOPY app.py /app/\n', 'app/app.py': 'print(1)\n' });
  const dockerfile = join(root, 'app/Dockerfile');
  write(root, 'compose.yaml', `services:\n  root:\n    build: { context: /, dockerfile: ${dockerfile} }\n`);
  const { value, cpuMs, rssMb } = await measured(async () => {
    const definitions = (await readBuildDefinitions([root])).byDockerfile;
    return new BuildContextReader({ roots: () => [root] }).read(dockerfile, definitions.get(dockerfile));
  });
  bounded('a compose context of /', { cpuMs, rssMb });
  assert.equal(value.contextDir, '/');
  assert.equal(value.contextReadable, false);
  assert.equal(value.buildContext.paths, undefined);
  assert.deepEqual(value.buildContext.files, []);
  assert.deepEqual(value.problems, [`the build context / of ${dockerfile} is outside the workspace: it is not read, listed or linked`]);
  const lens = codeLenses(buildModel('FROM alpine:3.20\n'), value.buildContext)[0]?.command?.title;
  assert.match(lens!, /^build context: (\.\.\/)+\.\. \(outside the workspace, not read\), from compose service root$/);
  const reader = new BuildContextReader({ roots: () => [root] });
  assert.equal(reader.contextFile(value, 'etc/passwd'), undefined);

  // Inside the workspace, a link in the context does not lead out of it, and paths are the context's.
  const inside = new BuildContextReader({ roots: () => [root] });
  link('/etc', root, 'app/etc');
  const own = inside.read(dockerfile);
  assert.equal(own.contextReadable, true);
  assert.equal(inside.contextFile(own, 'etc/passwd'), undefined);
  assert.equal(inside.contextFile(own, 'app.py'), join(root, 'app/app.py'));
  assert.equal(inside.contextFile(own, 'missing.txt'), undefined);
  const model = buildModel('FROM alpine:3.20\nCOPY /etc/passwd ../../../x ./app.py src/ /app/\n');
  assert.deepEqual(sourceLinks(model).map((l) => l.path), ['etc/passwd', './app.py', 'src/']);
});

test('4. without workspace folders only the Dockerfile folder is read as its context', TIMEOUT, async () => {
  const root = workspace({ 'Dockerfile': 'FROM alpine:3.20\n', 'app.py': '' });
  const none = new BuildContextReader({ roots: () => [] });
  assert.ok(none.read(join(root, 'Dockerfile')).buildContext.paths?.has('app.py'));
  const defined = none.read(join(root, 'Dockerfile'), [{ origin: 'compose service x', file: join(root, 'compose.yaml'), context: root, dockerfile: join(root, 'Dockerfile'), args: {} }]);
  assert.equal(defined.contextReadable, true, 'cached per Dockerfile until forget');
  none.forget();
  const after = none.read(join(root, 'Dockerfile'), [{ origin: 'compose service x', file: join(root, 'compose.yaml'), context: root, dockerfile: join(root, 'Dockerfile'), args: {} }]);
  assert.equal(after.contextReadable, false);
});

// The readers of compose, bake, .dockerignore and .hadolint.yaml over mutated real files.

const SAVED = join(ROOT, 'test/fixtures/fuzz/config');
for (const name of existsSync(SAVED) ? readdirSync(SAVED) : []) {
  test(`config fuzz regression ${name}`, () => assert.equal(checkConfig(name.slice(name.indexOf('.') + 1) as ConfigKind, readFileSync(join(SAVED, name), 'utf8')), undefined));
}

test('fuzzed compose, bake, .dockerignore and .hadolint.yaml inputs never throw and stay fast', TIMEOUT, () => {
  const seeds = configSeeds();
  assert.ok(Object.values(seeds).every((list) => list.length > 0), JSON.stringify(Object.fromEntries(Object.entries(seeds).map(([k, v]) => [k, v.length]))));
  const failures: string[] = [];
  fuzzConfigs(seeds, 400, 1, (f) => failures.push(`${f.kind}: ${f.problem}\n---\n${f.input.slice(0, 300)}`));
  assert.deepEqual(failures, []);
});
