// Credentials as Docker and Podman store them, including the credential-helper protocol with a
// helper program on PATH.
import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { dockerCredentials } from '../../server/src/registry/credentials';

let home: string;
const basic = (user: string, secret: string) => Buffer.from(`${user}:${secret}`).toString('base64');

before(() => {
  home = mkdtempSync(join(tmpdir(), 'dockwise-creds-'));
  mkdirSync(join(home, 'bin'));
  // A credential helper speaking the protocol: server URL on stdin, JSON on stdout, exit 1 when unknown.
  writeFileSync(
    join(home, 'bin', 'docker-credential-dockwisetest'),
    `#!/bin/sh\n[ "$1" = get ] || exit 1\nread url\ncase "$url" in\n  ghcr.io) echo '{"ServerURL":"ghcr.io","Username":"gh-user","Secret":"gh-token"}' ;;\n  *) echo 'credentials not found in native keychain'; exit 1 ;;\nesac\n`,
  );
  chmodSync(join(home, 'bin', 'docker-credential-dockwisetest'), 0o755);
  mkdirSync(join(home, '.docker'));
  writeFileSync(
    join(home, '.docker', 'config.json'),
    JSON.stringify({
      auths: { 'https://index.docker.io/v1/': { auth: basic('hub-user', 'hub-pass') }, 'registry.example.com': { auth: basic('ex', 'p:a:ss') } },
      credHelpers: { 'ghcr.io': 'dockwisetest' },
    }),
  );
  mkdirSync(join(home, '.config', 'containers'), { recursive: true });
  writeFileSync(join(home, '.config', 'containers', 'auth.json'), JSON.stringify({ auths: { 'quay.io': { auth: basic('quay-user', 'quay-pass') } } }));
});

after(() => rmSync(home, { recursive: true, force: true }));

test('Docker Hub, plain auths (secret with colons), a credential helper, Podman auth.json, and nothing for other hosts', async () => {
  const lookup = dockerCredentials({ PATH: `${join(home, 'bin')}:${process.env.PATH}` }, home);
  assert.deepEqual(await lookup('registry-1.docker.io'), { username: 'hub-user', secret: 'hub-pass' });
  assert.deepEqual(await lookup('registry.example.com'), { username: 'ex', secret: 'p:a:ss' });
  assert.deepEqual(await lookup('ghcr.io'), { username: 'gh-user', secret: 'gh-token' });
  assert.deepEqual(await lookup('quay.io'), { username: 'quay-user', secret: 'quay-pass' });
  assert.equal(await lookup('other.example.org'), undefined);
});
