// The server's process environment as the client builds it (client/src/processFlags.ts).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { serverEnvironment } from '../../client/src/processFlags';
import { ServerEnvironment } from '../../shared/protocol';

test("NODE_EXTRA_CA_CERTS reaches the server under the deferred name and is left out of Node's own start", () => {
  const env = serverEnvironment({ NODE_EXTRA_CA_CERTS: '/etc/corp/ca.pem', PATH: '/usr/bin' });
  assert.ok('NODE_EXTRA_CA_CERTS' in env && env.NODE_EXTRA_CA_CERTS === undefined, 'set to undefined, so that it overrides the inherited value and spawn drops it');
  assert.equal(env[ServerEnvironment.deferredExtraCaCerts], '/etc/corp/ca.pem');
  assert.equal(env.PATH, undefined, 'the rest of the environment is inherited, not copied');
  assert.equal(env.MALLOC_ARENA_MAX, '1');
});

test('without NODE_EXTRA_CA_CERTS only the allocator settings are set', () => {
  assert.deepEqual(serverEnvironment({ NODE_EXTRA_CA_CERTS: '' }), { MALLOC_ARENA_MAX: '1', MALLOC_MMAP_THRESHOLD_: '32768' });
  assert.deepEqual(serverEnvironment({}), { MALLOC_ARENA_MAX: '1', MALLOC_MMAP_THRESHOLD_: '32768' });
});
