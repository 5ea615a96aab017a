/**
 * A V8 code cache for the server bundle, so a warm start skips compiling it (Node 20 has no
 * `module.enableCompileCache`). The cache lives only in the private directory the client names
 * (the extension's global storage): a planted cache is code, so a directory another user can write
 * to is never read. One file per bundle, Node and V8 flags, written atomically.
 *
 * V8 checks the version and flags a cache was made with, and the source only by its length; a
 * flipped byte in the payload is accepted, and can crash. So the server runs with
 * `--verify-snapshot-checksum` (client/src/processFlags.ts), under which V8 writes a checksum into
 * each cache it makes and refuses one that does not match, and the cache is used only under that
 * flag. `node:crypto` is not used here: loading it took 12-20 ms of a start under the server's flags.
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';

const PREFIX = 'server-';
const SUFFIX = '.v8cache';
/** The flag under which V8 checksums the caches it makes and checks those it is given. */
export const CHECKSUM_FLAG = '--verify-snapshot-checksum';

/** V8's spellings of the flag and of its negation; the last one given wins. */
const CHECKSUM_SPELLING = /^--(no-?)?verify[-_]snapshot[-_]checksum(?:=(true|false))?$/;

/** Whether V8 checks caches in this process, which the cache's use depends on. */
export function checksummed(execArgv: readonly string[]): boolean {
  const last = execArgv.map((arg) => CHECKSUM_SPELLING.exec(arg)).findLast((match) => match !== null);
  return last !== undefined && !last[1] && last[2] !== 'false';
}

/** FNV-1a over the text's UTF-16 units, in two 32-bit lanes with different offsets: a file name, not a defence. */
function fnv64(text: string): string {
  let low = 0x811c9dc5;
  let high = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    low = Math.imul(low ^ unit, 0x01000193);
    high = Math.imul(high ^ unit, 0x01000193) ^ (low >>> 13);
  }
  return (high >>> 0).toString(16).padStart(8, '0') + (low >>> 0).toString(16).padStart(8, '0');
}

/**
 * What a cache was made for: the bundle, Node (with its V8) and the flags V8 runs with. V8 matches
 * a cache to a source by length alone, so the bundle is named by its path, size, inode and times:
 * an install or a build writes a new file, and the change time moves with every write or rename
 * even where a copy keeps the modification time.
 */
export function cacheKey(bundle: { readonly path: string; readonly size: number; readonly ino: number; readonly mtimeMs: number; readonly ctimeMs: number }, env: { readonly version: string; readonly arch: string; readonly execArgv: readonly string[]; readonly nodeOptions?: string | undefined }): string {
  return fnv64([bundle.path, bundle.size, bundle.ino, bundle.mtimeMs, bundle.ctimeMs, env.version, env.arch, env.execArgv.join(' '), env.nodeOptions ?? ''].join('\0'));
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

/** The cache made for `key`, if there is one; whether it is intact V8 decides (see above). */
export function readCache(dir: string, key: string): Buffer | undefined {
  try {
    const file = readFileSync(join(dir, PREFIX + key + SUFFIX));
    return file.length > 0 ? file : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the cache for `key` (a temporary file renamed into place) and drops the ones made for other keys, and temporaries a killed server left. */
export function writeCache(dir: string, key: string, payload: Uint8Array): void {
  const name = PREFIX + key + SUFFIX;
  const temporary = join(dir, `.${name}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, payload, { mode: 0o600, flag: 'wx' });
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
