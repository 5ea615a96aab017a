/**
 * Variable expansion the way BuildKit's shell lexer does it for instruction
 * arguments: `$NAME`, `${NAME}`, and the modifiers `:-` `-` `:+` `+`.
 * Unknown names are reported instead of guessed, so callers can tell a
 * resolved reference from one that depends on a build argument nobody set.
 */
export interface Expansion {
  readonly value: string;
  /** Names that were needed but had no value. */
  readonly unresolved: readonly string[];
}

export type Lookup = (name: string) => string | undefined;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const BRACED = /^\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}/;

export function expand(text: string, lookup: Lookup, escapeChar = '\\'): Expansion {
  let value = '';
  const unresolved: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === escapeChar && text[i + 1] === '$') {
      value += '$';
      i++;
      continue;
    }
    if (ch !== '$') {
      value += ch;
      continue;
    }
    const rest = text.slice(i + 1);
    const braced = BRACED.exec(rest);
    if (braced) {
      const [whole, name, modifier, word = ''] = braced;
      value += applyModifier(name!, modifier, word, lookup, unresolved, escapeChar);
      i += whole.length;
      continue;
    }
    const plain = NAME.exec(rest);
    if (plain) {
      const found = lookup(plain[0]);
      if (found === undefined) unresolved.push(plain[0]);
      value += found ?? '';
      i += plain[0].length;
      continue;
    }
    value += ch;
  }
  return { value, unresolved };
}

function applyModifier(
  name: string,
  modifier: string | undefined,
  word: string,
  lookup: Lookup,
  unresolved: string[],
  escapeChar: string,
): string {
  const found = lookup(name);
  const nested = () => {
    const inner = expand(word, lookup, escapeChar);
    unresolved.push(...inner.unresolved);
    return inner.value;
  };
  switch (modifier) {
    case ':-':
      return found ? found : nested();
    case '-':
      return found !== undefined ? found : nested();
    case ':+':
      return found ? nested() : '';
    case '+':
      return found !== undefined ? nested() : '';
    default:
      if (found === undefined) unresolved.push(name);
      return found ?? '';
  }
}
