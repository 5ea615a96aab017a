/**
 * Tokens of the HCL that `docker buildx bake` reads. One pass over the text with an explicit mode
 * stack (expressions, quoted templates, heredocs, interpolations inside them), no regex over the
 * whole text, so every character is looked at a bounded number of times whatever the input: bake
 * files come from the workspace, and a hostile one must not stall the language server.
 */

export type TokenKind =
  | 'ident'
  | 'number'
  | 'punct'
  /** `"` opening a quoted template; `cquote` closes it. */
  | 'oquote'
  | 'cquote'
  /** `<<EOT` / `<<-EOT` opening a heredoc template; `cheredoc` closes it. */
  | 'oheredoc'
  | 'cheredoc'
  /** Literal template text, escapes already applied. */
  | 'lit'
  /** `${` and `%{` inside a template; `templateEnd` is their `}`. */
  | 'interp'
  | 'directive'
  | 'templateEnd'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly line: number;
  /** `${~`, `~}` (whitespace strip markers) or `<<-` (indented heredoc). */
  readonly strip: boolean;
}

export class HclError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

type Mode =
  | { kind: 'expression'; braces: number; inTemplate: boolean }
  | { kind: 'quoted' }
  | { kind: 'heredoc'; marker: string; lineStart: boolean };

/** Punctuation by its first character, longest first. */
const PUNCTS = new Map<string, readonly string[]>();
for (const p of ['...', '==', '!=', '<=', '>=', '&&', '||', '=>', '{', '}', '[', ']', '(', ')', '=', ',', ':', '.', '?', '!', '+', '-', '*', '/', '%', '<', '>']) PUNCTS.set(p[0]!, [...(PUNCTS.get(p[0]!) ?? []), p]);
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

// Sticky patterns, each matched at one position for one token or run of text: simple character
// classes in sequence, so a match costs the characters it consumes and nothing is scanned twice.
const BLANKS = /[ \t\r]+/y;
const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;
const NUMBER = /[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEREDOC = /<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/y;
const QUOTED_TEXT = /[^"\\\n$%]+/y;
const HEREDOC_TEXT = /[^\n$%]+/y;

/** The end of `pattern` matched at `at`, or -1; `test` rather than `exec`, so no match array is made. */
function endOf(pattern: RegExp, text: string, at: number): number {
  pattern.lastIndex = at;
  return pattern.test(text) ? pattern.lastIndex : -1;
}

/**
 * Hands out tokens one at a time as the parser asks for them, so a big file is never held as a
 * token list: what the parser has read is garbage at once, which keeps the collector's work small.
 */
export class Lexer {
  private i = 0;
  private line = 1;
  /** Template text gathered since the last token, given out as one `lit`. */
  private literal = '';
  private readonly modes: Mode[] = [{ kind: 'expression', braces: 0, inTemplate: false }];
  private readonly ready: Token[] = [];

  constructor(private readonly text: string) {}

  /** The next token; at the end, `eof` every time. */
  next(): Token {
    while (!this.ready.length) this.step();
    return this.ready.length > 1 || this.ready[0]!.kind !== 'eof' ? this.ready.shift()! : this.ready[0]!;
  }

  private push(kind: TokenKind, value: string, strip = false): void {
    // Every token has the same fields, so the parser's reads of them stay monomorphic.
    this.ready.push({ kind, text: value, line: this.line, strip });
  }

  private flush(): void {
    if (this.literal) this.push('lit', this.literal);
    this.literal = '';
  }

  /** One step of the mode on top: a token in an expression, or a template's text up to its next token. */
  private step(): void {
    const { text } = this;
    const mode = this.modes[this.modes.length - 1]!;
    if (this.i >= text.length) {
      if (mode.kind === 'quoted') throw new HclError(this.line, 'unclosed string');
      if (mode.kind === 'heredoc') throw new HclError(this.line, `unclosed heredoc (no line "${mode.marker}")`);
      if (mode.inTemplate) throw new HclError(this.line, 'unclosed ${ in a string');
      this.push('eof', '');
      return;
    }
    if (mode.kind === 'quoted') return this.quoted();
    if (mode.kind === 'heredoc') return this.heredoc(mode);

    const c = text[this.i]!;
    if (c === '\n') {
      this.line++;
      this.i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      this.i = endOf(BLANKS, text, this.i);
    } else if (c === '#' || (c === '/' && text[this.i + 1] === '/')) {
      const end = text.indexOf('\n', this.i);
      this.i = end < 0 ? text.length : end;
    } else if (c === '/' && text[this.i + 1] === '*') {
      const end = text.indexOf('*/', this.i + 2);
      if (end < 0) throw new HclError(this.line, 'unclosed /* comment');
      for (let j = text.indexOf('\n', this.i); j >= 0 && j < end; j = text.indexOf('\n', j + 1)) this.line++;
      this.i = end + 2;
    } else if (c === '"') {
      this.push('oquote', '"');
      this.modes.push({ kind: 'quoted' });
      this.i++;
    } else if (c === '<' && text[this.i + 1] === '<') {
      HEREDOC.lastIndex = this.i;
      const match = HEREDOC.exec(text);
      if (!match) throw new HclError(this.line, 'a heredoc needs <<MARKER and a line break');
      this.push('oheredoc', match[2]!, match[1] === '-');
      this.modes.push({ kind: 'heredoc', marker: match[2]!, lineStart: true });
      this.i += match[0].length;
      this.line++;
    } else if (c >= '0' && c <= '9') {
      const end = endOf(NUMBER, text, this.i);
      this.push('number', text.slice(this.i, end));
      this.i = end;
    } else if (mode.inTemplate && mode.braces === 0 && (c === '}' || (c === '~' && text[this.i + 1] === '}'))) {
      this.push('templateEnd', '}', c === '~');
      this.modes.pop();
      this.i += c === '~' ? 2 : 1;
    } else {
      const end = endOf(IDENT, text, this.i);
      if (end > 0) {
        this.push('ident', text.slice(this.i, end));
        this.i = end;
        return;
      }
      const punct = this.punct(c);
      if (!punct) throw new HclError(this.line, `unexpected character ${JSON.stringify(c)}`);
      if (punct === '{') mode.braces++;
      if (punct === '}' && mode.braces > 0) mode.braces--;
      this.push('punct', punct);
      this.i += punct.length;
    }
  }

  /** The longest punctuation starting with `c` at `i`. */
  private punct(c: string): string | undefined {
    for (const p of PUNCTS.get(c) ?? []) if (p.length === 1 || this.text.startsWith(p, this.i)) return p;
    return undefined;
  }

  /** A quoted string's text up to its closing quote or its next `${` / `%{`. */
  private quoted(): void {
    const { text } = this;
    for (;;) {
      const c = text[this.i];
      if (c === undefined) throw new HclError(this.line, 'unclosed string');
      if (c === '\n') throw new HclError(this.line, 'a quoted string cannot span lines (use a heredoc)');
      if (c === '"') {
        this.flush();
        this.push('cquote', '"');
        this.modes.pop();
        this.i++;
        return;
      }
      const opener = this.templateOpener();
      if (opener === 'opened') return;
      if (opener === 'escaped') continue;
      if (c === '\\') {
        this.literal += this.escape();
        continue;
      }
      const end = Math.max(endOf(QUOTED_TEXT, text, this.i), this.i + 1);
      this.literal += text.slice(this.i, end);
      this.i = end;
    }
  }

  /** A heredoc's text up to its closing marker line or its next `${` / `%{`. */
  private heredoc(mode: Extract<Mode, { kind: 'heredoc' }>): void {
    const { text } = this;
    for (;;) {
      if (this.i >= text.length) throw new HclError(this.line, `unclosed heredoc (no line "${mode.marker}")`);
      if (mode.lineStart) {
        const end = text.indexOf('\n', this.i);
        const lineEnd = end < 0 ? text.length : end;
        if (text.slice(this.i, lineEnd).trim() === mode.marker) {
          this.flush();
          this.push('cheredoc', mode.marker);
          this.modes.pop();
          this.i = lineEnd;
          return;
        }
        mode.lineStart = false;
      }
      const opener = this.templateOpener();
      if (opener === 'opened') return;
      if (opener === 'escaped') continue;
      if (text[this.i] === '\n') {
        this.literal += '\n';
        this.line++;
        this.i++;
        mode.lineStart = true;
        continue;
      }
      const end = Math.max(endOf(HEREDOC_TEXT, text, this.i), this.i + 1);
      this.literal += text.slice(this.i, end);
      this.i = end;
    }
  }

  /**
   * `${` and `%{` open an interpolation or directive (the mode changes), `$${` and `%%{` are their
   * escapes (literal text); shared by both template kinds.
   */
  private templateOpener(): 'opened' | 'escaped' | undefined {
    const { text, i } = this;
    const c = text[i];
    if ((c !== '$' && c !== '%') || (text[i + 1] !== '{' && !(text[i + 1] === c && text[i + 2] === '{'))) return undefined;
    if (text[i + 1] === c) {
      this.literal += `${c}{`;
      this.i += 3;
      return 'escaped';
    }
    this.flush();
    this.i += 2;
    const strip = text[this.i] === '~';
    if (strip) this.i++;
    this.push(c === '$' ? 'interp' : 'directive', `${c}{`, strip);
    this.modes.push({ kind: 'expression', braces: 0, inTemplate: true });
    return 'opened';
  }

  /** A backslash escape in a quoted string, at `i`. */
  private escape(): string {
    const { text, i } = this;
    const kind = text[i + 1] ?? '';
    if (ESCAPES[kind] !== undefined) {
      this.i += 2;
      return ESCAPES[kind]!;
    }
    const digits = kind === 'u' ? 4 : kind === 'U' ? 8 : 0;
    const hex = text.slice(i + 2, i + 2 + digits);
    if (!digits || !/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== digits) throw new HclError(this.line, `unknown escape \\${kind}`);
    const code = Number.parseInt(hex, 16);
    if (code > 0x10ffff) throw new HclError(this.line, `escape \\${kind}${hex} is not a character`);
    this.i += 2 + digits;
    return String.fromCodePoint(code);
  }
}
