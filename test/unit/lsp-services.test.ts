// The server's services on their own: the hover over a fake registry, the workspace symbol index
// under file events, and links that take the context's listing before the disk.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { buildModel } from '../../server/src/language/model';
import { HoverService, type Cancellation, type HoverRegistry } from '../../server/src/lsp/hover';
import { LinksService, type LinkContext } from '../../server/src/lsp/links';
import { WorkspaceSymbolIndex } from '../../server/src/lsp/symbols';
import { RegistryError, type ImageDescription } from '../../server/src/registry/types';

const DIGEST = `sha256:${'b'.repeat(64)}`;
const DESCRIPTION: ImageDescription = {
  digest: DIGEST,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  platforms: [{ os: 'linux', architecture: 'amd64', digest: DIGEST, compressedSize: 30_000_000, config: { user: 'app', exposedPorts: [], labels: {} } }],
  fetchedAt: 0,
};

const never: Cancellation = { onCancellationRequested: () => undefined };

function fakeRegistry(overrides: Partial<{ describe: HoverRegistry['registry']['describe']; tag: HoverRegistry['hub']['tag'] }> = {}): HoverRegistry & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    registry: {
      describe: overrides.describe ?? (async (ref) => (asked.push(`describe ${ref.familiar}`), DESCRIPTION)),
      tags: async (ref) => (asked.push(`tags ${ref.familiar}`), ['3.12', '3.12.7', '3.13', '3.13.0']),
    },
    hub: { tag: overrides.tag ?? (async () => undefined), repository: async () => undefined },
  };
}

function hoverService(waitMs = 2500) {
  const outcomes: string[] = [];
  const logs: string[] = [];
  const service = new HoverService({ waitMs, log: (l) => logs.push(l), onOutcome: (r) => outcomes.push(r instanceof RegistryError ? r.kind : 'ok'), today: () => '2026-01-01' });
  return { service, outcomes, logs };
}

const model = buildModel('FROM python:3.12\nRUN true\n', 'file:///w/Dockerfile');
const onImage = { uri: 'file:///w/Dockerfile', model, position: { line: 0, character: 7 }, targetPlatforms: ['linux/amd64'] };

test('the hover shows what the registry says, the newer tags, the report link and the context, and tells the status', async () => {
  const { service, outcomes } = hoverService();
  const registry = fakeRegistry();
  const hover = await service.hover({ ...onImage, buildContext: { hasDockerignore: true, dir: '.' } }, registry, never);
  assert.ok(hover && hover !== 'cancelled');
  const value = (hover.contents as { value: string }).value;
  assert.match(value, /linux\/amd64/);
  assert.match(value, /3\.13\b/, 'the newer tag of the line');
  assert.match(value, /\[Open the base image report\]\(command:dockwise\.showBaseImageReport\?/);
  assert.match(value, /build context: this folder/);
  assert.deepEqual(hover.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 16 } });
  assert.deepEqual(registry.asked.sort(), ['describe python:3.12', 'tags python:3.12']);
  assert.deepEqual(outcomes, ['ok']);
});

test('off an image, or without a registry, there is no hover and nothing is asked', async () => {
  const { service } = hoverService();
  const registry = fakeRegistry();
  assert.equal(await service.hover({ ...onImage, position: { line: 1, character: 2 } }, registry, never), null);
  assert.equal(await service.hover(onImage, undefined, never), null);
  assert.deepEqual(registry.asked, []);
});

test("Docker Hub's web API stands in when the registry fails; when both fail the hover says why, in one line without the report link", async () => {
  const { service, outcomes, logs } = hoverService();
  const failing = async () => Promise.reject(new RegistryError('rate-limited', 'pull limit reached'));
  const viaHub = await service.hover(onImage, fakeRegistry({ describe: failing, tag: async () => ({ ...DESCRIPTION, source: 'hub' }) }), never);
  assert.ok(viaHub && viaHub !== 'cancelled');
  assert.match((viaHub.contents as { value: string }).value, /linux\/amd64/);
  const down = await service.hover(onImage, fakeRegistry({ describe: failing }), never);
  assert.ok(down && down !== 'cancelled');
  const value = (down.contents as { value: string }).value;
  assert.match(value, /pull limit reached/);
  assert.doesNotMatch(value, /base image report/);
  assert.deepEqual(outcomes, ['ok', 'rate-limited']);
  assert.deepEqual(logs, ['registry: python:3.12: pull limit reached']);
});

test('a slow registry gets the wait, then the hover says it is fetching; a cancelled hover answers cancelled at once', async () => {
  const { service } = hoverService(20);
  const slow = fakeRegistry({ describe: () => new Promise(() => undefined) });
  const loading = await service.hover(onImage, slow, never);
  assert.ok(loading && loading !== 'cancelled');
  assert.match((loading.contents as { value: string }).value, /fetching/i);
  const { service: patient } = hoverService(60_000);
  const started = Date.now();
  const cancelled = await patient.hover(onImage, slow, { onCancellationRequested: (listener) => setTimeout(listener, 5) });
  assert.equal(cancelled, 'cancelled');
  assert.ok(Date.now() - started < 1000);
});

/** A disk of Dockerfiles in memory, counting scans and reads. */
function fakeWorkspace(files: Record<string, string>) {
  const counts = { lists: 0, reads: 0 };
  const source = {
    list: async () => (counts.lists++, Object.keys(files)),
    read: (uri: string) => (counts.reads++, uri in files ? buildModel(files[uri]!, uri) : undefined),
  };
  return { files, counts, index: new WorkspaceSymbolIndex(source) };
}

test('workspace symbols: one scan and one read per file, then queries only filter; file events keep the index current', async () => {
  const { files, counts, index } = fakeWorkspace({ 'file:///w/a/Dockerfile': 'FROM alpine AS builder\n', 'file:///w/b/Dockerfile': 'ARG VERSION=1\nFROM alpine AS runtime\n' });
  const names = async (query: string) => (await index.query(query, [])).map((s) => s.name).sort();
  assert.deepEqual(await names('build'), ['builder']);
  assert.deepEqual(await names('ver'), ['VERSION']);
  assert.deepEqual(await names(''), ['VERSION', 'builder', 'runtime']);
  assert.deepEqual(counts, { lists: 1, reads: 2 });

  files['file:///w/a/Dockerfile'] = 'FROM alpine AS compiler\n';
  files['file:///w/c/Dockerfile'] = 'FROM alpine AS tester\n';
  delete files['file:///w/b/Dockerfile'];
  index.update([
    { uri: 'file:///w/a/Dockerfile', type: 'changed' },
    { uri: 'file:///w/c/Dockerfile', type: 'created' },
    { uri: 'file:///w/b/Dockerfile', type: 'deleted' },
  ]);
  assert.deepEqual(await names(''), ['compiler', 'tester']);
  assert.deepEqual(counts, { lists: 1, reads: 4 });
  // A change to a file the index does not hold is not a creation.
  index.update([{ uri: 'file:///w/elsewhere/Dockerfile', type: 'changed' }]);
  assert.equal(index.size().files, 2);
});

test('workspace symbols: a file created while the first scan runs is not lost', async () => {
  const { files, index } = fakeWorkspace({ 'file:///w/a/Dockerfile': 'FROM alpine AS builder\n' });
  const first = index.query('', []);
  files['file:///w/new/Dockerfile'] = 'FROM alpine AS fresh\n';
  index.update([{ uri: 'file:///w/new/Dockerfile', type: 'created' }]);
  await first;
  assert.deepEqual((await index.query('', [])).map((s) => s.name).sort(), ['builder', 'fresh']);
});

test('workspace symbols: an open document answers from its own model, not from the disk', async () => {
  const { counts, index } = fakeWorkspace({ 'file:///w/a/Dockerfile': 'FROM alpine AS builder\n' });
  const open = buildModel('FROM alpine AS edited\n', 'file:///w/a/Dockerfile');
  assert.deepEqual((await index.query('', [open])).map((s) => s.name), ['edited']);
  assert.equal(counts.reads, 0);
});

test('links: a source absent from the listing is not linked and costs no disk check; a listed one is checked once', () => {
  const resolved: string[] = [];
  const links = new LinksService<LinkContext>({ resolve: (c, path) => (resolved.push(path), `${c.contextDir}/${path.replace(/^\.\//, '')}`), uriOf: (p) => `file://${p}` });
  const m = buildModel('FROM python:3.12\nCOPY ./requirements.txt missing.txt node_modules/x/y /app/\n', 'file:///w/Dockerfile');
  const context: LinkContext = { contextDir: '/w', buildContext: { hasDockerignore: false, paths: new Set(['requirements.txt', 'node_modules']), opaque: ['node_modules'] } };
  const targets = () => links.links(m, context).map((l) => l.target);
  assert.deepEqual(targets(), ['https://hub.docker.com/_/python', 'file:///w/requirements.txt', 'file:///w/node_modules/x/y']);
  assert.deepEqual(targets(), ['https://hub.docker.com/_/python', 'file:///w/requirements.txt', 'file:///w/node_modules/x/y']);
  assert.deepEqual(resolved, ['./requirements.txt', 'node_modules/x/y']);
  links.forget();
  targets();
  assert.equal(resolved.length, 4);
  // Without a context on disk, only the image's page.
  assert.deepEqual(links.links(m, undefined).map((l) => l.target), ['https://hub.docker.com/_/python']);
});

test('links: a path the disk says leads out of the context is not linked', () => {
  const links = new LinksService<LinkContext>({ resolve: () => undefined, uriOf: (p) => `file://${p}` });
  const m = buildModel('FROM scratch\nCOPY link.txt /\n', 'file:///w/Dockerfile');
  assert.deepEqual(links.links(m, { contextDir: '/w', buildContext: { hasDockerignore: false, paths: new Set(['link.txt']) } }), []);
});
