// The built server with the code cache folder and the Node flags the client passes
// (`--code-cache=<dir>`, client/src/processFlags.ts): the first start writes its cache there and
// nowhere else, a later start uses it (and so does not write it again), and a damaged cache is
// ignored: the server answers as usual and writes a good one. Without V8's checksum flag no cache is used.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SERVER_NODE_FLAGS } from '../../client/src/processFlags';
import { CHECKSUM_FLAG } from '../../server/src/node/codeCache';
import { ROOT } from '../paths';
import { startInitializedServer } from './lsp-client';

const SERVER = join(ROOT, 'server/out/server.js');
/** Past the server's wait before it writes its cache (launch.ts: 5 s). */
const WRITE_WAIT_MS = 7_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every file under `dir`, relative to it. */
const filesUnder = (dir: string) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.length + 1));

/** A server with the cache in `cache` and its home and temporary folders in `root`, answering a lint. */
async function lintOnce(root: string, cache: string, flags: readonly string[] = SERVER_NODE_FLAGS): Promise<() => Promise<void>> {
  const env = { HOME: join(root, 'home'), TMPDIR: join(root, 'tmp'), XDG_CONFIG_HOME: join(root, 'config') };
  const lsp = await startInitializedServer({ env, args: [...flags, SERVER, '--stdio', `--code-cache=${cache}`] });
  const uri = `file://${join(root, 'Dockerfile')}`;
  await lsp.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: 'FROM alpine:3.24\nMAINTAINER me\n' } });
  const published = await lsp.diagnostics((p) => p.uri === uri, 10_000);
  assert.ok(published.diagnostics.some((d) => d.code === 'maintainer-deprecated'), JSON.stringify(published));
  return async () => {
    lsp.process.kill();
    await lsp.exited;
  };
}

test('the code cache is written to the given folder only, used by the next start, and ignored when damaged', { timeout: 60_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'dockwise-lsp-code-cache-'));
  try {
    const cache = join(root, 'storage', 'code-cache');
    let stop = await lintOnce(root, cache);
    await sleep(WRITE_WAIT_MS);
    await stop();
    const [name, ...more] = readdirSync(cache);
    assert.match(name ?? '', /^server-[0-9a-f]{16}\.v8cache$/);
    assert.deepEqual(more, []);
    assert.deepEqual(filesUnder(root), [join('storage', 'code-cache', name!)], 'nothing written outside the cache folder');
    if (process.platform !== 'win32') assert.equal(statSync(cache).mode & 0o777, 0o700);
    const written = readFileSync(join(cache, name!));

    // A copy with its payload damaged (its checksum no longer matches), beside the good one.
    const damaged = join(root, 'damaged');
    cpSync(cache, damaged, { recursive: true });
    const bad = Buffer.from(written);
    for (let i = bad.length >> 1; i < (bad.length >> 1) + 64; i++) bad[i]! ^= 0xff;
    writeFileSync(join(damaged, name!), bad);

    const stops = [await lintOnce(root, cache), await lintOnce(root, damaged)];
    await sleep(WRITE_WAIT_MS);
    for (stop of stops) await stop();
    assert.ok(readFileSync(join(cache, name!)).equals(written), 'a cache V8 took is not written again');
    const rewritten = readFileSync(join(damaged, name!));
    assert.ok(!rewritten.equals(bad) && rewritten.length > 32, 'the damaged cache was replaced');

    // Without the checksum flag the folder is not used: the server answers and writes nothing there
    // (its key would differ anyway, the flags being part of it; what is checked is that it does not write).
    const unchecked = join(root, 'unchecked');
    cpSync(damaged, unchecked, { recursive: true });
    writeFileSync(join(unchecked, name!), bad);
    stop = await lintOnce(root, unchecked, SERVER_NODE_FLAGS.filter((flag) => flag !== CHECKSUM_FLAG));
    await sleep(WRITE_WAIT_MS);
    await stop();
    assert.deepEqual(readdirSync(unchecked), [name!]);
    assert.ok(readFileSync(join(unchecked, name!)).equals(bad), 'nothing written, nothing removed');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
