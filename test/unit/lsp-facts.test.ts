// The facts service on its own: what it asks a (fake) registry for, what it emits, and whom a change re-lints.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { ImageFactName, ImageFacts, Rule } from '../../server/src/engine/rule';
import { parseImageRef, type ImageRef } from '../../server/src/language/imageRef';
import { FactsService, wantedFacts, type FactsChange, type FactsSource } from '../../server/src/lsp/facts';
import { imageFactsOf } from '../../server/src/registry/imageFacts';
import { RegistryError, type ImageDescription, type RegistryClient } from '../../server/src/registry/types';
import { rules } from '../../server/src/rules';

const ref = (text: string): ImageRef => parseImageRef(text)!.ref;
const DESCRIPTION: ImageDescription = { digest: `sha256:${'a'.repeat(64)}`, mediaType: 'application/vnd.oci.image.index.v1+json', platforms: [], fetchedAt: 0 };

/** A registry that answers at once (or fails) and records every ask. */
function fakeSource(fail = false): FactsSource & { asks: { ref: string; wanted: ImageFactName[] }[]; allowed: (ref: ImageRef) => boolean } {
  const source = {
    asks: [] as { ref: string; wanted: ImageFactName[] }[],
    allowed: (_ref: ImageRef) => true,
    allows: (r: ImageRef) => source.allowed(r),
    async imageFacts(r: ImageRef, wanted: ReadonlySet<ImageFactName>) {
      source.asks.push({ ref: r.familiar, wanted: [...wanted].sort() });
      if (fail) throw new RegistryError('offline', 'cannot be reached');
      // The description's facts come with every answer, as imageFactsOf gives them.
      const facts: ImageFacts = { digest: DESCRIPTION.digest, platforms: ['linux/amd64'], user: 'app', ...(wanted.has('hubBadge') ? { hubBadge: 'none' as const } : {}), ...(wanted.has('tagNow') ? { tagNow: { digest: DESCRIPTION.digest } } : {}) };
      return { description: DESCRIPTION, facts };
    },
  };
  return source;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('only the facts asked for are fetched, and each only once', async () => {
  const facts = new FactsService();
  const source = fakeSource();
  facts.request('file:///a', [ref('python:3.12')], new Set(['hubBadge']), source);
  facts.request('file:///a', [ref('python:3.12')], new Set(['hubBadge']), source);
  await settle();
  facts.request('file:///a', [ref('python:3.12')], new Set(['hubBadge', 'user', 'platforms', 'tagNow']), source);
  await settle();
  // `user` and `platforms` came with the first answer's description: only `tagNow` was missing.
  assert.deepEqual(source.asks, [
    { ref: 'python:3.12', wanted: ['hubBadge'] },
    { ref: 'python:3.12', wanted: ['tagNow'] },
  ]);
  assert.deepEqual(facts.get(ref('python:3.12')), { digest: DESCRIPTION.digest, platforms: ['linux/amd64'], user: 'app', hubBadge: 'none', tagNow: { digest: DESCRIPTION.digest } });
});

test('nothing is asked when no enabled rule needs a fact, without a registry, or where the policy forbids it', async () => {
  const facts = new FactsService();
  const source = fakeSource();
  facts.request('file:///a', [ref('python:3.12')], new Set(), source);
  facts.request('file:///a', [ref('python:3.12')], new Set(['user']), undefined);
  source.allowed = () => false;
  facts.request('file:///a', [ref('python:3.12')], new Set(['user']), source);
  await settle();
  assert.deepEqual(source.asks, []);
});

test('a change names the reference and exactly the documents whose last lint used it', async () => {
  const facts = new FactsService();
  const source = fakeSource();
  const changes: FactsChange[] = [];
  facts.onDidChange((change) => changes.push(change));
  // c used python:3.12 once, then was edited to node: its last lint did not use python.
  facts.request('file:///c', [ref('python:3.12')], new Set(), source);
  facts.request('file:///c', [ref('node:22')], new Set(), source);
  facts.request('file:///b', [ref('node:22')], new Set(), source);
  facts.request('file:///d', [ref('python:3.12')], new Set(), source);
  facts.forget('file:///d');
  facts.request('file:///a', [ref('python:3.12'), ref('docker.io/library/python:3.12')], new Set(['user']), source);
  await settle();
  // Written two ways, one image: the familiar form is the key, asked once.
  assert.deepEqual(changes, [{ ref: 'python:3.12', uris: ['file:///a'] }]);
  assert.equal(source.asks.length, 1);
});

test('a failure leaves the image alone until the retry time has passed', async () => {
  let now = 1_000;
  const failures: string[] = [];
  const facts = new FactsService({ retryMs: 60_000, now: () => now, onOutcome: (r) => r instanceof RegistryError && failures.push(r.kind) });
  const source = fakeSource(true);
  facts.request('file:///a', [ref('alpine:3.21')], new Set(['user']), source);
  await settle();
  facts.request('file:///a', [ref('alpine:3.21')], new Set(['user']), source);
  await settle();
  now += 60_001;
  facts.request('file:///a', [ref('alpine:3.21')], new Set(['user']), source);
  await settle();
  assert.equal(source.asks.length, 2);
  assert.deepEqual(failures, ['offline', 'offline']);
});

test('after a reset, an answer that was on its way is dropped and everything is asked again', async () => {
  const facts = new FactsService();
  const changes: FactsChange[] = [];
  facts.onDidChange((change) => changes.push(change));
  const source = fakeSource();
  facts.request('file:///a', [ref('alpine:3.21')], new Set(['user']), source);
  facts.reset();
  await settle();
  assert.equal(facts.get(ref('alpine:3.21')), undefined);
  assert.deepEqual(changes, []);
  facts.request('file:///a', [ref('alpine:3.21')], new Set(['user']), source);
  await settle();
  assert.equal(source.asks.length, 2);
  assert.equal(facts.get(ref('alpine:3.21'))?.user, 'app');
});

test('the facts kept are bounded, the least recently used dropped first', async () => {
  const facts = new FactsService({ maxImages: 2 });
  const source = fakeSource();
  for (const name of ['a:1', 'b:1', 'c:1']) facts.request('file:///x', [ref(name)], new Set(['user']), source);
  await settle();
  assert.equal(facts.get(ref('a:1')), undefined);
  assert.ok(facts.get(ref('b:1')) && facts.get(ref('c:1')));
});

test('wanted facts come from the metadata of the rules that are not turned off, plus what features ask', () => {
  const all = wantedFacts(rules, {});
  for (const name of ['hubBadge', 'platforms', 'smallerVariant', 'tagNow', 'pinTag', 'user'] as const) assert.ok(all.has(name), name);
  assert.ok(!all.has('created'));
  const onlyBadge = wantedFacts(rules, Object.fromEntries(rules.filter((r) => r.meta.id !== 'untrusted-publisher').map((r) => [r.meta.id, 'off' as const])));
  assert.deepEqual([...onlyBadge], ['hubBadge']);
  assert.deepEqual([...wantedFacts([] as Rule[], {}, ['created'])], ['created']);
});

test('imageFactsOf makes only the requests the wanted facts need', async () => {
  const calls: string[] = [];
  const client: RegistryClient = {
    describe: async (r) => (calls.push(`describe ${r.familiar}`), DESCRIPTION),
    tags: async (r) => (calls.push(`tags ${r.familiar}`), ['3.12', '3.12.7']),
    digestOf: async (_r, tag) => (calls.push(`digestOf ${tag}`), DESCRIPTION.digest),
  };
  const { facts } = await imageFactsOf(client, ref('python:3.12'), undefined, new Set(['platforms']));
  assert.deepEqual(calls, ['describe python:3.12']);
  assert.equal(facts.pinTag, undefined);
  calls.length = 0;
  const pinned = await imageFactsOf(client, ref('python:3.12'), undefined, new Set(['pinTag']));
  assert.ok(calls.includes('tags python:3.12'), calls.join());
  assert.equal(pinned.facts.pinTag, '3.12.7');
});
