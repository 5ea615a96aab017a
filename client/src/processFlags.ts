/**
 * How the language server's Node process is started. A server that re-parses a file on every
 * keystroke makes a lot of short-lived garbage; V8's default young generation (up to 16 MB per
 * semi-space) lets that garbage sit in resident memory. A 1 MB semi-space and V8's size-optimised
 * mode keep resident memory near the live data for a small CPU cost (figures: `npm run bench`).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];
