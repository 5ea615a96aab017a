// The server bundle's V8 code cache (server/src/node/codeCache.ts): only a private folder is used,
// a damaged file is never handed to V8, and one file per key is kept. The built server with its
// cache is tested in test/lsp/code-cache.test.ts.
import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cacheKey, compile, privateDirectory, readCache, writeCache } from '../../server/src/node/codeCache';

const scratch = () => mkdtempSync(join(tmpdir(), 'dockwise-code-cache-'));
const ENV = { version: 'v20.0.0 11.3', arch: 'x64', execArgv: ['--max-semi-space-size=2'] };

test('the key changes with the bundle, Node, the architecture and the flags', () => {
  const key = cacheKey('source', ENV);
  assert.equal(cacheKey('source', { ...ENV }), key);
  for (const other of [
    cacheKey('source2', ENV),
    cacheKey('source', { ...ENV, version: 'v20.0.1 11.3' }),
    cacheKey('source', { ...ENV, arch: 'arm64' }),
    cacheKey('source', { ...ENV, execArgv: [] }),
    cacheKey('source', { ...ENV, nodeOptions: '--jitless' }),
  ]) {
    assert.notEqual(other, key);
  }
});

test('a missing folder is made 0700; a folder others may write to, or a link to one, is not used', { skip: process.platform === 'win32' }, () => {
  const root = scratch();
  try {
    const made = join(root, 'storage', 'code-cache');
    assert.equal(privateDirectory(made), made);
    assert.equal(statSync(made).mode & 0o777, 0o700);
    const shared = join(root, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    assert.equal(privateDirectory(shared), undefined);
    chmodSync(shared, 0o720);
    assert.equal(privateDirectory(shared), undefined);
    const link = join(root, 'link');
    symlinkSync(made, link);
    assert.equal(privateDirectory(link), undefined);
    const file = join(root, 'file');
    writeFileSync(file, '');
    assert.equal(privateDirectory(file), undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a cache is read back only for its key and only intact; writing keeps one file, 0600, and no temporary', () => {
  const dir = scratch();
  try {
    const payload = Buffer.from('compiled code');
    assert.equal(readCache(dir, 'k1'), undefined);
    writeCache(dir, 'k1', payload);
    assert.deepEqual(readCache(dir, 'k1'), payload);
    assert.equal(readCache(dir, 'k2'), undefined);
    const [name] = readdirSync(dir);
    if (process.platform !== 'win32') assert.equal(statSync(join(dir, name!)).mode & 0o777, 0o600);

    const file = readFileSync(join(dir, name!));
    for (const damage of [(b: Buffer) => (b[b.length - 1]! ^= 1), (b: Buffer) => (b[0]! ^= 1)]) {
      const damaged = Buffer.from(file);
      damage(damaged);
      writeFileSync(join(dir, name!), damaged);
      assert.equal(readCache(dir, 'k1'), undefined);
    }
    writeFileSync(join(dir, name!), file.subarray(0, 32));
    assert.equal(readCache(dir, 'k1'), undefined);
    writeFileSync(join(dir, name!), '');
    assert.equal(readCache(dir, 'k1'), undefined);

    // A new bundle's cache replaces the old one, and a temporary a killed server left goes too.
    writeCache(dir, 'k1', payload);
    writeFileSync(join(dir, `.${name!}.12345.tmp`), 'half a cache');
    writeCache(dir, 'k2', payload);
    assert.deepEqual(readdirSync(dir), [name!.replace('k1', 'k2')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the compiled bundle runs as a CommonJS module', () => {
  const compiled = compile('/bundle.js', 'module.exports = { file: __filename, dir: __dirname, self: this === exports, req: typeof require };', undefined);
  const module = { exports: {} };
  compiled.run.call(module.exports, module.exports, require, module, '/x/bundle.js', '/x');
  assert.deepEqual(module.exports, { file: '/x/bundle.js', dir: '/x', self: true, req: 'function' });
  assert.equal(compiled.cached, false);
  assert.ok(compiled.makeCache().length > 0);
});
