/**
 * Globbing a folder the repository controls: symbolic links to folders are never followed (a
 * `root -> /` or a `self -> .` is not walked), a link to a regular file is kept only if that file
 * really lies inside; folders are read a few entries at a time and the entries read are counted, so
 * the walk stops at a bound, saying so, without ever holding a huge folder's listing; and what is
 * found is kept once per real path and only if it really lies in the folder.
 */
import { opendir, statSync } from 'node:fs';
import { join } from 'node:path';
import { glob } from 'tinyglobby';
import { isInside, realPath } from './readCapped';

/** Folder entries one crawl reads at most: far more than any repository's tree outside node_modules and .git. */
export const MAX_CRAWLED = 200_000;

export interface Crawl {
  /** Absolute paths as found under the root (not resolved), sorted, one per real file. */
  readonly files: string[];
  /** Folder entries read. */
  readonly crawled: number;
  /** Set when the walk stopped at the bound: one line saying where. */
  readonly stopped?: string;
}

export interface CrawlOptions {
  readonly root: string;
  readonly ignore?: readonly string[];
  readonly maxEntries?: number;
  /** Where the results must really lie; the root by default. */
  readonly within?: readonly string[];
}

/** What the walker (fdir, under tinyglobby) asks of an entry. */
interface Entry {
  readonly name: string;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}
type ReaddirCallback = (error: NodeJS.ErrnoException | null, entries: Entry[]) => void;

export async function crawl(patterns: readonly string[], options: CrawlOptions): Promise<Crawl> {
  const max = options.maxEntries ?? MAX_CRAWLED;
  const roots = (options.within ?? [options.root]).flatMap((r) => realPath(r) ?? []);
  const controller = new AbortController();
  let crawled = 0;
  let stopped = false;
  const stop = () => {
    stopped = true;
    controller.abort();
  };
  /** A link stands for the regular file it leads to, if that lies inside; anything else through a link is left out. */
  const resolveLink = (folder: string, name: string): Entry | undefined => {
    const real = realPath(join(folder, name));
    if (!real || !roots.some((root) => isInside(real, root))) return undefined;
    const target = statSync(real, { throwIfNoEntry: false });
    return target?.isFile() ? { name, isFile: () => true, isDirectory: () => false, isSymbolicLink: () => false } : undefined;
  };
  // The folder is opened in the background; its entries are then taken a buffer at a time, each
  // counted, so that a folder of a million entries never becomes one array and the bound is exact.
  const boundedReaddir = (path: string, _options: unknown, callback: ReaddirCallback) => {
    if (crawled >= max) {
      stop();
      callback(null, []);
      return;
    }
    opendir(path, { bufferSize: 256 }, (error, dir) => {
      if (error) {
        callback(error, []);
        return;
      }
      const entries: Entry[] = [];
      try {
        for (let entry = dir.readSync(); entry; entry = dir.readSync()) {
          if (crawled >= max) {
            stop();
            break;
          }
          crawled++;
          const kept = entry.isSymbolicLink() ? resolveLink(path, entry.name) : entry;
          if (kept) entries.push(kept);
        }
      } catch {
        // A folder that fails half-way has what was read.
      } finally {
        try {
          dir.closeSync();
        } catch {
          // Already closed.
        }
      }
      callback(null, entries);
    });
  };
  const found = await glob([...patterns], {
    cwd: options.root,
    absolute: true,
    dot: true,
    followSymbolicLinks: false,
    ignore: [...(options.ignore ?? [])],
    signal: controller.signal,
    fs: { readdir: boundedReaddir as never },
  }).catch(() => [] as string[]);
  const seen = new Set<string>();
  const files: string[] = [];
  for (const file of found.sort()) {
    const real = realPath(file);
    if (!real || seen.has(real) || !roots.some((root) => isInside(real, root))) continue;
    seen.add(real);
    files.push(file);
  }
  const note = stopped ? `stopped looking in ${options.root} after ${max.toLocaleString('en')} folder entries; files further in are left out` : undefined;
  return { files, crawled, ...(note ? { stopped: note } : {}) };
}
