/**
 * A recursive-descent parser for the HCL of bake files, over `hclLexer`'s tokens: bodies of
 * attributes and labelled blocks, and expressions kept as a small tree. Only what a build
 * definition can be read from is kept exactly (literals, templates, variables, lists, objects);
 * function calls, operators, conditionals, `for` expressions and traversals are parsed so the
 * tokens after them are read right, then kept as `opaque` with why, so nothing guesses at them.
 * Each token is consumed once and nesting is bounded, so the time is linear in the input.
 */
import { HclError, Lexer, type Token } from './hclLexer';

export { HclError };

export type Expr =
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null }
  /** A string with interpolations, or a heredoc: literal text and expressions; `dedent` for `<<-`. */
  | { readonly kind: 'template'; readonly parts: readonly (string | Expr)[]; readonly dedent?: boolean }
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'list'; readonly items: readonly Expr[] }
  | { readonly kind: 'object'; readonly entries: readonly { readonly key: Expr; readonly value: Expr }[] }
  | { readonly kind: 'opaque'; readonly why: string };

export interface Block {
  readonly type: string;
  readonly labels: readonly string[];
  readonly body: Body;
}

export interface Body {
  readonly attributes: ReadonlyMap<string, Expr>;
  readonly blocks: readonly Block[];
}

/** Deeper nesting than this is refused: real bake files nest a few levels, and recursion must stay bounded. */
const MAX_DEPTH = 64;
const BINARY = new Set(['==', '!=', '<', '>', '<=', '>=', '&&', '||', '+', '-', '*', '/', '%']);

/** A whole file's body; throws HclError, with the line, when it is not HCL. */
export function parseHcl(text: string): Body {
  return new Parser(new Lexer(text)).body(false);
}

/** A string of HCL's JSON form, which bake reads as a template like a quoted HCL string. */
export function parseTemplate(text: string): Expr {
  const parser = new Parser(new Lexer(`"${text.replace(/["\\\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`))}"`));
  const expr = parser.expression();
  parser.expect('eof', '');
  return expr;
}

const opaque = (why: string): Expr => ({ kind: 'opaque', why });

/** Tokens named for error messages. */
const EXPECTED: Partial<Record<Token['kind'], string>> = { ident: 'a name', templateEnd: '} closing ${', eof: 'end of file' };
const shown = (token: Token) => (token.kind === 'eof' ? 'end of file' : `"${token.text}"`);

class Parser {
  /** The tokens asked for but not consumed yet: two at most, for the few places that look one further. */
  private readonly lookahead: Token[] = [];
  private depth = 0;

  constructor(private readonly lexer: Lexer) {}

  /** Attributes and blocks until `}` (a block's body) or the end of the file. */
  body(inBlock: boolean): Body {
    this.enter();
    const attributes = new Map<string, Expr>();
    const blocks: Block[] = [];
    for (;;) {
      const token = this.peek();
      if (inBlock && this.is('punct', '}')) break;
      if (token.kind === 'eof') {
        if (inBlock) throw new HclError(token.line, 'unclosed block (no closing })');
        break;
      }
      const name = this.expect('ident').text;
      if (this.accept('punct', '=')) {
        const before = attributes.size;
        attributes.set(name, this.expression());
        if (attributes.size === before) throw new HclError(token.line, `attribute "${name}" is set twice`);
        continue;
      }
      const labels: string[] = [];
      while (!this.is('punct', '{')) labels.push(this.label());
      this.next();
      blocks.push({ type: name, labels, body: this.body(true) });
      this.expect('punct', '}');
    }
    this.depth--;
    return { attributes, blocks };
  }

  expression(): Expr {
    this.enter();
    let expr = this.operand();
    while (this.peek().kind === 'punct' && BINARY.has(this.peek().text)) {
      this.next();
      this.operand();
      expr = opaque('uses an operator');
    }
    if (this.accept('punct', '?')) {
      this.expression();
      this.expect('punct', ':');
      this.expression();
      expr = opaque('uses a condition');
    }
    this.depth--;
    return expr;
  }

  /** A primary expression with its unary operators and its traversals (`.attr`, `[index]`, splats). */
  private operand(): Expr {
    if (this.is('punct', '-') && this.peek(1).kind === 'number') {
      this.next();
      return { kind: 'literal', value: -Number(this.next().text) };
    }
    if (this.accept('punct', '-') || this.accept('punct', '!')) {
      this.enter();
      this.operand();
      this.depth--;
      return opaque('uses an operator');
    }
    let expr = this.primary();
    for (;;) {
      if (this.accept('punct', '.')) {
        const step = this.next();
        if (!(step.kind === 'ident' || step.kind === 'number' || (step.kind === 'punct' && step.text === '*'))) throw new HclError(step.line, 'expected an attribute name after .');
        expr = opaque('refers to an attribute of another value');
      } else if (this.accept('punct', '[')) {
        if (!this.accept('punct', '*')) this.expression();
        this.expect('punct', ']');
        expr = opaque('indexes a value');
      } else {
        return expr;
      }
    }
  }

  private primary(): Expr {
    const token = this.next();
    switch (token.kind) {
      case 'number':
        return { kind: 'literal', value: Number(token.text) };
      case 'ident': {
        if (token.text === 'true' || token.text === 'false') return { kind: 'literal', value: token.text === 'true' };
        if (token.text === 'null') return { kind: 'literal', value: null };
        if (!this.accept('punct', '(')) return { kind: 'variable', name: token.text };
        while (!this.accept('punct', ')')) {
          this.expression();
          if (this.accept('punct', '...')) continue;
          if (!this.is('punct', ')')) this.expect('punct', ',');
        }
        return opaque(`calls ${token.text}()`);
      }
      case 'oquote':
        return this.template('cquote');
      case 'oheredoc':
        return { ...this.template('cheredoc'), ...(token.strip ? { dedent: true } : {}) };
      case 'punct':
        if (token.text === '(') {
          const inner = this.expression();
          this.expect('punct', ')');
          return inner;
        }
        if (token.text === '[') return this.forExpression(']') ?? this.list();
        if (token.text === '{') return this.forExpression('}') ?? this.object();
        break;
      default:
        break;
    }
    throw new HclError(token.line, `unexpected ${shown(token)}`);
  }

  private list(): Expr {
    const items: Expr[] = [];
    while (!this.accept('punct', ']')) {
      items.push(this.expression());
      if (!this.is('punct', ']')) this.expect('punct', ',');
    }
    return { kind: 'list', items };
  }

  /** `{ key = value, "key" = value, (expr) = value }`, commas optional between lines. */
  private object(): Expr {
    const entries: { key: Expr; value: Expr }[] = [];
    while (!this.accept('punct', '}')) {
      const token = this.peek();
      const next = this.peek(1);
      // A bare name before `=` or `:` is the key itself, not a variable.
      const key: Expr = token.kind === 'ident' && next.kind === 'punct' && (next.text === '=' || next.text === ':') ? { kind: 'literal', value: this.next().text } : this.expression();
      if (!this.accept('punct', '=')) this.expect('punct', ':');
      entries.push({ key, value: this.expression() });
      this.accept('punct', ',');
    }
    return { kind: 'object', entries };
  }

  /** `[for x in xs : f(x) if c]` and `{for k, v in m : k => v...}`, parsed to be skipped; undefined when it is not one. */
  private forExpression(close: ']' | '}'): Expr | undefined {
    const next = this.peek(1);
    if (!this.is('ident', 'for') || next.kind !== 'ident') return undefined;
    this.next();
    do this.expect('ident');
    while (this.accept('punct', ','));
    this.expect('ident', 'in');
    this.expression();
    this.expect('punct', ':');
    this.expression();
    if (close === '}' && this.accept('punct', '=>')) {
      this.expression();
      this.accept('punct', '...');
    }
    if (this.accept('ident', 'if')) this.expression();
    this.expect('punct', close);
    return opaque('uses a for expression');
  }

  /** The parts of a template up to `end`; directives (`%{ if }`) and strip markers make it opaque. */
  private template(end: 'cquote' | 'cheredoc'): Expr {
    const parts: (string | Expr)[] = [];
    let why: string | undefined;
    for (;;) {
      const token = this.next();
      if (token.kind === end) break;
      if (token.kind === 'lit') {
        parts.push(token.text);
      } else if (token.kind === 'interp') {
        parts.push(this.expression());
        const close = this.expect('templateEnd');
        if (token.strip || close.strip) why = 'uses ~ strip markers';
      } else if (token.kind === 'directive') {
        this.skipDirective();
        why = 'uses a %{ } directive';
      } else {
        throw new HclError(token.line, 'unclosed string');
      }
    }
    if (why) return opaque(why);
    // Most strings are plain text: kept as the literal they are.
    return parts.every((p) => typeof p === 'string') && end === 'cquote' ? { kind: 'literal', value: parts.join('') } : { kind: 'template', parts };
  }

  /** Tokens up to the `}` that closes a `%{`, across the interpolations and strings inside it. */
  private skipDirective(): void {
    let open = 0;
    for (;;) {
      const token = this.next();
      if (token.kind === 'eof') throw new HclError(token.line, 'unclosed %{');
      if (token.kind === 'interp' || token.kind === 'directive') open++;
      else if (token.kind === 'templateEnd' && open-- === 0) return;
    }
  }

  /** A block label: a name or a quoted string without interpolation. */
  private label(): string {
    const token = this.next();
    if (token.kind === 'ident') return token.text;
    if (token.kind === 'oquote') {
      const expr = this.template('cquote');
      if (expr.kind === 'literal' && typeof expr.value === 'string') return expr.value;
    }
    throw new HclError(token.line, 'a block label must be a name or a plain string');
  }

  /** One level deeper; `depth--` on the way out (an error abandons the whole parse, so no finally is needed). */
  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw new HclError(this.peek().line, `nested deeper than ${MAX_DEPTH}`);
  }

  private peek(ahead = 0): Token {
    while (this.lookahead.length <= ahead) this.lookahead.push(this.lexer.next());
    return this.lookahead[ahead]!;
  }

  private next(): Token {
    const token = this.peek();
    // The end token is never stepped over, so a parse error at the end reports it instead of running off.
    if (token.kind !== 'eof') this.lookahead.shift();
    return token;
  }

  private is(kind: Token['kind'], text?: string): boolean {
    const token = this.peek();
    return token.kind === kind && (text === undefined || token.text === text);
  }

  private accept(kind: Token['kind'], text?: string): boolean {
    if (!this.is(kind, text)) return false;
    this.next();
    return true;
  }

  expect(kind: Token['kind'], text?: string): Token {
    const token = this.peek();
    if (!this.is(kind, text)) throw new HclError(token.line, `expected ${text ? `"${text}"` : (EXPECTED[kind] ?? kind)}, found ${shown(token)}`);
    return this.next();
  }
}
