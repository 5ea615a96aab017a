/**
 * What a registry string must look like before dockwise keeps it: tags, digests and platform
 * fields by their grammars, dates only when they are RFC 3339 timestamps, free text without control
 * or bidirectional-override characters and with a bound. Pure (no imports), so the editor features
 * can share it; the hover and the report still escape or code-span whatever passes.
 */

/** OCI distribution spec: `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`. */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
/** The digests dockwise can check: sha256 and sha512, lower-case hex of the full length. */
const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
/** containerd's platform specifier component: `os`, `architecture` and `variant`. */
const PLATFORM_FIELD = /^[A-Za-z0-9_-]{1,32}$/;
/** RFC 3339 date-time (what OCI configs and Docker Hub send), with up to nanoseconds. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$/;
/** C0/C1 controls, and the characters that reorder text as it is displayed (Trojan Source). */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

export const MAX_TAGS = 10_000;
export const MAX_TEXT = 1024;

export const isTag = (value: unknown): value is string => typeof value === 'string' && TAG.test(value);
export const isDigest = (value: unknown): value is string => typeof value === 'string' && DIGEST.test(value);
export const isPlatformField = (value: unknown): value is string => typeof value === 'string' && PLATFORM_FIELD.test(value);

/** `os/arch[/variant]` whose parts all follow the grammar. */
export const isPlatformName = (name: string): boolean => {
  const parts = name.split('/');
  return parts.length >= 2 && parts.length <= 3 && parts.every((p) => PLATFORM_FIELD.test(p));
};

/** The timestamp when it is one (RFC 3339 and a real instant), else `undefined`. */
export function timestamp(value: unknown): string | undefined {
  if (typeof value !== 'string' || !TIMESTAMP.test(value)) return undefined;
  return Number.isFinite(Date.parse(value)) ? value : undefined;
}

/** Free text as kept: no controls or bidi overrides, whitespace runs as one space, at most `max` characters. */
export function plainText(value: unknown, max = MAX_TEXT): string | undefined {
  if (typeof value !== 'string') return undefined;
  const clean = value.replace(/\s+/g, ' ').replace(UNPRINTABLE, '').trim();
  if (!clean) return undefined;
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** A non-negative whole number of bytes, else 0. */
export const byteCount = (value: unknown): number => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0);
