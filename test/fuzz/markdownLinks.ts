// What a Markdown renderer (VS Code's marked, GFM) could turn into a link or an image, outside the
// links a caller built itself: inline links, images, reference links and definitions (any unescaped
// `[`), autolinks and raw HTML (an unescaped `<` before a letter), and GFM's extended autolinks
// (`http://`, `https://`, `ftp://`, `www.`, `mailto:`, e-mail addresses). Code spans are literal and
// skipped; backslash escapes are honoured. Conservative on purpose: it reports what might link.

/** The Markdown with its code spans replaced by a space (CommonMark: a run of n backticks to the next run of exactly n). */
export function withoutCodeSpans(markdown: string): string {
  let out = '';
  for (let i = 0; i < markdown.length; ) {
    const c = markdown[i]!;
    if (c === '\\') {
      out += markdown.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c !== '`') {
      out += c;
      i++;
      continue;
    }
    let n = 0;
    while (markdown[i + n] === '`') n++;
    let close = -1;
    for (let j = i + n; j < markdown.length; ) {
      if (markdown[j] !== '`') {
        j++;
        continue;
      }
      let m = 0;
      while (markdown[j + m] === '`') m++;
      if (m === n) {
        close = j;
        break;
      }
      j += m;
    }
    if (close === -1) {
      out += markdown.slice(i, i + n);
      i += n;
    } else {
      out += ' ';
      i = close + n;
    }
  }
  return out;
}

const AUTOLINK = /(?:https?|ftp):\/\/|www\.|(?:mailto|xmpp):[A-Za-z0-9._+-]+@|[A-Za-z0-9._+-]@[A-Za-z0-9_-]+\.[A-Za-z0-9]/i;

/** Everything that might render as a link or image, once the `allowed` links (exact Markdown) are taken out. */
export function unexpectedLinks(markdown: string, allowed: readonly string[] = []): string[] {
  let text = markdown;
  for (const link of allowed) text = text.split(link).join(' ');
  text = withoutCodeSpans(text);
  const found: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') found.push(`bracket: ${text.slice(Math.max(0, i - 20), i + 60)}`);
    if (c === '<' && /[A-Za-z/!?]/.test(text[i + 1] ?? '')) found.push(`angle: ${text.slice(i, i + 60)}`);
  }
  // Escapes break the autolink patterns as they break marked's (`https\://`, `www\.`, `a\@b`).
  for (const line of text.split('\n')) {
    const match = AUTOLINK.exec(line);
    if (match) found.push(`autolink: ${line.slice(Math.max(0, match.index - 20), match.index + 60)}`);
  }
  return found;
}
