// Basic auth against a real registry, and two registries to show a credential goes only to its host.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parseImageRef } from '../../server/src/language/imageRef';
import { dockerCredentials } from '../../server/src/registry/credentials';
import { OciClient } from '../../server/src/registry/ociClient';
import { Transport } from '../../server/src/registry/transport';
import { RegistryError } from '../../server/src/registry/types';
import { pushImage, startRegistry, type LocalRegistry } from './local-registry';

let open: LocalRegistry & { dataDir: string };
let locked: LocalRegistry;
let home: string;
const asked: string[] = [];

before(async () => {
  open = await startRegistry();
  await pushImage(open.host, 'team/app', ['1.0'], [{ os: 'linux', architecture: 'amd64' }]);
  // Same images, behind a password.
  locked = await startRegistry({ basicAuth: { username: 'alice', password: 's3cret!' }, dataDir: open.dataDir });
  home = mkdtempSync(join(tmpdir(), 'dockwise-home-'));
  writeFileSync(join(home, 'config.json'), JSON.stringify({ auths: { [locked.host]: { auth: Buffer.from('alice:s3cret!').toString('base64') } } }));
});

after(async () => {
  await locked?.stop();
  await open?.stop();
  rmSync(home, { recursive: true, force: true });
});

function client() {
  const fromDocker = dockerCredentials({ DOCKER_CONFIG: home }, home);
  return new OciClient(
    new Transport({
      timeoutMs: 5000,
      maxBytes: 1 << 20,
      allowHost: () => true,
      credentials: async (host) => {
        asked.push(host);
        return fromDocker(host);
      },
      log: () => undefined,
    }),
  );
}

test('Basic credentials from the Docker config open a protected registry', async () => {
  const description = await client().describe(parseImageRef(`${locked.host}/team/app:1.0`)!.ref);
  assert.equal(description.platforms.length, 1);
  assert.deepEqual(asked, [locked.host]);
});

test('without credentials the protected registry says unauthorized, in a short line', async () => {
  const anonymous = new OciClient(new Transport({ timeoutMs: 5000, maxBytes: 1 << 20, allowHost: () => true, credentials: async () => undefined, log: () => undefined }));
  await assert.rejects(anonymous.describe(parseImageRef(`${locked.host}/team/app:1.0`)!.ref), (e: unknown) => e instanceof RegistryError && e.kind === 'unauthorized' && /no credentials/.test(e.message));
});

test('the open registry is never asked with the other host\'s credentials', async () => {
  asked.length = 0;
  await client().describe(parseImageRef(`${open.host}/team/app:1.0`)!.ref);
  // No challenge came, so no credentials were even looked up, let alone sent.
  assert.deepEqual(asked, []);
});

test('the Bearer flow: challenge, anonymous token for the repository scope, cached for the next requests', async () => {
  const { startTokenServer } = await import('./token-server');
  const tokens = await startTokenServer();
  const bearer = await startRegistry({ tokenAuth: tokens, dataDir: open.dataDir });
  try {
    const anonymous = new OciClient(new Transport({ timeoutMs: 5000, maxBytes: 1 << 20, allowHost: () => true, credentials: async () => undefined, log: () => undefined }));
    const description = await anonymous.describe(parseImageRef(`${bearer.host}/team/app:1.0`)!.ref);
    assert.equal(description.platforms.length, 1);
    await anonymous.tags(parseImageRef(`${bearer.host}/team/app`)!.ref);
    // One token for the manifest, the config and the tag list: it is cached by host and scope.
    assert.deepEqual(tokens.requests, [{ scope: 'repository:team/app:pull', basic: false }]);
    // With credentials for the registry, the token service (another host) still gets none of them.
    const withCredentials = new OciClient(
      new Transport({ timeoutMs: 5000, maxBytes: 1 << 20, allowHost: () => true, credentials: async (host) => (host === bearer.host ? { username: 'alice', secret: 's3cret!' } : undefined), log: () => undefined }),
    );
    await withCredentials.describe(parseImageRef(`${bearer.host}/team/app:1.0`)!.ref);
    assert.equal(tokens.requests.length, 2);
    assert.equal(tokens.requests[1]!.basic, false);
  } finally {
    await bearer.stop();
    await tokens.stop();
  }
});
