/**
 * The language server process's entry (bundled to server/out/server.js, what the client starts):
 * loads the server itself (`main.ts`, bundled to server/out/serverMain.js) through a V8 code cache
 * when the client names a private directory for it with `--code-cache=<dir>`, so a warm start does
 * not compile the bundle again (and only under V8's cache checksums, codeCache.ts); otherwise it
 * loads the bundle as Node would.
 */
import { accessSync, closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ServerEnvironment } from '../../../shared/protocol';
import { cacheKey, checksummed, compile, privateDirectory, readCache, writeCache } from './codeCache';

// The process started without the editor's NODE_EXTRA_CA_CERTS (client/src/processFlags.ts): it is
// put back for the processes the server runs; the other name stays as the sign that Node's own
// certificate store lacks that file (registry/certificates.ts).
const deferredCaCerts = process.env[ServerEnvironment.deferredExtraCaCerts];
if (deferredCaCerts) {
  process.env.NODE_EXTRA_CA_CERTS = deferredCaCerts;
  // Node would have warned at start; a path that cannot be read is the usual mistake, and costs a check.
  try {
    accessSync(deferredCaCerts, constants.R_OK);
  } catch (error) {
    process.stderr.write(`dockwise: NODE_EXTRA_CA_CERTS names ${deferredCaCerts}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): registry connections go on without it\n`);
  }
}

/** How long a server runs before it writes its cache: past `initialize` and the first lints, whose functions the cache then holds too. */
const CACHE_AFTER_MS = 5_000;
const OPTION = '--code-cache=';

const bundle = join(__dirname, 'serverMain.js');
const requireBundle = createRequire(bundle);
const option = process.argv.find((arg) => arg.startsWith(OPTION));
// Without V8's checksums a damaged cache could crash the server (codeCache.ts), so none is used then.
const dir = option === undefined || !checksummed(process.execArgv) ? undefined : privateDirectory(option.slice(OPTION.length));

if (dir === undefined) {
  requireBundle(bundle);
} else {
  // The text, and the size, inode and times its key is made of, from one open file.
  const file = openSync(bundle, 'r');
  const { size, ino, mtimeMs, ctimeMs } = fstatSync(file);
  const source = readFileSync(file, 'utf8');
  closeSync(file);
  const key = cacheKey({ path: bundle, size, ino, mtimeMs, ctimeMs }, { version: `${process.version} ${process.versions.v8}`, arch: process.arch, execArgv: process.execArgv, nodeOptions: process.env.NODE_OPTIONS });
  const compiled = compile(bundle, source, readCache(dir, key));
  const module = { exports: {}, id: bundle, filename: bundle, loaded: false };
  compiled.run.call(module.exports, module.exports, requireBundle, module, bundle, dirname(bundle));
  if (!compiled.cached) setTimeout(() => writeCache(dir, key, compiled.makeCache()), CACHE_AFTER_MS).unref();
}
