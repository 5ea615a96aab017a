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
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--heap-growing-percent=100'];
