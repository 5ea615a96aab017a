/**
 * The one Node global the web build needs: dockerfile-ast's parser asks whether a document starts
 * with a UTF-8 byte order mark by encoding its first character with `Buffer.from(char, 'UTF-8')`,
 * on every parse. This gives it those bytes; esbuild injects it into the browser server bundle
 * only, in place of the free `Buffer` (nothing else in that bundle uses it; the architecture test
 * keeps Node's modules out, and this is no module of Node's).
 */
const encoder = new TextEncoder();

export const Buffer = {
  from: (text: string): Uint8Array => encoder.encode(text),
};
