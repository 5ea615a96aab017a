/**
 * `WWW-Authenticate` challenges (RFC 7235): several challenges in one header, auth-params with
 * quoted strings that may contain commas. A real tokenizer, not a split on ",".
 */
export interface Challenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

export function parseChallenges(header: string): Challenge[] {
  const challenges: { scheme: string; params: Record<string, string> }[] = [];
  let i = 0;
  const skip = (re: RegExp) => {
    while (i < header.length && re.test(header[i]!)) i++;
  };
  const token = () => {
    const start = i;
    skip(/[!#$%&'*+.^_`|~0-9A-Za-z-]/);
    return header.slice(start, i);
  };
  while (i < header.length) {
    skip(/[\s,]/);
    const word = token();
    if (!word) {
      i++;
      continue;
    }
    skip(/[ \t]/);
    if (header[i] === '=' && challenges.length > 0) {
      // A parameter of the current challenge.
      i++;
      skip(/[ \t]/);
      let value = '';
      if (header[i] === '"') {
        i++;
        while (i < header.length && header[i] !== '"') {
          if (header[i] === '\\' && i + 1 < header.length) i++;
          value += header[i++];
        }
        i++;
      } else {
        value = token();
      }
      challenges.at(-1)!.params[word.toLowerCase()] = value;
    } else {
      challenges.push({ scheme: word.toLowerCase(), params: {} });
    }
  }
  return challenges;
}
