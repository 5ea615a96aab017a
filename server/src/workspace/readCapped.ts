/**
 * The one reader for every file dockwise opens from a workspace (Dockerfiles, compose, bake and
 * devcontainer files, `.dockerignore`, `.gitignore`, `.hadolint.yaml`): the repository is not
 * trusted, so a file is read only if it is a regular file, no bigger than its kind's cap, and, when
 * `within` is given, really inside one of those folders (its real path, so a symbolic link, or a
 * folder on the way that is one, cannot lead out). A FIFO or a device is refused from its `lstat`/`stat`
 * without being opened; the open itself is non-blocking and checked again with `fstat`, and reading
 * stops at the cap even if the file grows meanwhile. Whatever is refused comes back as one line
 * saying why.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';

export type FileKind = 'dockerfile' | 'compose' | 'bake' | 'devcontainer' | 'hadolint' | 'dockwise' | 'ignore';

/**
 * Bytes read at most, by kind. Dockerfiles: a bit above the engine's 512 KB analysis limit, so a
 * file between the two still gets the engine's own "not analysed" line with its line count.
 * YAML costs the most to parse (the `yaml` package reads 1.5 to 3 s per MB once warm, a first 64 KB
 * file took 0.55 s of CPU here, and 0.2 to 0.7 s warm on a loaded machine; hadolint's and dockwise's own configs are read with
 * key-uniqueness checks that are quadratic in the keys of a mapping), so YAML files get less than
 * the linear HCL and JSON readers (a 1 MB bake file reads in ~0.4 s). The largest compose file among
 * the projects beside the repository is 2 KB.
 */
export const READ_LIMITS: Readonly<Record<FileKind, number>> = {
  dockerfile: 1024 * 1024,
  compose: 32 * 1024,
  bake: 1_000_000,
  devcontainer: 1_000_000,
  hadolint: 16 * 1024,
  dockwise: 16 * 1024,
  ignore: 256 * 1024,
};

export type Refusal = 'missing' | 'not-regular' | 'outside' | 'too-large' | 'unreadable';
export type ReadResult = { readonly text: string } | { readonly problem: string; readonly reason: Refusal; readonly bytes?: number };

export interface ReadOptions {
  /** Folders the file must really lie in (after resolving every symbolic link); none means anywhere. */
  readonly within?: readonly string[];
}

const sizeText = (bytes: number) => (bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MB` : bytes % 1_000_000 === 0 ? `${bytes / 1_000_000} MB` : `${Math.round(bytes / 1024)} KB`);

/** What a non-regular file is, for the message. */
export function typeOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** Whether `path` is `root` or below it (both real, absolute paths). */
export function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

/** The real path of each folder that exists. */
export function realRoots(roots: readonly string[]): string[] {
  return roots.flatMap((root) => {
    try {
      return [realpathSync(root)];
    } catch {
      return [];
    }
  });
}

/** The real path, or undefined when it (or what a link points to) does not exist. */
export function realPath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

export function readCapped(path: string, kind: FileKind, options: ReadOptions = {}): ReadResult {
  const cap = READ_LIMITS[kind];
  let link: Stats | undefined;
  try {
    link = lstatSync(path, { throwIfNoEntry: false });
  } catch (error) {
    return { problem: `not read: ${message(error)}`, reason: 'unreadable' };
  }
  if (!link) return { problem: 'not found', reason: 'missing' };
  const symlink = link.isSymbolicLink();
  let real = path;
  if (symlink || options.within?.length) {
    const resolved = realPath(path);
    // A link to nothing is as good as no file.
    if (resolved === undefined) return symlink ? { problem: 'a symbolic link to nothing', reason: 'missing' } : { problem: 'not found', reason: 'missing' };
    real = resolved;
  }
  let stat: Stats;
  try {
    stat = symlink ? statSync(real) : link;
  } catch (error) {
    return { problem: `not read: ${message(error)}`, reason: 'unreadable' };
  }
  const what = symlink ? `a symbolic link to ${real}, ` : '';
  if (!stat.isFile()) return { problem: `${what}${symlink ? typeOf(stat) : `not a regular file (${typeOf(stat)})`}, not read`, reason: 'not-regular' };
  if (options.within?.length) {
    const roots = realRoots(options.within);
    if (!roots.some((root) => isInside(real, root))) {
      return { problem: `${symlink ? what : `really ${real}, `}outside ${roots.length === 1 && options.within.length === 1 ? options.within[0] : 'the workspace'}, not read`, reason: 'outside' };
    }
  }
  if (stat.size > cap) return { problem: `larger than ${sizeText(cap)} (${stat.size} bytes), not read`, reason: 'too-large', bytes: stat.size };
  let fd: number;
  try {
    fd = openSync(real, OPEN_FLAGS);
  } catch (error) {
    return { problem: `not read: ${message(error)}`, reason: 'unreadable' };
  }
  try {
    // Swapped for something else between the stat and the open?
    const opened = fstatSync(fd);
    if (!opened.isFile()) return { problem: `not a regular file (${typeOf(opened)}), not read`, reason: 'not-regular' };
    const buffer = Buffer.allocUnsafe(Math.min(cap, Math.max(opened.size, 4096)) + 1);
    let length = 0;
    let chunk = buffer;
    for (;;) {
      if (length === chunk.length) {
        if (chunk.length > cap) break;
        const bigger = Buffer.allocUnsafe(Math.min(cap + 1, chunk.length * 2));
        chunk.copy(bigger, 0, 0, length);
        chunk = bigger;
      }
      const read = readSync(fd, chunk, length, chunk.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > cap) return { problem: `larger than ${sizeText(cap)} (grew while being read), not read`, reason: 'too-large', bytes: length };
    return { text: chunk.toString('utf8', 0, length) };
  } catch (error) {
    return { problem: `not read: ${message(error)}`, reason: 'unreadable' };
  } finally {
    closeSync(fd);
  }
}

/**
 * Standard input (or another open descriptor), read up to a kind's cap: `cat /dev/zero | dockwise
 * lint -` is refused once the cap is passed instead of filling memory.
 */
export function readDescriptorCapped(fd: number, kind: FileKind): ReadResult {
  const cap = READ_LIMITS[kind];
  const chunks: Buffer[] = [];
  let length = 0;
  const chunk = Buffer.allocUnsafe(64 * 1024);
  for (;;) {
    let read: number;
    try {
      read = readSync(fd, chunk, 0, chunk.length, null);
    } catch (error) {
      // A non-blocking pipe with nothing yet: wait a little and ask again.
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      if ((error as NodeJS.ErrnoException).code === 'EOF') break;
      return { problem: `not read: ${message(error)}`, reason: 'unreadable' };
    }
    if (read === 0) break;
    length += read;
    if (length > cap) return { problem: `larger than ${sizeText(cap)}, not read`, reason: 'too-large', bytes: length };
    chunks.push(Buffer.from(chunk.subarray(0, read)));
  }
  return { text: Buffer.concat(chunks, length).toString('utf8') };
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

