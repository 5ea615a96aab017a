// Pins that stay fresh, against a real registry on loopback: the facts gathered about tag and
// digest references (what a digest is, where its tag points now), and what the pin fix, platform-missing,
// digest-pin-stale and the digest-age inlay hint make of them.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-types';
import { parseImageRef } from '../../server/src/language/imageRef';
import { inlayHints } from '../../server/src/features/inlayHints';
import { imageFactsOf } from '../../server/src/registry/imageFacts';
import { OciClient } from '../../server/src/registry/ociClient';
import { Transport } from '../../server/src/registry/transport';
import type { ImageFacts, RuleContext } from '../../server/src/engine/rule';
import { pushImage, startRegistry, type LocalRegistry } from './local-registry';
import { analyze, lint, quickFixes } from '../../server/src/linter';

let registry: LocalRegistry;
let python: string;
/** The digests of python's linux/amd64 and linux/arm64 manifests inside its index. */
let amd64: string;
let oldIndex: string;
let oldAmd64: string;
let movingIndex: string;
let solo: string;
let nodeLts: string;
let bare: string;

const client = new OciClient(new Transport({ timeoutMs: 5000, maxBytes: 1 << 20, allowHost: () => true, credentials: async () => undefined, log: () => undefined }));

/** The per-platform manifest digests of an index, by platform. */
async function children(index: string, repo: string): Promise<Record<string, string>> {
  const response = await fetch(`http://${registry.host}/v2/${repo}/manifests/${index}`, { headers: { accept: 'application/vnd.oci.image.index.v1+json' } });
  const json = (await response.json()) as { manifests: { digest: string; platform: { os: string; architecture: string } }[] };
  return Object.fromEntries(json.manifests.map((m) => [`${m.platform.os}/${m.platform.architecture}`, m.digest]));
}

const BOTH = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64', variant: 'v8' },
];

before(async () => {
  registry = await startRegistry();
  python = await pushImage(registry.host, 'library/python', ['3.13.1', '3.13', '3', 'latest'], BOTH);
  amd64 = (await children(python, 'library/python'))['linux/amd64']!;
  oldIndex = await pushImage(registry.host, 'team/moving', ['stable'], [{ os: 'linux', architecture: 'amd64', created: '2026-01-01T00:00:00Z' }, BOTH[1]!]);
  oldAmd64 = (await children(oldIndex, 'team/moving'))['linux/amd64']!;
  movingIndex = await pushImage(registry.host, 'team/moving', ['stable'], [{ os: 'linux', architecture: 'amd64', created: '2026-11-01T00:00:00Z' }, BOTH[1]!]);
  solo = await pushImage(registry.host, 'team/solo', ['1.0'], [{ os: 'linux', architecture: 'amd64' }]);
  nodeLts = await pushImage(registry.host, 'library/node', ['lts'], BOTH);
  bare = await pushImage(registry.host, 'team/bare', ['latest'], BOTH);
});

after(() => registry?.stop());

/** Gathers the facts about every base image of `text`, as the server and `--online` do, and lints with them. */
async function contextOf(text: string): Promise<RuleContext> {
  const facts = new Map<string, ImageFacts>();
  const refs = analyze(text)!.model.stages.flatMap((s) => (s.base?.kind === 'image' ? [s.base.ref] : []));
  for (const ref of refs) facts.set(ref.familiar, (await imageFactsOf(client, ref)).facts);
  return { trustedRegistries: [], targetPlatforms: ['linux/amd64', 'linux/arm64'], images: (ref) => facts.get(ref.familiar) };
}

const factsOf = async (text: string) => (await imageFactsOf(client, parseImageRef(text)!.ref)).facts;

function fixTitlesAndTexts(text: string, context: RuleContext, diagnostic: Diagnostic): [string, string][] {
  return quickFixes({ uri: 'untitled:x', version: 1, text }, [diagnostic], { context })
    .filter((a) => a.edit && !a.title.startsWith('Disable') && !a.title.startsWith('Fix all'))
    .map((a) => [a.title, (a.edit!.documentChanges![0] as { edits: { newText: string }[] }).edits[0]!.newText]);
}

test('a tag is described by its index: the digest, its kind and the most specific tag sharing it', async () => {
  const facts = await factsOf(`${registry.host}/library/python:latest`);
  assert.equal(facts.digest, python);
  assert.equal(facts.manifestKind, 'index');
  assert.equal(facts.pinTag, '3.13.1');
  assert.deepEqual(facts.platforms, ['linux/amd64', 'linux/arm64/v8']);
  assert.equal((await factsOf(`${registry.host}/team/solo:1.0`)).manifestKind, 'manifest');
});

test('"Pin to digest" writes name:tag@<index digest>, with the most specific tag sharing it for no tag, latest or a floating tag', async () => {
  const image = `${registry.host}/library/python`;
  for (const [written, rule] of [['', 'image-tag-latest'], [':latest', 'image-tag-latest'], [':3', 'image-tag-floating']] as const) {
    const text = `FROM ${image}${written}\n`;
    const context = await contextOf(text);
    const finding = lint(text, { context }).find((d) => d.code === rule);
    assert.ok(finding, written);
    assert.deepEqual(fixTitlesAndTexts(text, context, finding), [
      [`Pin to ${image}:3.13.1 (review: changes behaviour)`, `${image}:3.13.1`],
      [`Pin to digest ${image}:3.13.1@${python.slice(0, 19)}… (review: changes behaviour)`, `${image}:3.13.1@${python}`],
    ]);
  }
});

test('with no version tag sharing the digest, the digest pin keeps the tag written, or latest when none was', async () => {
  for (const [image, rule, tag, digest] of [[`${registry.host}/library/node:lts`, 'image-tag-floating', 'lts', nodeLts], [`${registry.host}/team/bare`, 'image-tag-latest', 'latest', bare]] as const) {
    const text = `FROM ${image}\n`;
    const context = await contextOf(text);
    const finding = lint(text, { context }).find((d) => d.code === rule);
    assert.ok(finding, image);
    const name = image.replace(/:lts$/, '');
    assert.deepEqual(fixTitlesAndTexts(text, context, finding), [[`Pin to digest ${name}:${tag}@${digest.slice(0, 19)}… (review: changes behaviour)`, `${name}:${tag}@${digest}`]]);
  }
});

test('a pin of one platform\'s manifest of the tag\'s index: platform-missing offers the index, digest-pin-stale stays quiet', async () => {
  const facts = await factsOf(`${registry.host}/library/python:3.13@${amd64}`);
  assert.equal(facts.manifestKind, 'manifest');
  assert.deepEqual(facts.platforms, ['linux/amd64']);
  assert.deepEqual(facts.tagNow, { digest: python, platforms: ['linux/amd64', 'linux/arm64/v8'], created: '2026-10-01T12:00:00Z', holdsPin: true });

  const text = `FROM ${registry.host}/library/python:3.13@${amd64}\n`;
  const context = await contextOf(text);
  const found = lint(text, { context }).filter((d) => d.code === 'platform-missing' || d.code === 'digest-pin-stale');
  assert.deepEqual(found.map((d) => [d.code, d.message]), [
    ['platform-missing', 'The pinned digest is the linux/amd64 manifest alone, not the multi-platform index `3.13` points at: it will not run natively on linux/arm64. Pin the index digest instead.'],
  ]);
  assert.deepEqual(fixTitlesAndTexts(text, context, found[0]!), [[`Pin to the index digest 3.13@${python.slice(0, 19)}… (review: changes behaviour)`, python]]);
  // Only amd64 targeted: the pin is right as it is.
  assert.deepEqual(lint(text, { context: { ...context, targetPlatforms: ['linux/amd64'] } }).filter((d) => d.code === 'platform-missing' || d.code === 'digest-pin-stale'), []);
});

test('a pin of an old manifest whose tag moved on is stale too, and the index fix moves to the tag\'s index', async () => {
  const text = `FROM ${registry.host}/team/moving:stable@${oldAmd64}\n`;
  const context = await contextOf(text);
  const diagnostics = lint(text, { context });
  const platform = diagnostics.find((d) => d.code === 'platform-missing')!;
  const stale = diagnostics.find((d) => d.code === 'digest-pin-stale')!;
  assert.match(String(stale.message), /^`stable` now points at sha256:\w{12}…, an image created 2026-11-01; this pin still uses the older image\.$/);
  assert.deepEqual(fixTitlesAndTexts(text, context, platform).map(([, t]) => t), [movingIndex]);
  assert.deepEqual(fixTitlesAndTexts(text, context, stale), [[`Move the pin to stable@${movingIndex.slice(0, 19)}… (review: changes behaviour)`, movingIndex]]);
});

test('digest-pin-stale: an old index pin is stale; a digest without a tag and one from a build argument are left alone', async () => {
  const image = `${registry.host}/team/moving`;
  const text = `FROM ${image}:stable@${oldIndex}\nFROM ${image}@${oldIndex}\nARG PIN=stable@${oldIndex}\nFROM ${image}:\${PIN}\n`;
  const context = await contextOf(text);
  const stale = lint(text, { context }).filter((d) => d.code === 'digest-pin-stale');
  assert.deepEqual(stale.map((d) => d.range.start.line), [0]);
  assert.equal((await factsOf(`${image}@${oldIndex}`)).tagNow, undefined);
  // An index pin covering every target is no platform problem.
  assert.deepEqual(lint(text, { context }).filter((d) => d.code === 'platform-missing'), []);
});

test('a digest without a tag that is one platform\'s manifest: reported without an index to offer; a one-platform image by its own tag: the plain message', async () => {
  const text = `FROM ${registry.host}/library/python@${amd64}\nFROM ${registry.host}/team/solo:1.0@${solo}\n`;
  const context = await contextOf(text);
  const found = lint(text, { context }).filter((d) => d.code === 'platform-missing');
  assert.deepEqual(found.map((d) => d.message), [
    'The pinned digest is the linux/amd64 manifest alone, not a multi-platform index: it will not run natively on linux/arm64. If the image is published for more platforms, pin the digest of its index (the one its tag points at).',
    `\`${registry.host}/team/solo:1.0@${solo}\` is not published for linux/arm64 (it has linux/amd64): it will not run natively there.`,
  ]);
  assert.deepEqual(fixTitlesAndTexts(text, context, found[0]!), []);
});

test('the digest-age hint shows the pinned image\'s age for tag@digest and @digest alike', async () => {
  const image = `${registry.host}/team/moving`;
  const text = `FROM ${image}:stable@${oldIndex}\nFROM ${image}@${oldIndex}\n`;
  const context = await contextOf(text);
  const model = analyze(text)!.model;
  const all = { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } };
  const hints = inlayHints(model, all, { resolvedImages: true, digestAge: true, createdOf: (ref) => context.images!(ref)?.created, now: Date.parse('2026-01-31T12:00:00Z') });
  assert.deepEqual(hints.map((h) => [h.position.line, h.label, h.tooltip]), [
    [0, 'built 30 days ago', 'Created 2026-01-01; a digest pin does not pick up security fixes.'],
    [1, 'built 30 days ago', 'Created 2026-01-01; a digest pin does not pick up security fixes.'],
  ]);
});
