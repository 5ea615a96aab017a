// The fault matrix: every way a registry can misbehave ends in a RegistryError of the right kind,
// in bounded time, with a short message, and credentials never leave their host.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { parseImageRef } from '../../server/src/language/imageRef';
import { imageHover } from '../../server/src/registry/hoverContent';
import { OciClient } from '../../server/src/registry/ociClient';
import { Transport } from '../../server/src/registry/transport';
import { RegistryError, type RegistryFailure } from '../../server/src/registry/types';
import { startFaultServer, type Fault, type FaultServer } from './fault-server';

const SECRET = 'hunter2-do-not-leak';
let faults: FaultServer;
let other: FaultServer;
const log: string[] = [];

before(async () => {
  other = await startFaultServer();
  faults = await startFaultServer(other.host);
});

after(async () => {
  await faults?.stop();
  await other?.stop();
});

function client(allow = (h: string) => h === faults.host || h === other.host) {
  return new OciClient(
    new Transport({
      timeoutMs: 800,
      maxBytes: 256 * 1024,
      allowHost: allow,
      // Credentials exist for the fault host only.
      credentials: async (host) => (host === faults.host ? { username: 'alice', secret: SECRET } : undefined),
      log: (line) => log.push(line),
    }),
  );
}

const MATRIX: [Fault, RegistryFailure][] = [
  ['timeout', 'timeout'],
  ['drip', 'timeout'],
  ['reset', 'offline'],
  ['unauthorized-no-challenge', 'unauthorized'],
  ['unauthorized-loop', 'unauthorized'],
  ['forbidden', 'unauthorized'],
  ['not-found', 'not-found'],
  ['rate-limited', 'rate-limited'],
  ['server-error', 'server-error'],
  ['unavailable', 'server-error'],
  ['malformed-json', 'invalid-response'],
  ['huge', 'invalid-response'],
  ['redirect-loop', 'invalid-response'],
];

for (const [fault, kind] of MATRIX) {
  test(`${fault} → ${kind}, quickly, with a one-line hover`, async () => {
    const ref = parseImageRef(`${faults.host}/${fault}/app:1`)!.ref;
    const started = Date.now();
    const error = await client().describe(ref).then(() => undefined, (e: unknown) => e);
    const elapsed = Date.now() - started;
    assert.ok(error instanceof RegistryError, `expected a RegistryError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    assert.ok(elapsed < 3000, `took ${elapsed} ms`);
    const hover = imageHover(ref, { error }, []);
    assert.ok(!hover.includes('\n') && hover.length < 200, hover);
    assert.ok(!hover.includes(SECRET) && !error.message.includes(SECRET));
    if (fault === 'rate-limited') assert.equal(error.retryAfterMs, 30_000);
  });
}

test('a manifest fetched by digest that does not match it is refused', async () => {
  const ref = parseImageRef(`${faults.host}/wrong-digest/app@sha256:${'0'.repeat(64)}`)!.ref;
  await assert.rejects(client().describe(ref), (e: unknown) => e instanceof RegistryError && e.kind === 'invalid-response' && /does not match/.test(e.message));
});

test('a redirect to another host is followed without the credentials', async () => {
  other.seen.length = 0;
  const ref = parseImageRef(`${faults.host}/redirect-other-host/app:1`)!.ref;
  await client().describe(ref).catch(() => undefined);
  assert.ok(other.seen.length > 0, 'the other host was asked');
  assert.ok(other.seen.every((line) => line.endsWith(' anon')), other.seen.join('\n'));
});

test('a redirect to a host the policy refuses is not followed', async () => {
  other.seen.length = 0;
  const ref = parseImageRef(`${faults.host}/redirect-other-host/app:1`)!.ref;
  await assert.rejects(client((h) => h === faults.host).describe(ref), (e: unknown) => e instanceof RegistryError && e.kind === 'denied-by-policy');
  assert.deepEqual(other.seen, []);
});

test('the log names host, path and status, never credentials', () => {
  assert.ok(log.length > 0);
  assert.ok(log.every((line) => !line.includes(SECRET) && !/authorization|bearer|basic/i.test(line)), log.join('\n'));
});

test('a failing host is left alone for a while, and a 429 for its Retry-After', async () => {
  for (const fault of ['timeout', 'rate-limited'] as const) {
    const c = client();
    const ref = parseImageRef(`${faults.host}/${fault}/app:1`)!.ref;
    await c.describe(ref).catch(() => undefined);
    const asked = faults.seen.length;
    const started = Date.now();
    await assert.rejects(c.describe(ref), (e: unknown) => e instanceof RegistryError && /failed recently/.test(e.message));
    assert.ok(Date.now() - started < 100, 'refused at once');
    assert.equal(faults.seen.length, asked, 'without asking the host');
  }
});

test('tags follow Link pagination on the same origin only', async () => {
  const tags = await client().tags(parseImageRef(`${faults.host}/paged/app`)!.ref);
  assert.deepEqual(tags, ['a', 'b', 'c', 'd']);
  assert.ok(!other.seen.some((line) => line.includes('/paged/')), 'the cross-origin Link was not followed');
});

test('a challenge from the host a redirect led to is answered by that host', async () => {
  const tags = await client().tags(parseImageRef(`${faults.host}/redirect-to-token-host/app`)!.ref);
  assert.deepEqual(tags, ['1.0']);
});
