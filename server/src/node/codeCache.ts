/**
 * A V8 code cache for the server bundle, so a warm start skips compiling it (Node 20 has no
 * `module.enableCompileCache`). The cache lives only in the private directory the client names
 * (the extension's global storage): a planted cache is code, so a directory another user can write
 * to is never read. One file per bundle, Node and V8 flags, written atomically; V8 checks the version
 * and flags it was made with but not the payload (a flipped byte is accepted, and can crash), so each
 * file carries a SHA-256 of its key and payload, checked before V8 sees it.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';

const DIGEST_BYTES = 32;
const PREFIX = 'server-';
const SUFFIX = '.v8cache';

/** What a cache was made for: the bundle (its bytes: hashing them is twice as fast as its text), Node (with its V8) and the flags V8 runs with. */
export function cacheKey(bundle: string | Uint8Array, env: { readonly version: string; readonly arch: string; readonly execArgv: readonly string[]; readonly nodeOptions?: string | undefined }): string {
  return createHash('sha256').update(bundle).update(`\0${env.version}\0${env.arch}\0${env.execArgv.join(' ')}\0${env.nodeOptions ?? ''}`).digest('hex');
}

/** The directory, created 0700 if missing, when only this user can write to it; otherwise undefined. */
export function privateDirectory(dir: string): string | undefined {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = lstatSync(dir);
    if (!stat.isDirectory()) return undefined;
    // Windows has no owner or mode bits here; the global storage folder sits in the user's profile.
    if (process.platform !== 'win32' && (stat.uid !== process.getuid?.() || (stat.mode & 0o022) !== 0)) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}

const digestOf = (key: string, payload: Uint8Array) => createHash('sha256').update(key).update(payload).digest();

/** The cache made for `key`, if there is one and it is intact. */
export function readCache(dir: string, key: string): Buffer | undefined {
  let file: Buffer;
  try {
    file = readFileSync(join(dir, PREFIX + key + SUFFIX));
  } catch {
    return undefined;
  }
  const payload = file.subarray(DIGEST_BYTES);
  return file.length > DIGEST_BYTES && digestOf(key, payload).equals(file.subarray(0, DIGEST_BYTES)) ? payload : undefined;
}

/** Writes the cache for `key` (a temporary file renamed into place) and drops the ones made for other keys, and temporaries a killed server left. */
export function writeCache(dir: string, key: string, payload: Uint8Array): void {
  const name = PREFIX + key + SUFFIX;
  const temporary = join(dir, `.${name}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, Buffer.concat([digestOf(key, payload), payload]), { mode: 0o600, flag: 'wx' });
    renameSync(temporary, join(dir, name));
  } catch {
    try {
      unlinkSync(temporary);
    } catch {
      // Nothing was written.
    }
    return;
  }
  for (const other of readdirSync(dir)) {
    if (other !== name && ((other.startsWith(PREFIX) && other.endsWith(SUFFIX)) || (other.startsWith(`.${PREFIX}`) && other.endsWith('.tmp')))) {
      try {
        unlinkSync(join(dir, other));
      } catch {
        // Another server may have removed it first.
      }
    }
  }
}

/** A CommonJS module's function, as Node wraps one; on the first line, so line numbers stay the bundle's. */
const wrap = (source: string) => `(function (exports, require, module, __filename, __dirname) {${source}\n})`;

export interface Compiled {
  /** The module function (exports, require, module, __filename, __dirname). */
  readonly run: (...args: unknown[]) => unknown;
  /** Whether a cache was given and V8 took it. */
  readonly cached: boolean;
  /** Makes the cache from what has been compiled so far (call it once the code has run a while). */
  readonly makeCache: () => Buffer;
}

/** Compiles a CommonJS bundle's text with the cache, if any; V8 compiles it afresh when it refuses one. */
export function compile(file: string, source: string, cache: Buffer | undefined): Compiled {
  const script = new Script(wrap(source), { filename: file, ...(cache ? { cachedData: cache } : {}) });
  return {
    run: script.runInThisContext() as (...args: unknown[]) => unknown,
    cached: cache !== undefined && script.cachedDataRejected === false,
    makeCache: () => script.createCachedData(),
  };
}
