// The README's "In CI" snippets, run as written: the GitHub Actions workflow through action.yml's
// own steps, the GitLab CI job's commands, and the pre-commit configuration through Debian's
// pre-commit against a throw-away clone of this repository. Where a snippet names the published
// package (dockwise@<version>) the packed tarball of this tree stands in, and npm stays offline.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import type { Log } from 'sarif';
import { parse } from 'yaml';
import { ROOT } from '../paths';
import { SNAPSHOT_EPOCH } from '../snapshotDay';
import { runCompositeAction } from './composite-action';
import { installDockwise, NPM_OFFLINE, packDockwise } from './package';
import { workspace, type Workspace } from './run';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const cleanup: string[] = [];
after(() => {
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

/** The first yaml block under `### heading` in the README's "In CI" section. */
function snippet(heading: string): string {
  const section = README.slice(README.indexOf('\n## In CI\n'));
  const at = section.indexOf(`\n### ${heading}\n`);
  assert.ok(at !== -1, `no "### ${heading}" under "## In CI"`);
  const block = /```yaml\n([\s\S]*?)```/.exec(section.slice(at));
  assert.ok(block, `no yaml block under "### ${heading}"`);
  return block[1]!;
}

function project(files: Record<string, string>): Workspace {
  const ws = workspace(files, 'dockwise-project-');
  cleanup.push(ws.dir);
  return ws;
}

const FINDINGS = { 'api/Dockerfile': 'FROM python\nUSER app\nCMD ["python"]\n' };
const CLEAN = { 'api/Dockerfile': 'FROM python:3.12-slim\nUSER app\nCMD ["python"]\n' };

test('GitHub Actions: the workflow\'s dockwise step, through action.yml\'s steps as the runner runs them', () => {
  const workflow = parse(snippet('GitHub Actions')) as { permissions: Record<string, string>; jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }> };
  assert.equal(workflow.permissions['security-events'], 'write', 'uploading SARIF needs it');
  const step = Object.values(workflow.jobs).flatMap((j) => j.steps).find((s) => s.uses?.startsWith('dockwise/dockwise@'));
  assert.equal(step?.uses, `dockwise/dockwise@v${pkg.version}`, 'the snippet pins this version');
  // The runner passes every input as a string.
  const inputs = { ...Object.fromEntries(Object.entries(step!.with ?? {}).map(([k, v]) => [k, String(v)])), version: packDockwise().tarball };
  const action = join(ROOT, 'action.yml');

  const repo = project(FINDINGS);
  const found = runCompositeAction(action, inputs, repo.dir, NPM_OFFLINE);
  const [install, lint, upload, fail] = found.steps;
  assert.equal(install!.code, 0, install!.stderr);
  assert.equal(lint!.code, 0, lint!.stderr);
  assert.equal(lint!.outputs['exit-code'], '1');
  assert.match(lint!.stdout, /^::warning file=api\/Dockerfile,line=1,col=6,endLine=1,endColumn=12,title=image-tag-latest::`python` has no tag/m);
  assert.ok(upload!.ran);
  assert.equal(upload!.uses, 'github/codeql-action/upload-sarif@v3');
  assert.deepEqual(upload!.with, { sarif_file: 'dockwise.sarif', category: 'dockwise' });
  const sarif = JSON.parse(repo.read(lint!.outputs['sarif-file']!)) as Log;
  assert.equal(sarif.version, '2.1.0');
  assert.deepEqual(sarif.runs[0]!.results!.map((r) => r.ruleId), ['image-tag-latest']);
  assert.equal(fail!.ran && fail!.code, 1, 'the step fails after the upload');
  assert.ok(found.failed);

  const clean = runCompositeAction(action, inputs, project(CLEAN).dir, NPM_OFFLINE);
  assert.equal(clean.steps[1]!.outputs['exit-code'], '0');
  assert.ok(clean.steps[2]!.ran, 'clean runs upload too, so fixed alerts close');
  assert.equal(clean.steps[3]!.ran, false);
  assert.equal(clean.failed, false);

  const broken = runCompositeAction(action, inputs, project({ ...FINDINGS, '.dockwise.yaml': 'rules: {nope: error}\n' }).dir, NPM_OFFLINE);
  assert.equal(broken.steps[1]!.outputs['exit-code'], '2');
  assert.match(broken.steps[1]!.stderr, /\.dockwise\.yaml:1: rules\.nope: unknown rule id/);
  assert.equal(broken.steps[2]!.ran, false, 'no upload of a report that was not written');
  assert.equal(broken.steps[3]!.code, 2);
});

test('GitLab CI: the job installs dockwise and writes a Code Quality report, failing on findings', () => {
  const job = (parse(snippet('GitLab CI')) as Record<string, { image: string; before_script: string[]; script: string[]; artifacts: { when: string; reports: { codequality: string } } }>).dockwise!;
  assert.match(job.image, /^node:(2\d|[3-9]\d)/);
  assert.equal(job.artifacts.when, 'always', 'the report is kept when the job fails on findings');
  const prefix = mkdtempSync(join(tmpdir(), 'dockwise-global-'));
  cleanup.push(prefix);
  const env = { ...process.env, ...NPM_OFFLINE, npm_config_prefix: prefix, PATH: `${join(prefix, 'bin')}:${process.env.PATH}` };
  for (const line of job.before_script) {
    const command = line.replace(`dockwise@${pkg.version}`, packDockwise().tarball);
    assert.notEqual(command, line, `the snippet installs dockwise@${pkg.version}`);
    execFileSync('sh', ['-c', command], { env, stdio: 'pipe' });
  }
  const ws = project(FINDINGS);
  const script = spawnSync('sh', ['-c', job.script.join('\n')], { cwd: ws.dir, env, encoding: 'utf8' });
  assert.equal(script.status, 1, script.stderr);
  const report = JSON.parse(ws.read(job.artifacts.reports.codequality)) as { check_name: string; severity: string; location: { path: string; lines: { begin: number } } }[];
  assert.deepEqual(report.map((i) => [i.check_name, i.severity, i.location.path, i.location.lines.begin]), [['image-tag-latest', 'major', 'api/Dockerfile', 1]]);
  assert.match(script.stderr, /^dockwise: 1 file\(s\), 1 problem\(s\)/m, 'the job log says what the report holds');
});

const preCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;

/** What pre-commit needs of this repository to install the node hook: what `npm install` and `npm pack` (its build) read. */
const HOOK_REPOSITORY = ['.pre-commit-hooks.yaml', '.npmrc', '.npmignore', 'package.json', 'package-lock.json', 'LICENSE', 'README.md', 'docs/cli.md', 'schemas', 'scripts/build.mjs', 'client/src', 'server/src', 'shared'];
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=dockwise tests', '-c', 'user.email=tests@dockwise.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd, stdio: 'pipe' });

test('pre-commit: the README configuration, installed by pre-commit from a clone of this repository (node), and dockwise-system', { skip: !preCommit && 'pre-commit is not installed (apt-get install pre-commit)' }, () => {
  const hooks = mkdtempSync(join(tmpdir(), 'dockwise-hook-repo-'));
  cleanup.push(hooks);
  for (const path of HOOK_REPOSITORY) {
    mkdirSync(dirname(join(hooks, path)), { recursive: true });
    cpSync(join(ROOT, path), join(hooks, path), { recursive: true });
  }
  git(hooks, 'init', '-q');
  git(hooks, 'add', '-A');
  git(hooks, 'commit', '-q', '-m', 'dockwise');
  git(hooks, 'tag', `v${pkg.version}`);

  const config = snippet('pre-commit');
  assert.match(config, /repo: https:\/\/github\.com\/dockwise\/dockwise\n/);
  assert.match(config, new RegExp(`rev: v${pkg.version.replace(/\./g, '\\.')}\\n`));
  const ws = project({
    ...FINDINGS,
    'web/Containerfile.prod': 'FROM node\nUSER node\nCMD ["node"]\n',
    'tools/build.dockerfile': 'FROM golang\nUSER app\nCMD ["go"]\n',
    // Not Dockerfiles: the hook's `files` leaves them out, or dockwise would report them.
    'Dockerfile.dockerignore': 'node_modules\n',
    'notes.txt': 'FROM python\n',
  });
  const home = mkdtempSync(join(tmpdir(), 'dockwise-pre-commit-home-'));
  cleanup.push(home);
  git(ws.dir, 'init', '-q');
  const run = (id: string, path: string) => {
    ws.write('.pre-commit-config.yaml', config.replace('https://github.com/dockwise/dockwise', hooks).replace('id: dockwise\n', `id: ${id}\n`));
    git(ws.dir, 'add', '-A');
    return spawnSync('pre-commit', ['run', '--all-files'], { cwd: ws.dir, encoding: 'utf8', env: { ...process.env, ...NPM_OFFLINE, PRE_COMMIT_HOME: home, PATH: path, SOURCE_DATE_EPOCH: SNAPSHOT_EPOCH } });
  };

  const bin = join(installDockwise(), 'node_modules/.bin');
  cleanup.push(dirname(dirname(bin)));
  for (const [id, path] of [['dockwise', process.env.PATH!], ['dockwise-system', `${bin}:${process.env.PATH}`]] as const) {
    ws.write('api/Dockerfile', FINDINGS['api/Dockerfile']);
    const failing = run(id, path);
    assert.equal(failing.status, 1, `${id}: ${failing.stdout}${failing.stderr}`);
    assert.match(failing.stdout, /\.{3,}Failed\n/);
    const reported = [...failing.stdout.matchAll(/^(\S+):\d+:\d+ \w+ image-tag-latest /gm)].map((m) => m[1]).sort();
    assert.deepEqual(reported, ['api/Dockerfile', 'tools/build.dockerfile', 'web/Containerfile.prod'], id);
    ws.write('api/Dockerfile', CLEAN['api/Dockerfile']);
    ws.write('web/Containerfile.prod', 'FROM node:24.11-bookworm-slim\nUSER node\nCMD ["node"]\n');
    ws.write('tools/build.dockerfile', 'FROM golang:1.26-bookworm\nUSER app\nCMD ["go"]\n');
    const passing = run(id, path);
    assert.equal(passing.status, 0, `${id}: ${passing.stdout}${passing.stderr}`);
    assert.match(passing.stdout, /\.{3,}Passed\n/);
    ws.write('web/Containerfile.prod', 'FROM node\nUSER node\nCMD ["node"]\n');
    ws.write('tools/build.dockerfile', 'FROM golang\nUSER app\nCMD ["go"]\n');
  }
  assert.ok(existsSync(home));
});
