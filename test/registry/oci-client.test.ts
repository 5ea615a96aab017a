// The OCI client against a real registry on loopback.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { parseImageRef } from '../../server/src/language/imageRef';
import { parseChallenges } from '../../server/src/registry/challenge';
import { OciClient } from '../../server/src/registry/ociClient';
import { Transport } from '../../server/src/registry/transport';
import { platformName, RegistryError } from '../../server/src/registry/types';
import { pushImage, startRegistry, type LocalRegistry } from './local-registry';

let registry: LocalRegistry;
let indexDigest: string;
const requests: string[] = [];
const client = () =>
  new OciClient(
    new Transport({ timeoutMs: 5000, maxBytes: 1 << 20, allowHost: () => true, credentials: async () => undefined, log: (line) => requests.push(line) }),
  );
const ref = (text: string) => parseImageRef(text)!.ref;

before(async () => {
  registry = await startRegistry();
  indexDigest = await pushImage(registry.host, 'library/python', ['3.12.7-slim', '3.12-slim', '3-slim'], [
    { os: 'linux', architecture: 'amd64', layerBytes: 50_000, config: { User: '', Cmd: ['python3'], WorkingDir: '/app', ExposedPorts: { '8000/tcp': {} }, Labels: { 'org.opencontainers.image.version': '3.12.7' } } },
    { os: 'linux', architecture: 'arm64', variant: 'v8', layerBytes: 40_000, config: { Cmd: ['python3'] } },
  ]);
  await pushImage(registry.host, 'team/app', ['1.0'], [{ os: 'linux', architecture: 'amd64', config: { User: 'app', Entrypoint: ['/app'] } }]);
});

after(() => registry?.stop());

test('a multi-platform tag resolves to its index digest, platforms, sizes and configs, without the attestation', async () => {
  requests.length = 0;
  const description = await client().describe(ref(`${registry.host}/library/python:3.12-slim`));
  assert.equal(description.digest, indexDigest);
  assert.deepEqual(description.platforms.map(platformName), ['linux/amd64', 'linux/arm64/v8']);
  const [amd64, arm64] = description.platforms;
  assert.ok(amd64!.compressedSize > 0 && arm64!.compressedSize > 0 && amd64!.compressedSize !== arm64!.compressedSize);
  assert.deepEqual(amd64!.config, { created: '2026-10-01T12:00:00Z', cmd: ['python3'], exposedPorts: ['8000/tcp'], workingDir: '/app', labels: { 'org.opencontainers.image.version': '3.12.7' } });
  // index, then the two manifests, then the two configs: three sequential round trips.
  assert.equal(requests.length, 5, requests.join('\n'));
});

test('a single-platform image and its config user', async () => {
  const description = await client().describe(ref(`${registry.host}/team/app:1.0`));
  assert.deepEqual(description.platforms.map((p) => [platformName(p), p.config?.user, p.config?.entrypoint]), [['linux/amd64', 'app', ['/app']]]);
});

test('a digest reference is fetched by digest and checked against it', async () => {
  const description = await client().describe(ref(`${registry.host}/library/python@${indexDigest}`));
  assert.equal(description.digest, indexDigest);
});

test('tags come back sorted, and HEAD gives the digest a tag points at', async () => {
  const c = client();
  assert.deepEqual(await c.tags(ref(`${registry.host}/library/python`)), ['3-slim', '3.12-slim', '3.12.7-slim']);
  assert.equal(await c.digestOf(ref(`${registry.host}/library/python`), '3.12.7-slim'), indexDigest);
});

test('a missing repository or tag is a not-found error with a short message', async () => {
  await assert.rejects(client().describe(ref(`${registry.host}/nope/app:1`)), (e: unknown) => e instanceof RegistryError && e.kind === 'not-found');
  await assert.rejects(client().describe(ref(`${registry.host}/library/python:9.9`)), (e: unknown) => e instanceof RegistryError && e.kind === 'not-found');
});

test('challenges with several schemes and quoted commas parse', () => {
  assert.deepEqual(parseChallenges('Bearer realm="https://r.example/token",service="reg",scope="repository:a/b:pull,push", Basic realm="x, y"'), [
    { scheme: 'bearer', params: { realm: 'https://r.example/token', service: 'reg', scope: 'repository:a/b:pull,push' } },
    { scheme: 'basic', params: { realm: 'x, y' } },
  ]);
});

test('through the cache a warm lookup makes no request, and concurrent cold ones share one fetch', async () => {
  const { CachingRegistry } = await import('../../server/src/registry/cache');
  const cached = new CachingRegistry(client(), 60_000);
  const image = ref(`${registry.host}/library/python:3.12.7-slim`);
  requests.length = 0;
  const [a, b] = await Promise.all([cached.describe(image), cached.describe(image)]);
  assert.equal(a, b);
  assert.equal(requests.length, 5, 'one cold fetch: index, two manifests, two configs');
  await cached.describe(image);
  assert.equal(requests.length, 5, 'warm: no request');
});
