// Ready to install: `npm pack` makes a small package with the bundle and nothing else, it installs
// offline with no dependencies, its bin runs (also through npx), and the CLI's own container image
// is a Dockerfile dockwise finds nothing to say about, whose build stage works from its context.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import dockerignore from '@balena/dockerignore';
import { ROOT } from '../paths';
import { installDockwise, NPM_OFFLINE, packDockwise } from './package';
import { dockwise, workspace } from './run';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const cleanup: string[] = [];
after(() => {
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

test('npm pack makes a small package: the bundled CLI, its docs, schema, README and licence, nothing else', () => {
  const { files, size } = packDockwise();
  assert.deepEqual(files, ['LICENSE', 'README.md', 'docs/cli.md', 'package.json', 'schemas/dockwise.schema.json', 'server/out/cli.js']);
  assert.ok(size < 400 * 1024, `${size} bytes packed`);
  assert.equal(pkg.bin.dockwise, './server/out/cli.js');
  assert.equal(pkg.scripts.prepack, 'node scripts/build.mjs', 'packing builds the bundle first');
  // The bundles inline everything they use: an install has nothing to fetch.
  assert.equal(pkg.dependencies, undefined);
  assert.match(readFileSync(join(ROOT, 'server/out/cli.js'), 'utf8').slice(0, 20), /^#!\/usr\/bin\/env node\n/);
});

test('the package installs offline with no dependencies, and its bin runs, directly and through npx', () => {
  const dir = installDockwise();
  cleanup.push(dir);
  assert.deepEqual(readdirSync(join(dir, 'node_modules')).filter((n) => !n.startsWith('.')), ['dockwise']);
  const project = workspace({ 'Dockerfile': 'FROM python\nUSER app\nCMD ["python"]\n', 'clean/Dockerfile': 'FROM python:3.12-slim\nUSER app\nCMD ["python"]\n' });
  cleanup.push(project.dir);
  const bin = join(dir, 'node_modules/.bin/dockwise');
  const found = spawnSync(bin, ['lint', 'Dockerfile'], { cwd: project.dir, encoding: 'utf8' });
  assert.equal(found.status, 1);
  assert.match(found.stdout, /^Dockerfile:1:6 warning image-tag-latest /);
  const npx = spawnSync('npx', ['--offline', 'dockwise', 'lint', join(project.dir, 'clean')], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...NPM_OFFLINE } });
  assert.equal(npx.status, 0, npx.stderr);
  assert.equal(spawnSync('npx', ['--offline', 'dockwise', '--version'], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...NPM_OFFLINE } }).stdout, `dockwise ${pkg.version}\n`);
});

test('the CLI image: pinned by digest, non-root, exec-form ENTRYPOINT, and dockwise finds nothing to say', () => {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  assert.ok(text.split('\n').filter((l) => l.startsWith('FROM ')).every((l) => /^FROM node:[\d.]+-alpine[\d.]+@sha256:[0-9a-f]{64}\b/.test(l)));
  assert.match(text, /^USER node$/m);
  assert.match(text, /^ENTRYPOINT \["node", /m);
  const { code, stdout, stderr } = dockwise(['lint', 'Dockerfile', '--fail-level', 'hint'], { cwd: ROOT });
  assert.equal(stdout, '');
  assert.equal(stderr, 'dockwise: 1 file(s), no problems\n');
  assert.equal(code, 0);
});

test('the image\'s build stage works from what .dockerignore lets into its context', () => {
  // What `docker build .` sends: the tree minus .dockerignore, matched as Docker matches it.
  const matcher = dockerignore().add(readFileSync(join(ROOT, '.dockerignore'), 'utf8'));
  const context = mkdtempSync(join(tmpdir(), 'dockwise-image-'));
  cleanup.push(context);
  // Folders are walked even when excluded, as Docker walks them for `!` exceptions below (`!scripts/build.mjs`).
  cpSync(ROOT, context, { recursive: true, filter: (source) => statSync(source).isDirectory() ? !/(?:^|\/)(?:node_modules|\.git)$/.test(source) : !matcher.ignores(relative(ROOT, source)) });
  assert.ok(!existsSync(join(context, 'node_modules')) && !existsSync(join(context, 'test/cli/run.ts')) && !existsSync(join(context, 'README.md')));
  // The Dockerfile's two RUNs, offline from npm's cache: `npm ci`, then the build.
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: context, stdio: 'pipe', env: { ...process.env, ...NPM_OFFLINE } });
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: context, stdio: 'pipe' });
  assert.equal(execFileSync(process.execPath, [join(context, 'server/out/cli.js'), '--version'], { encoding: 'utf8' }), `dockwise ${pkg.version}\n`);
});
