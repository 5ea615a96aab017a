// The built CLI as CI runs it: a real process on real folders.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Log } from 'sarif';
import { rules } from '../../server/src/rules';
import { ROOT } from '../paths';
import { SNAPSHOT_EPOCH } from '../snapshotDay';

let work: string;

function dockwise(args: string[], cwd = work) {
  const result = spawnSync(process.execPath, [join(ROOT, 'server/out/cli.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: SNAPSHOT_EPOCH } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function write(path: string, text: string) {
  mkdirSync(join(work, path, '..'), { recursive: true });
  writeFileSync(join(work, path), text);
}

before(() => {
  work = mkdtempSync(join(tmpdir(), 'dockwise-cli-'));
  write('clean/Dockerfile', 'FROM python:3.12-slim-bookworm\nUSER app\nCMD ["python", "-m", "http.server"]\n');
  write('api/Dockerfile', 'FROM python\nWORKDIR /app\nCOPY . .\nUSER app\nCMD ["python", "app.py"]\n');
  write('api/package.json', '{ "name": "api-assets" }\n');
  write('web/Containerfile', 'FROM node:24.11-bookworm-slim\nUSER node\nCMD node server.js\n');
  write('web/.dockerignore', 'node_modules\n');
  write('ignored/Dockerfile.prod', '# hadolint global ignore=DL3006\nFROM python\nUSER app\nCMD ["python"]\n');
  write('ignored/.hadolint.yaml', 'override:\n  error:\n    - DL3025\n');
  write('ignored/sub/Dockerfile', 'FROM node:24.11-bookworm-slim\nUSER node\nCMD node server.js\n');
});

after(() => rmSync(work, { recursive: true, force: true }));

test('text output is path:line:col severity rule message, and warnings fail by default', () => {
  const { code, stdout, stderr } = dockwise(['lint', 'api']);
  assert.equal(code, 1);
  assert.deepEqual(stdout.trim().split('\n'), [
    'api/Dockerfile:1:6 warning image-tag-latest `python` has no tag, so it means `latest`: every rebuild can pull a different image. Pin a version tag or a digest.',
    'api/Dockerfile:3:6 warning dockerignore-missing `COPY .` copies the whole build context, and it has no .dockerignore: local installs and builds of this Node project write node_modules/ into it, and those would go in too.',
  ]);
  assert.match(stderr, /1 file\(s\), 2 problem\(s\)/);
});

test('a clean file exits 0; --fail-level none never fails; --fail-level error ignores warnings', () => {
  assert.equal(dockwise(['lint', 'clean']).code, 0);
  assert.equal(dockwise(['lint', 'api', '--fail-level', 'none']).code, 0);
  assert.equal(dockwise(['lint', 'api', '--fail-level', 'error']).code, 0);
});

test('a folder is searched for every Dockerfile name, and .dockerignore and .hadolint.yaml are honoured', () => {
  const { stdout } = dockwise(['lint', '.', '--fail-level', 'none']);
  const lines = stdout.trim().split('\n');
  assert.ok(lines.some((l) => l.startsWith('web/Containerfile:3:5 warning cmd-shell-form')), stdout);
  assert.ok(!lines.some((l) => l.startsWith('web/') && l.includes('dockerignore-missing')), 'web has a .dockerignore');
  assert.ok(!lines.some((l) => l.startsWith('ignored/Dockerfile.prod') && l.includes('image-tag-latest')), 'global ignore comment');
  assert.ok(lines.some((l) => l.startsWith('ignored/sub/Dockerfile:3:5 error cmd-shell-form')), 'override from the .hadolint.yaml one folder up');
  assert.ok(!lines.some((l) => l.startsWith('clean/')), 'the clean file has no findings');
});

test('globs select files, and --rule changes a level', () => {
  const { stdout } = dockwise(['lint', '**/Containerfile', '--rule', 'cmd-shell-form=error', '--fail-level', 'none']);
  assert.deepEqual(stdout.trim().split('\n').map((l) => l.split(' ').slice(0, 3).join(' ')), ['web/Containerfile:3:5 error cmd-shell-form']);
});

test('SOURCE_DATE_EPOCH sets the day support ends are judged as of: the same file, before and after its base image\'s end', () => {
  write('eol/Dockerfile', 'FROM node:20.18-bookworm-slim\nUSER node\nCMD ["node"]\n');
  const at = (day: string) => {
    const result = spawnSync(process.execPath, [join(ROOT, 'server/out/cli.js'), 'lint', 'eol', '--fail-level', 'none'], {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, SOURCE_DATE_EPOCH: String(Date.parse(`${day}T12:00:00Z`) / 1000) },
    });
    return result.stdout.split('\n').filter((l) => l.includes(' base-image-eol ')).map((l) => l.split(' ').slice(1, 2).join(' '));
  };
  // Node.js 20 ends on 2026-04-30 in the committed table: quiet long before, info within 90 days, a warning after.
  assert.deepEqual(at('2025-06-01'), []);
  assert.deepEqual(at('2026-03-01'), ['info']);
  assert.deepEqual(at('2026-06-01'), ['warning']);
});

test('JSON output is the documented version-1 document', () => {
  const { code, stdout } = dockwise(['lint', 'api', '--format', 'json']);
  assert.equal(code, 1);
  const report = JSON.parse(stdout);
  assert.equal(report.version, 1);
  assert.equal(report.tool.name, 'dockwise');
  assert.deepEqual(report.summary, { files: 1, errors: 0, warnings: 2, infos: 0, hints: 0 });
  assert.deepEqual(report.files[0].diagnostics[0], {
    rule: 'image-tag-latest',
    severity: 'warning',
    message: '`python` has no tag, so it means `latest`: every rebuild can pull a different image. Pin a version tag or a digest.',
    start: { line: 1, column: 6 },
    end: { line: 1, column: 12 },
    docs: 'https://github.com/dockwise/dockwise/blob/main/docs/rules/image-tag-latest.md',
    // Pinning needs registry data, so offline there is no fix to offer.
    fixes: [],
  });
});

test('SARIF output is 2.1.0 with every rule described and results pointing at them', () => {
  const { stdout } = dockwise(['lint', '.', '--format', 'sarif', '--fail-level', 'none']);
  const log = JSON.parse(stdout) as Log;
  assert.equal(log.version, '2.1.0');
  const run = log.runs[0]!;
  const described = run.tool.driver.rules!;
  assert.deepEqual(described.map((r) => r.id), rules.map((r) => r.meta.id));
  assert.ok(described.every((r) => r.helpUri?.endsWith(`/docs/rules/${r.id}.md`)));
  // Other tools' ids ride along, so code scanning finds a rule by the name a team already uses.
  assert.deepEqual(described.find((r) => r.id === 'runs-as-root')!.properties, { category: 'security', hadolint: ['DL3002'], trivy: ['DS-0002'], checkov: ['CKV_DOCKER_3', 'CKV_DOCKER_8'] });
  assert.deepEqual(described.find((r) => r.id === 'download-over-http')!.properties, { category: 'security' });
  assert.ok(run.results!.length >= 3);
  for (const result of run.results!) {
    assert.equal(described[result.ruleIndex!]!.id, result.ruleId);
    const location = result.locations![0]!.physicalLocation!;
    assert.equal(location.artifactLocation!.uriBaseId, '%SRCROOT%');
    assert.ok(location.region!.startLine! >= 1 && location.region!.startColumn! >= 1);
  }
  assert.match(run.originalUriBaseIds!['%SRCROOT%']!.uri!, /^file:\/\/\/.*\/$/);
});

test('usage and I/O errors exit 2 with a clear message and no stack trace', () => {
  for (const args of [['lint', 'no-such-folder'], ['lint', '--format', 'xml'], ['frobnicate'], ['lint', '--bogus'], ['lint', '--rule', 'nope=off'], ['lint', '--target-platform', 'amd64'], ['lint', '--fix', '--fix-dry-run']]) {
    const { code, stderr } = dockwise(args);
    assert.equal(code, 2, args.join(' '));
    assert.match(stderr, /^dockwise: /);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  }
});

test('output arrives whole through a pipe, more than 1 MB of it, byte for byte what a file gets', () => {
  const many = join(work, 'many');
  // Each file has several findings; enough of them make well over 1 MB of SARIF.
  const text = 'FROM python\nRUN apt-get install curl\nRUN pip install flask\nMAINTAINER someone\nCMD python app.py\n';
  for (let i = 0; i < 700; i++) write(`many/f${i}/Dockerfile`, text);
  const toFile = join(work, 'out.sarif');
  const redirected = spawnSync('/bin/sh', ['-c', `"${process.execPath}" "${join(ROOT, 'server/out/cli.js')}" lint --format sarif --fail-level none . > "${toFile}"`], { cwd: many });
  const piped = spawnSync('/bin/sh', ['-c', `"${process.execPath}" "${join(ROOT, 'server/out/cli.js')}" lint --format sarif --fail-level none . | cat`], { cwd: many, maxBuffer: 64 * 1024 * 1024 });
  const file = readFileSync(toFile);
  assert.equal(redirected.status, 0);
  assert.equal(piped.status, 0);
  assert.ok(file.length > 1024 * 1024, `only ${file.length} bytes`);
  assert.equal(piped.stdout.length, file.length);
  assert.ok(Buffer.compare(piped.stdout, file) === 0, 'the piped bytes differ from the file');
  assert.doesNotThrow(() => JSON.parse(piped.stdout.toString('utf8')));
  rmSync(many, { recursive: true, force: true });
});
