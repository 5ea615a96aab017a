/**
 * Variable expansion the way BuildKit's shell lexer does it for instruction arguments
 * (frontend/dockerfile/shell/lex.go `processDollar`): `$NAME`, `${NAME}`, the modifiers
 * `:-` `-` `:+` `+` `:?` `?`, the pattern trims `#` `##` `%` `%%`, the replacements `/` and `//`,
 * nested expansions in the words, and quotes removed as the lexer removes them.
 * Unknown names are reported instead of guessed, so callers can tell a resolved reference from one
 * that depends on a build argument nobody set; a form the lexer refuses is reported too.
 */
export interface Expansion {
  readonly value: string;
  /** Names that were needed but had no value. */
  readonly unresolved: readonly string[];
  /** BuildKit's lexer refuses the text (`bad substitution`, a missing `}`, `:?` on an empty value …). */
  readonly error?: string;
}

export type Lookup = (name: string) => string | undefined;

const NAME_START = /[\p{L}_]/u;
const NAME_CHAR = /[\p{L}\p{Nd}_]/u;
const DIGIT = /\p{Nd}/u;
/** `$@`, `$#`, `$?` …: the lexer reads these as one-character names. */
const SPECIAL = /[@*#?\-$!0]/;

class Refused extends Error {}

interface State {
  readonly text: string;
  pos: number;
  readonly lookup: Lookup;
  readonly escape: string;
  readonly unresolved: string[];
  readonly unsetFails: boolean;
}

/**
 * `quotes`: remove quotes as the lexer does (FROM, COPY, ENV … see it so); `false` keeps them as
 * written, for callers that only want variables resolved. `unsetFails`: a name without value is
 * unset, as the builder sees it, so `${NAME?}` and `${NAME:?}` fail on it as the lexer does;
 * otherwise such a name is only reported in `unresolved`.
 */
export function expand(text: string, lookup: Lookup, escapeChar = '\\', quotes = false, unsetFails = false): Expansion {
  // Most words hold nothing the lexer acts on: they are their own value (BuildKit's checks expand every word).
  if (plainUpTo(text, 0, escapeChar, quotes, undefined) === text.length) return { value: text, unresolved: NONE };
  const state: State = { text, pos: 0, lookup, escape: escapeChar, unresolved: [], unsetFails };
  try {
    const value = word(state, undefined, quotes);
    return { value, unresolved: [...new Set(state.unresolved)] };
  } catch (error) {
    return { value: text, unresolved: [...new Set(state.unresolved)], error: error instanceof Refused ? error.message : String(error) };
  }
}

/** Reads up to `stop` (consumed) or the end; the lexer's processStopOn. */
function word(s: State, stop: string | undefined, quotes: boolean, raw = false): string {
  let out = '';
  while (s.pos < s.text.length) {
    const ch = s.text[s.pos]!;
    if (stop !== undefined && ch === stop) {
      s.pos++;
      return out;
    }
    if (ch === '$') {
      out += dollar(s);
    } else if (quotes && ch === "'") {
      const close = s.text.indexOf("'", s.pos + 1);
      if (close === -1) {
        s.pos = s.text.length;
        throw new Refused('unexpected end of statement while looking for matching single-quote');
      }
      out += s.text.slice(s.pos + 1, close);
      s.pos = close + 1;
    } else if (quotes && ch === '"') {
      out += doubleQuoted(s);
    } else if (ch === s.escape) {
      s.pos++;
      if (raw) out += ch;
      if (s.pos < s.text.length) out += s.text[s.pos++]!;
    } else {
      // The run of characters up to the next one the lexer acts on, appended at once.
      const end = plainUpTo(s.text, s.pos + 1, s.escape, quotes, stop);
      out += s.text.slice(s.pos, end);
      s.pos = end;
    }
  }
  if (stop !== undefined) throw new Refused(`unexpected end of statement while looking for matching ${stop}`);
  return out;
}

const NONE: readonly string[] = Object.freeze([]);

/** Where the first character from `from` on is one `word` acts on (`$`, the escape, a quote when quotes count, `stop`), or the end. */
function plainUpTo(text: string, from: number, escape: string, quotes: boolean, stop: string | undefined): number {
  let i = from;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (ch === '$' || ch === escape || ch === stop || (quotes && (ch === "'" || ch === '"'))) break;
  }
  return i;
}

function doubleQuoted(s: State): string {
  let out = '';
  s.pos++;
  while (s.pos < s.text.length) {
    const ch = s.text[s.pos]!;
    if (ch === '"') {
      s.pos++;
      return out;
    }
    if (ch === '$') {
      out += dollar(s);
      continue;
    }
    s.pos++;
    if (ch === s.escape && s.pos < s.text.length && ['"', '$', s.escape].includes(s.text[s.pos]!)) out += s.text[s.pos++]!;
    else if (ch !== s.escape || s.pos < s.text.length) out += ch;
  }
  throw new Refused('unexpected end of statement while looking for matching double-quote');
}

/** The lexer's processName: a run of digits, one special character, or letters, digits and `_`. */
function name(s: State): string {
  const start = s.pos;
  const first = s.text[s.pos];
  if (first === undefined) return '';
  if (DIGIT.test(first)) {
    while (s.pos < s.text.length && DIGIT.test(s.text[s.pos]!)) s.pos++;
    return s.text.slice(start, s.pos);
  }
  if (SPECIAL.test(first)) return s.text[s.pos++]!;
  while (s.pos < s.text.length && NAME_CHAR.test(s.text[s.pos]!)) s.pos++;
  return s.text.slice(start, s.pos);
}

/** Positional and special parameters expand to nothing in the builder, and are no build argument anyone forgot. */
function value(s: State, variable: string): string | undefined {
  const found = s.lookup(variable);
  if (found === undefined && NAME_START.test(variable)) s.unresolved.push(variable);
  return found;
}

function dollar(s: State): string {
  s.pos++;
  if (s.text[s.pos] !== '{') {
    const n = name(s);
    if (n === '') return '$';
    return value(s, n) ?? '';
  }
  s.pos++;
  const next = s.text[s.pos];
  if (next === undefined) throw new Refused("syntax error: missing '}'");
  if (next === '{' || next === '}' || next === ':') throw new Refused('syntax error: bad substitution');
  const n = name(s);
  // At the end of the text the lexer's scanner gives its EOF rune, printed as U+FFFD.
  const op = s.text[s.pos++] ?? '\uFFFD';
  if (op === '}') return value(s, n) ?? '';
  if (op === '/') return replacement(s, n);
  const nullIsUnset = op === ':';
  const kind = nullIsUnset ? (s.text[s.pos++] ?? '\uFFFD') : op;
  const unsupported = () => new Refused(`unsupported modifier (${nullIsUnset ? `:${kind}` : kind}) in substitution`);
  if (!nullIsUnset && !['-', '+', '?', '#', '%'].includes(kind)) throw unsupported();
  if (nullIsUnset && (kind === '#' || kind === '%')) throw unsupported();
  const mark = s.unresolved.length;
  // After `:`, the lexer reads the word before it judges the modifier (`${V:=x}`).
  const rest = closed(s, '}', "syntax error: missing '}'", kind === '#' || kind === '%');
  if (!['-', '+', '?', '#', '%'].includes(kind)) throw unsupported();
  const found = s.lookup(n);
  const empty = found === undefined || (nullIsUnset && found === '');
  // Names in a word that is not used were not needed.
  const unused = () => {
    s.unresolved.length = mark;
  };
  switch (kind) {
    case '-':
      if (!empty) unused();
      return empty ? rest : found!;
    case '+':
      if (empty) unused();
      return empty ? '' : rest;
    case '?':
      if (found === undefined) {
        if (s.unsetFails) throw new Refused(`${n}: ${rest || 'is not allowed to be unset'}`);
        s.unresolved.push(n);
        return '';
      }
      if (empty) throw new Refused(`${n}: ${rest || 'is not allowed to be empty'}`);
      return found;
    default: {
      if (found === undefined) {
        s.unresolved.push(n);
        return '';
      }
      const greedy = rest.startsWith(kind);
      const pattern = patternRegExp(greedy ? rest.slice(1) : rest);
      return kind === '%' ? trimSuffix(found, pattern, greedy) : trimPrefix(found, pattern, greedy);
    }
  }
}

/** A word inside `${…}`: what fails at the end of the text is, in the lexer's words, the missing `stop`. */
function closed(s: State, stop: string, missing: string, raw: boolean): string {
  try {
    return word(s, stop, true, raw);
  } catch (error) {
    if (error instanceof Refused && s.pos >= s.text.length) throw new Refused(missing);
    throw error;
  }
}

function replacement(s: State, n: string): string {
  const all = s.text[s.pos] === '/';
  if (all) s.pos++;
  const pattern = closed(s, '/', "syntax error: missing '/' in ${}", true);
  const replaceWith = closed(s, '}', "syntax error: missing '}'", true);
  const found = value(s, n);
  if (found === undefined) return '';
  const re = new RegExp(patternSource(pattern), all ? 'g' : '');
  return found.replace(re, () => replaceWith);
}

/** A shell pattern (`*`, `?`, `[…]`, `\x`) as a regular expression source. */
function patternSource(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') out += '[\\s\\S]*';
    else if (ch === '?') out += '[\\s\\S]';
    else if (ch === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) out += '\\[';
      else {
        const body = pattern.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = close;
      }
    } else if (ch === '\\' && i + 1 < pattern.length) out += escapeRegExp(pattern[++i]!);
    else out += escapeRegExp(ch);
  }
  return out;
}

function patternRegExp(pattern: string): RegExp {
  return new RegExp(`^${patternSource(pattern)}$`);
}

function trimPrefix(text: string, pattern: RegExp, greedy: boolean): string {
  const lengths = [...Array(text.length + 1).keys()];
  for (const n of greedy ? lengths.reverse() : lengths) if (pattern.test(text.slice(0, n))) return text.slice(n);
  return text;
}

function trimSuffix(text: string, pattern: RegExp, greedy: boolean): string {
  const starts = [...Array(text.length + 1).keys()];
  for (const n of greedy ? starts : starts.reverse()) if (pattern.test(text.slice(n))) return text.slice(0, n);
  return text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
