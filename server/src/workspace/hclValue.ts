/**
 * Values of parsed HCL expressions, as far as they can be known without running anything: literals,
 * templates and variables resolve; whatever needs a function, an operator or an unset variable
 * is an `Unknown` saying why, and anything built from one stays unknown, so a caller can leave
 * that attribute out instead of reading a wrong value.
 */
import type { Expr } from './hcl';

export class Unknown {
  constructor(readonly why: string) {}
}

export type Value = string | number | boolean | null | Unknown | readonly Value[] | { readonly [key: string]: Value };

/** Looks a variable up by name; undefined when nothing by that name exists. */
export type Scope = (name: string) => Value | undefined;

export function evaluate(expr: Expr, scope: Scope): Value {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'variable':
      return scope(expr.name) ?? new Unknown(`${expr.name} is not a variable of the file`);
    case 'opaque':
      return new Unknown(expr.why);
    case 'list':
      return expr.items.map((item) => evaluate(item, scope));
    case 'object': {
      const object: Record<string, Value> = {};
      for (const { key, value } of expr.entries) {
        const name = evaluate(key, scope);
        if (typeof name !== 'string' && typeof name !== 'number') return new Unknown('an object key cannot be resolved');
        object[String(name)] = evaluate(value, scope);
      }
      return object;
    }
    case 'template':
      return template(expr, scope);
  }
}

/** A template's string; a template that is one interpolation alone keeps its value's type, as HCL does. */
function template(expr: Extract<Expr, { kind: 'template' }>, scope: Scope): Value {
  const [only] = expr.parts;
  if (expr.parts.length === 1 && typeof only !== 'string' && only) return evaluate(only, scope);
  let text = '';
  for (const part of expr.parts) {
    const value = typeof part === 'string' ? part : evaluate(part, scope);
    if (value instanceof Unknown) return value;
    if (typeof value === 'object') return new Unknown(value === null ? 'interpolates null' : 'interpolates a list or object');
    text += String(value);
  }
  return expr.dedent ? dedent(text) : text;
}

/** `<<-` heredocs lose the indentation their lines share. */
function dedent(text: string): string {
  const lines = text.split('\n');
  const indent = (l: string) => /^[ \t]*/.exec(l)![0].length;
  // A loop, not Math.min(...): a heredoc of a few hundred thousand lines would overflow the argument list.
  const cut = lines.reduce((least, l) => (l.trim() === '' ? least : Math.min(least, indent(l))), Infinity);
  return Number.isFinite(cut) ? lines.map((l) => l.slice(Math.min(cut, indent(l)))).join('\n') : text;
}

/** A scalar as the string a build argument or path gets, or undefined for anything else. */
export function scalarText(value: Value | undefined): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

export const isObject = (value: Value | undefined): value is { readonly [key: string]: Value } => typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unknown);
