// The server bundle's V8 code cache (server/src/node/codeCache.ts): only a private folder is used,
// one file per key is kept, and V8, under the flag the server runs with, refuses a damaged cache.
// The built server with its cache is tested in test/lsp/code-cache.test.ts.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SERVER_NODE_FLAGS } from '../../client/src/processFlags';
import { CHECKSUM_FLAG, cacheKey, checksummed, compile, privateDirectory, readCache, writeCache } from '../../server/src/node/codeCache';

const scratch = () => mkdtempSync(join(tmpdir(), 'dockwise-code-cache-'));
const ENV = { version: 'v20.0.0 11.3', arch: 'x64', execArgv: ['--max-semi-space-size=2'] };
const BUNDLE = { path: '/ext/server/out/serverMain.js', size: 1_000_000, ino: 4242, mtimeMs: 1_700_000_000_000.5, ctimeMs: 1_700_000_000_001.5 };

test('the key changes with the bundle, Node, the architecture and the flags', () => {
  const key = cacheKey(BUNDLE, ENV);
  assert.match(key, /^[0-9a-f]{16}$/);
  assert.equal(cacheKey({ ...BUNDLE }, { ...ENV }), key);
  const others = [
    cacheKey({ ...BUNDLE, path: '/ext2/server/out/serverMain.js' }, ENV),
    cacheKey({ ...BUNDLE, size: 1_000_001 }, ENV),
    cacheKey({ ...BUNDLE, mtimeMs: 1_700_000_000_000.25 }, ENV),
    // A copy that keeps the modification time (cp -p, rsync -a, tar) is a new inode with a new change time.
    cacheKey({ ...BUNDLE, ino: 4243 }, ENV),
    cacheKey({ ...BUNDLE, ctimeMs: 1_700_000_000_002 }, ENV),
    cacheKey(BUNDLE, { ...ENV, version: 'v20.0.1 11.3' }),
    cacheKey(BUNDLE, { ...ENV, arch: 'arm64' }),
    cacheKey(BUNDLE, { ...ENV, execArgv: [] }),
    cacheKey(BUNDLE, { ...ENV, nodeOptions: '--jitless' }),
  ];
  assert.equal(new Set([key, ...others]).size, others.length + 1);
});

test('the cache is used only where V8 checks it: the server is started with the flag', () => {
  assert.ok(checksummed(SERVER_NODE_FLAGS));
  assert.ok(!checksummed(SERVER_NODE_FLAGS.filter((flag) => flag !== CHECKSUM_FLAG)));
  // V8 takes the last of the flag's spellings given.
  for (const negation of ['--no-verify-snapshot-checksum', '--noverify_snapshot_checksum', '--verify-snapshot-checksum=false']) {
    assert.ok(!checksummed([CHECKSUM_FLAG, negation]), negation);
    assert.ok(checksummed([negation, '--verify_snapshot_checksum']), negation);
  }
});

test('under the flag, V8 takes an intact cache and refuses one with a byte flipped or bytes added, as a later process', () => {
  const dir = scratch();
  try {
    // A later process, because V8 answers a second compile of the same text in one process from memory.
    const script = (mode: string, file: string) => `
      const { Script } = require('node:vm'); const fs = require('node:fs');
      const source = '(function () {' + Array.from({ length: 2000 }, (_, i) => 'function f' + i + '(x) { return x * ' + i + ' + 1; }').join('\\n') + ' return f1999(2); })';
      const file = ${JSON.stringify(file)};
      if (${JSON.stringify(mode)} === 'make') { const s = new Script(source); s.runInThisContext()(); fs.writeFileSync(file, s.createCachedData()); }
      else { const c = fs.readFileSync(file); const given = ${JSON.stringify(mode)} === 'flip' ? (c[c.length >> 1] ^= 0x10, c) : ${JSON.stringify(mode)} === 'longer' ? Buffer.concat([c, Buffer.alloc(64, 7)]) : c;
        const s = new Script(source, { cachedData: given }); process.stdout.write(String(s.cachedDataRejected) + ' ' + s.runInThisContext()()); }`;
    // A cache made under the flag is checked under it; one made without, without (V8 compares the flags too).
    const run = (mode: string, flags: readonly string[], file: string) => spawnSync(process.execPath, [...flags, '-e', script(mode, file)], { encoding: 'utf8' });
    const checked = join(dir, 'checked');
    assert.equal(run('make', [CHECKSUM_FLAG], checked).status, 0);
    assert.equal(run('intact', [CHECKSUM_FLAG], checked).stdout, 'false 3999');
    assert.equal(run('flip', [CHECKSUM_FLAG], checked).stdout, 'true 3999');
    assert.equal(run('longer', [CHECKSUM_FLAG], checked).stdout, 'true 3999');
    // What the flag is for: without it V8 takes a cache with bytes added.
    const unchecked = join(dir, 'unchecked');
    assert.equal(run('make', [], unchecked).status, 0);
    assert.equal(run('longer', [], unchecked).stdout, 'false 3999');
  } finally {
    rmSync(dir, { recursive: true, force: true });
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

test('a cache is read back only for its key; writing keeps one file, 0600, and no temporary', () => {
  const dir = scratch();
  try {
    const payload = Buffer.from('compiled code');
    assert.equal(readCache(dir, 'k1'), undefined);
    writeCache(dir, 'k1', payload);
    assert.deepEqual(readCache(dir, 'k1'), payload);
    assert.equal(readCache(dir, 'k2'), undefined);
    const [name] = readdirSync(dir);
    if (process.platform !== 'win32') assert.equal(statSync(join(dir, name!)).mode & 0o777, 0o600);
    writeFileSync(join(dir, name!), '');
    assert.equal(readCache(dir, 'k1'), undefined, 'an empty file is no cache');

    // A new bundle's cache replaces the old one, and a temporary a killed server left goes too.
    writeCache(dir, 'k1', payload);
    writeFileSync(join(dir, `.${name!}.12345.tmp`), 'half a cache');
    writeCache(dir, 'k2', payload);
    assert.deepEqual(readdirSync(dir), [name!.replace('k1', 'k2')]);
    assert.deepEqual(readFileSync(join(dir, name!.replace('k1', 'k2'))), payload);
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
