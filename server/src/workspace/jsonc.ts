/**
 * JSON with comments and trailing commas, as devcontainer.json is written: one pass blanks the
 * comments and the commas before `}` or `]` (strings are copied as they are), then JSON.parse
 * reads the rest, so its errors and its speed are JSON's.
 */
export function parseJsonc(text: string): unknown {
  const out: string[] = [];
  /** Where in `out` the last comma is, while only blanks and comments have followed it. */
  let comma = -1;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"' && text[end] !== '\n') end += text[end] === '\\' ? 2 : 1;
      out.push(text.slice(i, end + 1));
      i = end + 1;
      comma = -1;
    } else if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      const block = text[i + 1] === '*';
      const close = block ? text.indexOf('*/', i + 2) : text.indexOf('\n', i);
      const end = close < 0 ? text.length : close + (block ? 2 : 0);
      // Blanked with its line breaks kept, so JSON.parse reports the right place.
      out.push(text.slice(i, end).replace(/[^\n]/g, ' '));
      i = end;
    } else {
      if ((c === '}' || c === ']') && comma >= 0) out[comma] = ' ';
      if (c === ',') comma = out.length;
      else if (!/\s/.test(c)) comma = -1;
      out.push(c);
      i++;
    }
  }
  return JSON.parse(out.join(''));
}
