// Registry facts reaching the rules in the background: pin-tag fixes, and a base image whose
// config already runs as non-root.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  CodeActionRequest,
  DidOpenTextDocumentNotification,
  InlayHintRequest,
  type CodeAction,
} from 'vscode-languageserver-protocol/node';
import { pushImage, startRegistry, type LocalRegistry } from '../registry/local-registry';
import { startInitializedServer, type LspSession } from './lsp-client';

let registry: LocalRegistry;
let storage: string;
let lsp: LspSession;
let pythonDigest: string;
let oldDigest: string;
let oldAmd64: string;
let movingDigest: string;

before(async () => {
  registry = await startRegistry();
  storage = mkdtempSync(join(tmpdir(), 'dockwise-storage-'));
  pythonDigest = await pushImage(registry.host, 'library/python', ['3.13.1', '3.13', '3', 'latest'], [
    { os: 'linux', architecture: 'amd64' },
    { os: 'linux', architecture: 'arm64', variant: 'v8' },
  ]);
  await pushImage(registry.host, 'library/python', ['3.12.8', '3.12'], [{ os: 'linux', architecture: 'amd64' }]);
  await pushImage(registry.host, 'team/base', ['1.4.2'], [{ os: 'linux', architecture: 'amd64', config: { User: 'app' } }]);
  await pushImage(registry.host, 'library/ruby', ['3.3.6'], [{ os: 'linux', architecture: 'amd64', layerBytes: 600_000 }, { os: 'linux', architecture: 'arm64', variant: 'v8' }]);
  await pushImage(registry.host, 'library/ruby', ['3.3.6-slim'], [{ os: 'linux', architecture: 'amd64', layerBytes: 150_000 }, { os: 'linux', architecture: 'arm64', variant: 'v8' }]);
  oldDigest = await pushImage(registry.host, 'team/moving', ['stable'], [{ os: 'linux', architecture: 'amd64', created: '2026-01-01T00:00:00Z' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }]);
  const oldIndex = (await (await fetch(`http://${registry.host}/v2/team/moving/manifests/${oldDigest}`, { headers: { accept: 'application/vnd.oci.image.index.v1+json' } })).json()) as { manifests: { digest: string }[] };
  oldAmd64 = oldIndex.manifests[0]!.digest;
  movingDigest = await pushImage(registry.host, 'team/moving', ['stable'], [{ os: 'linux', architecture: 'amd64', created: '2026-11-01T00:00:00Z' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }]);
  lsp = await startInitializedServer({ dockwise: { registry: { hosts: [registry.host] } }, storagePath: storage });
});

after(async () => {
  lsp?.process.kill();
  await registry?.stop();
  rmSync(storage, { recursive: true, force: true });
});

test('once the registry answers, latest can be pinned to the most specific tag with its digest, or to the digest', async () => {
  const uri = 'untitled:pin';
  const image = `${registry.host}/library/python`;
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'dockerfile', version: 1, text: `FROM ${image}:latest\nUSER app\n` },
  });
  // Diagnostics come first without registry data, then again when it lands; the fix needs the latter.
  for (let attempt = 0; ; attempt++) {
    const { diagnostics } = await lsp.diagnostics((p) => p.uri === uri, 5000, 0);
    const latest = diagnostics.find((d) => d.code === 'image-tag-latest');
    assert.ok(latest);
    const actions = (await lsp.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: latest.range, context: { diagnostics: [latest] } })) as CodeAction[];
    const pins = actions.filter((a) => a.title.startsWith('Pin to'));
    if (pins.length === 0 && attempt < 50) {
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    assert.deepEqual(pins.map((a) => [a.title, a.isPreferred]), [
      [`Pin to ${image}:3.13.1 (review: changes behaviour)`, true],
      [`Pin to digest ${image}:3.13.1@${pythonDigest.slice(0, 19)}… (review: changes behaviour)`, false],
    ]);
    const edit = pins[1]!.edit!.documentChanges![0] as { edits: { newText: string }[] };
    assert.equal(edit.edits[0]!.newText, `${image}:3.13.1@${pythonDigest}`);
    break;
  }
});

test('a base image whose config sets a non-root user satisfies runs-as-root once the registry has answered', async () => {
  const uri = 'untitled:user';
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'dockerfile', version: 1, text: `FROM ${registry.host}/team/base:1.4.2\nRUN addgroup -S app\nCMD ["/app"]\n` },
  });
  const first = await lsp.diagnostics((p) => p.uri === uri);
  assert.deepEqual(first.diagnostics.map((d) => d.code), ['runs-as-root']);
  const since = lsp.received();
  const later = await lsp.diagnostics((p) => p.uri === uri && !p.diagnostics.some((d) => d.code === 'runs-as-root'), 10_000, since);
  // The same answer shows the image is amd64 only, against the default targets.
  assert.deepEqual(later.diagnostics.map((d) => d.code), ['platform-missing']);
});

test('a full image with a much smaller -slim of the same version is reported with the real sizes', async () => {
  const uri = 'untitled:ruby';
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'dockerfile', version: 1, text: `FROM ${registry.host}/library/ruby:3.3.6\nUSER app\n` },
  });
  const published = await lsp.diagnostics((p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'smaller-variant'), 10_000);
  assert.match(String(published.diagnostics.find((d) => d.code === 'smaller-variant')!.message), /^`3\.3\.6-slim` is the same version at 150 KB instead of 600 KB \(75% less to download\)\.$/);
});

test('a digest pin whose tag moved on is reported with the new image date', async () => {
  const uri = 'untitled:moving';
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'dockerfile', version: 1, text: `FROM ${registry.host}/team/moving:stable@${oldDigest}\nUSER app\n` },
  });
  const published = await lsp.diagnostics((p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'digest-pin-stale'), 10_000);
  assert.match(String(published.diagnostics.find((d) => d.code === 'digest-pin-stale')!.message), /an image created 2026-11-01; this pin still uses the older image\.$/);
});

test('a pin of one platform\'s manifest is reported with a fix to the index digest, and the inlay hint shows the pinned image\'s age for tag@digest and @digest', async () => {
  const uri = 'untitled:platform-pin';
  const image = `${registry.host}/team/moving`;
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'dockerfile', version: 1, text: `FROM ${image}:stable@${oldAmd64}\nFROM ${image}@${oldDigest}\nUSER app\n` },
  });
  const published = await lsp.diagnostics((p) => p.uri === uri && p.diagnostics.some((d) => d.code === 'platform-missing'), 10_000);
  const platform = published.diagnostics.find((d) => d.code === 'platform-missing')!;
  assert.equal(platform.message, 'The pinned digest is the linux/amd64 manifest alone, not the multi-platform index `stable` points at: it will not run natively on linux/arm64. Pin the index digest instead.');
  const actions = (await lsp.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: platform.range, context: { diagnostics: [platform] } })) as CodeAction[];
  const pin = actions.find((a) => a.title.startsWith('Pin to the index digest'))!;
  assert.equal(pin.title, `Pin to the index digest stable@${movingDigest.slice(0, 19)}… (review: changes behaviour)`);
  assert.deepEqual((pin.edit!.documentChanges![0] as { edits: { range: unknown; newText: string }[] }).edits, [{ range: platform.range, newText: movingDigest }]);
  // The old manifest is also older than what the tag points at now; a digest without a tag has nothing to compare with.
  assert.deepEqual(published.diagnostics.filter((d) => d.code === 'digest-pin-stale').map((d) => d.range.start.line), [0]);
  const hints = await lsp.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } } });
  assert.deepEqual(hints!.map((h) => [h.position.line, /^built \d+ days ago$/.test(String(h.label)), h.tooltip]), [
    [0, true, 'Created 2026-01-01; a digest pin does not pick up security fixes.'],
    [1, true, 'Created 2026-01-01; a digest pin does not pick up security fixes.'],
  ]);
});
