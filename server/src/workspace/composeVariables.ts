/**
 * Compose's `${VAR}` interpolation, as far as it can be done without the user's shell: the shell
 * and `.env` are not read, so a variable is taken to be unset. `${VAR:-default}` and
 * `${VAR-default}` give their default (itself interpolated); anything that needs the variable's
 * value (`${VAR}`, `$VAR`, `${VAR:?error}`, `${VAR:+alternative}`) makes the whole value unknown,
 * so the caller leaves it out instead of guessing. `$$` is a literal `$`.
 */

/** Defaults nest (`${A:-${B:-x}}`) at most this deep. */
const MAX_NESTING = 8;

/** The value with its defaults substituted, or undefined when it needs a variable's value. */
export function interpolate(text: string): string | undefined {
  const scanned = scan(text, 0, 0);
  return scanned && scanned.end === text.length ? scanned.value : undefined;
}

/** From `start` to the end, or, inside a `${…:-…}` default (depth > 0), to its closing `}`. */
function scan(text: string, start: number, depth: number): { value: string | undefined; end: number } | undefined {
  let value = '';
  let known = true;
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (depth > 0 && c === '}') return { value: known ? value : undefined, end: i };
    if (c !== '$') {
      value += c;
      i++;
      continue;
    }
    const next = text[i + 1] ?? '';
    if (next === '$') {
      value += '$';
      i += 2;
    } else if (next === '{') {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 2, i + 258))?.[0];
      if (!name) return undefined;
      const after = i + 2 + name.length;
      if (text[after] === '}') {
        known = false;
        i = after + 1;
        continue;
      }
      const operator = /^:?[-?+]/.exec(text.slice(after, after + 2))?.[0];
      if (!operator || depth >= MAX_NESTING) return undefined;
      const inner = scan(text, after + operator.length, depth + 1);
      if (!inner) return undefined;
      if (operator.endsWith('-') && inner.value !== undefined) value += inner.value;
      else known = false;
      i = inner.end + 1;
    } else if (/[A-Za-z_]/.test(next)) {
      known = false;
      i += 1 + /^[A-Za-z0-9_]*/.exec(text.slice(i + 1, i + 257))![0].length;
    } else {
      value += '$';
      i++;
    }
  }
  // A default without its closing brace is a syntax error for compose too.
  return depth > 0 ? undefined : { value: known ? value : undefined, end: i };
}
