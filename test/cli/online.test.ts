// `dockwise lint --online` against Debian's docker-registry on loopback: the registry rules work in a
// pipeline with the editor's client and cache, each Dockerfile asks only the registries its
// .dockwise.yaml allows, and without --online (or without the registry) the output is the offline one.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pushImage, startRegistry, type LocalRegistry } from '../registry/local-registry';
import { dockwise, workspace, type Workspace } from './run';

let registry: LocalRegistry;
let ws: Workspace;
let cache: string;
const lint = (...args: string[]) => dockwise(['lint', '.', ...args], { cwd: ws.dir });
const codes = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => l.split(' ').slice(0, 3).join(' ').replace(/^([^:]+:\d+):\d+/, '$1'));
let offline: string[];

before(async () => {
  registry = await startRegistry();
  const host = registry.host;
  await pushImage(host, 'team/base', ['1.4.2'], [{ os: 'linux', architecture: 'amd64', config: { User: 'app' } }]);
  await pushImage(host, 'team/plain', ['2.0'], [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }]);
  await pushImage(host, 'library/ruby', ['3.3.6'], [{ os: 'linux', architecture: 'amd64', layerBytes: 600_000 }, { os: 'linux', architecture: 'arm64', variant: 'v8' }]);
  await pushImage(host, 'library/ruby', ['3.3.6-slim'], [{ os: 'linux', architecture: 'amd64', layerBytes: 150_000 }, { os: 'linux', architecture: 'arm64', variant: 'v8' }]);
  const old = await pushImage(host, 'team/moving', ['stable'], [{ os: 'linux', architecture: 'amd64', created: '2026-01-01T00:00:00Z' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }]);
  await pushImage(host, 'team/moving', ['stable'], [{ os: 'linux', architecture: 'amd64', created: '2026-11-01T00:00:00Z' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }]);
  ws = workspace({
    '.dockwise.yaml': `registry:\n  hosts: ["${host}"]\n`,
    'base/Dockerfile': `FROM ${host}/team/base:1.4.2\nCMD ["/app"]\n`,
    'plain/Dockerfile': `FROM ${host}/team/plain:2.0\nCMD ["/app"]\n`,
    'ruby/Dockerfile': `FROM ${host}/library/ruby:3.3.6\nUSER app\nCMD ["ruby", "app.rb"]\n`,
    'moving/Dockerfile': `FROM ${host}/team/moving:stable@${old}\nUSER app\nCMD ["/app"]\n`,
    'sealed/.dockwise.yaml': 'registry:\n  network: "off"\n',
    'sealed/Dockerfile': `FROM ${host}/team/plain:2.0\nCMD ["/app"]\n`,
  });
  cache = mkdtempSync(join(tmpdir(), 'dockwise-cache-'));
  offline = codes(lint('--fail-level', 'none').stdout);
});

after(async () => {
  await registry?.stop();
  ws?.remove();
  rmSync(cache, { recursive: true, force: true });
});

const REGISTRY_RULES = /platform-missing|smaller-variant|digest-pin-stale/;
/** What the registry adds: each of its rules once, and a base image whose config says it runs as root. */
const ONLINE = ['base/Dockerfile:1 warning platform-missing', 'moving/Dockerfile:1 info digest-pin-stale', 'plain/Dockerfile:1 warning runs-as-root', 'ruby/Dockerfile:1 info smaller-variant'];
/** A .dockwise.yaml that allows no registry gets the offline answer. */
const withSealed = (lines: readonly string[]) => [...lines, ...offline.filter((l) => l.startsWith('sealed/'))].sort();

test('offline (the default), no registry is asked and the registry rules stay quiet', () => {
  assert.ok(!offline.some((l) => REGISTRY_RULES.test(l)), offline.join('\n'));
  // Without the image's config, a third-party base may well set its own user.
  assert.ok(!offline.some((l) => l.startsWith('plain/')), offline.join('\n'));
});

test('--online: platform-missing, smaller-variant, digest-pin-stale and the base image\'s default user, from the registry', () => {
  const { code, stdout, stderr } = lint('--online', '--cache-dir', cache);
  assert.equal(code, 1);
  // team/base runs as `app` (no USER needed) but is amd64 only; team/plain's config has no user: root.
  assert.deepEqual(codes(stdout).sort(), withSealed(ONLINE));
  assert.match(stdout, /`3\.3\.6-slim` is the same version at 150 KB instead of 600 KB/);
  assert.match(stdout, /an image created 2026-11-01; this pin still uses the older image\./);
  assert.doesNotMatch(stderr, /no registry data/);
  assert.ok(existsSync(join(cache, 'registry', 'tags.json')), 'answers are kept in the cache folder, as the editor keeps them');
});

test('--online with the registry gone: answers come from the cache; without a cache, each image is reported and the rest is the offline output', async () => {
  await registry.stop();
  const cached = lint('--online', '--cache-dir', cache);
  assert.deepEqual(codes(cached.stdout).sort(), withSealed(ONLINE));
  const empty = mkdtempSync(join(tmpdir(), 'dockwise-cache-'));
  try {
    const cold = lint('--online', '--cache-dir', empty, '--fail-level', 'none');
    assert.deepEqual(codes(cold.stdout), offline);
    const notes = cold.stderr.split('\n').filter((l) => l.includes('no registry data'));
    assert.equal(notes.length, 4, cold.stderr);
    assert.ok(notes.every((l) => l.startsWith(`dockwise: --online: no registry data for ${registry.host}/`)));
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('--cache-dir needs --online (exit 2)', () => {
  assert.equal(lint('--cache-dir', cache).code, 2);
});
