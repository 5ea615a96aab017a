/**
 * Text from a Dockerfile reaches terminals, CI logs and other tools inside messages and paths.
 * Control characters (C0 but tab, DEL, C1) in it would be obeyed there (colours, cursor moves,
 * OSC 8 links, a faked clean log), so no format prints them raw.
 */

const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;
/** JSON.stringify escapes C0 itself but leaves DEL and C1 raw. */
const JSON_UNESCAPED = /[\x7f-\x9f]/g;

const hex = (c: string) => c.charCodeAt(0).toString(16).padStart(2, '0');

/** Control characters as visible `\xHH`; those in `keep` stay (the caller escapes them its own way). */
export function visible(text: string, keep = ''): string {
  return text.replace(CONTROL, (c) => (keep.includes(c) ? c : `\\x${hex(c)}`));
}

/** Pretty JSON with every control character escaped. */
export function jsonDocument(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(JSON_UNESCAPED, (c) => `\\u00${hex(c)}`)}\n`;
}

/**
 * An XML 1.0 attribute value. C0 characters other than tab and line ends are not allowed in XML 1.0
 * even as references, so they become visible `\xHH`; DEL and C1 become numeric references.
 */
export function xmlAttribute(text: string): string {
  return text.replace(/[&<>"'\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g, (c) => {
    const named: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
    if (named[c]) return named[c];
    const code = c.charCodeAt(0);
    return code === 0x09 || code === 0x0a || code === 0x0d || code >= 0x7f ? `&#x${hex(c)};` : `\\x${hex(c)}`;
  });
}
