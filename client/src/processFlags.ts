import { ServerEnvironment } from '../../shared/protocol';

/**
 * How the language server's Node process is started. A server that re-parses a file on every
 * keystroke makes a lot of short-lived garbage, and V8's defaults let it sit in resident memory
 * (figures: `npm run bench`, section 4b, and the commits that set these):
 * - `--max-semi-space-size=2`: the young generation grows to 16 MB per semi-space by default; 2 MB
 *   holds a keystroke's garbage.
 * - `--heap-growing-percent=100`: by default the old generation may grow to about four times the
 *   live data before a full collection (typing in the bench's 500-line file: ~40 MiB live, ~160 MiB
 *   of old space); 100 % keeps it within about twice. 20 % keeps less again (~7 MiB) but cost ~40 %
 *   more CPU per keystroke in the full collections it adds; `--optimize-for-size` made each
 *   keystroke ~1.8 times slower.
 * - `--expose-gc`: the server collects once it goes quiet after a burst of work
 *   (server/src/node/idleCollection.ts), which returns the pages the burst grew the heap by.
 * - `--verify-snapshot-checksum`: V8 checksums the server's code cache and refuses a damaged one
 *   (server/src/node/codeCache.ts); the cache is used only with it. It costs V8 a checksum of the
 *   ~1 MB cache when reading and writing it; the other cost of a V8 flag (Node then loads its own
 *   modules without their built-in code cache, ~3 times slower) the flags above already pay.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--heap-growing-percent=100', '--expose-gc', '--verify-snapshot-checksum'];

/**
 * The server's environment over the editor's (`parent`), with two kinds of setting.
 *
 * NODE_EXTRA_CA_CERTS is handed over under another name (shared/protocol.ts). When that variable is
 * set, Node reads the file and builds its whole certificate store as the process starts, whether or
 * not it ever opens a TLS connection: on the bench machine, where it names Debian's 140-certificate
 * bundle, an empty Node script took 115-127 ms to start with it and 36-42 ms without (20 runs each).
 * The server reads the file itself when the registry client first connects, and trusts it as Node
 * would have.
 *
 * glibc's allocator, for the server's process (measured in bench section 4b, RSS after opening the
 * corpus, with the flags above):
 * - `MALLOC_ARENA_MAX=1`: by default each thread that allocates (V8's compiler and GC helpers) may
 *   get an arena of its own, up to eight per core, and each keeps what it freed: ~7 MiB here.
 * - `MALLOC_MMAP_THRESHOLD_=32768`: blocks from 32 KiB (the compiler's zones) are mapped on their
 *   own and unmapped when freed, instead of left as holes in the heap that glibc cannot return:
 *   ~4 MiB at start and after the corpus. Setting it also stops glibc raising the threshold as
 *   large blocks come and go.
 */
export function serverEnvironment(parent: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const extraCaCerts = parent.NODE_EXTRA_CA_CERTS;
  // A variable set to `undefined` is left out of the child's environment by Node's spawn.
  const deferred = extraCaCerts ? { NODE_EXTRA_CA_CERTS: undefined, [ServerEnvironment.deferredExtraCaCerts]: extraCaCerts } : {};
  return { MALLOC_ARENA_MAX: '1', MALLOC_MMAP_THRESHOLD_: '32768', ...deferred };
}
