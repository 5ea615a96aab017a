/**
 * Build definitions from bake files (HCL or its JSON form), read the way `docker buildx bake` reads
 * the files it finds by default: each `target` with its `context`, `dockerfile`, `target`, `args`
 * and named `contexts`, after `variable` defaults and top-level attributes are substituted, blocks
 * of the same name merged, and `inherits` applied.
 *
 * Paths are resolved from the folder of the bake file: bake resolves them from where it runs, and
 * the default files are found only in that folder. Environment variables that would override a
 * default are unknowable here, so the default is what is read. An attribute that needs a function,
 * an operator or a variable without default is left out when it can be (`target`, one `args`
 * entry), and the target is skipped when it cannot (`context`, `dockerfile`, `inherits`).
 * `matrix` targets are expanded when the matrix is literal lists of plain values.
 */
import { dirname, resolve } from 'node:path';
import { isRecord } from '../language/isRecord';
import { isLocalPath, namedContext, type BuildDefinition, type Found } from './buildDefinition';
import { parseHcl, parseTemplate, type Block, type Body, type Expr } from './hcl';
import { evaluate, isObject, scalarText, Unknown, type Scope, type Value } from './hclValue';
import { readCapped } from './readCapped';

/** The files bake reads without `-f`, in its order (later ones override earlier ones). */
export const BAKE_FILE_NAMES = ['docker-bake.json', 'docker-bake.hcl', 'docker-bake.override.json', 'docker-bake.override.hcl'];

const MAX_INHERITS = 10;
/** Targets (matrix combinations included) read from one set of files; real ones have tens, and each costs a definition kept in memory. */
const MAX_TARGETS = 1000;
const MAX_MATRIX = 64;
/** Variables defined from variables: deeper chains than this are refused, keeping recursion bounded. */
const MAX_VARIABLE_DEPTH = 32;

interface Fields {
  readonly context?: Value;
  readonly dockerfile?: Value;
  readonly inline: boolean;
  readonly target?: Value;
  readonly args: Readonly<Record<string, Value>> | Unknown;
  readonly contexts: Readonly<Record<string, Value>> | Unknown;
}

const NO_FIELDS: Fields = { inline: false, args: {}, contexts: {} };

interface TargetBlock {
  readonly file: string;
  readonly body: Body;
}

/** The targets of one set of bake files, read together as bake reads them (later files override). */
export function bakeDefinitions(files: readonly string[], within?: readonly string[]): Found {
  const bodies: { file: string; body: Body }[] = [];
  for (const file of files) {
    const read = readCapped(file, 'bake', { within });
    if ('problem' in read) return refuse(file, read.problem);
    try {
      bodies.push({ file, body: file.endsWith('.json') ? jsonBody(JSON.parse(read.text)) : parseHcl(read.text) });
    } catch (error) {
      // Bake refuses the whole set when one file is broken, so the others are not read alone either.
      return refuse(file, `not read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const variables = new Map<string, Expr | undefined>();
  const targets = new Map<string, TargetBlock[]>();
  for (const { file, body } of bodies) {
    for (const [name, expr] of body.attributes) variables.set(name, expr);
    for (const block of body.blocks) {
      if (block.labels.length !== 1) continue;
      const label = block.labels[0]!;
      if (block.type === 'variable') variables.set(label, block.body.attributes.get('default'));
      if (block.type !== 'target') continue;
      const same = targets.get(label);
      if (same) same.push({ file, body: block.body });
      else targets.set(label, [{ file, body: block.body }]);
    }
  }
  return new Bake(targets, variableScope(variables)).definitions();
}

const refuse = (file: string, reason: string): Found => ({ definitions: [], skipped: [{ file, reason }] });

/** Variables resolve lazily, each once, from their defaults; cycles and runaway chains are unknown. */
function variableScope(variables: ReadonlyMap<string, Expr | undefined>): Scope {
  const values = new Map<string, Value>();
  const resolving = new Set<string>();
  const scope: Scope = (name) => {
    if (!variables.has(name)) return undefined;
    if (values.has(name)) return values.get(name);
    const expr = variables.get(name);
    if (!expr) return new Unknown(`variable ${name} has no default`);
    if (resolving.has(name)) return new Unknown(`variable ${name} is defined from itself`);
    if (resolving.size >= MAX_VARIABLE_DEPTH) return new Unknown(`variables are defined from variables more than ${MAX_VARIABLE_DEPTH} deep`);
    resolving.add(name);
    const value = evaluate(expr, scope);
    resolving.delete(name);
    values.set(name, value);
    return value;
  };
  return scope;
}

class Bake {
  private readonly resolved = new Map<string, Fields | string>();

  constructor(
    private readonly targets: ReadonlyMap<string, readonly TargetBlock[]>,
    private readonly scope: Scope,
  ) {}

  definitions(): Found {
    const found: Found = { definitions: [], skipped: [] };
    const add = (file: string, name: string, result: Fields | string) => {
      const definition = typeof result === 'string' ? result : toDefinition(result, name, file);
      if (typeof definition === 'string') found.skipped.push({ file, reason: `bake target ${name}: ${definition}` });
      else found.definitions.push(definition);
    };
    let count = 0;
    for (const [name, blocks] of this.targets) {
      const file = blocks[0]!.file;
      if (++count > MAX_TARGETS) {
        found.skipped.push({ file, reason: `more than ${MAX_TARGETS} bake targets: ${this.targets.size - MAX_TARGETS} not read` });
        break;
      }
      const matrix = blocks.findLast((b) => b.body.attributes.has('matrix'))?.body.attributes.get('matrix');
      if (!matrix) {
        add(file, name, this.resolve(name, []));
        continue;
      }
      const combinations = matrixCombinations(evaluate(matrix, this.scope));
      if (typeof combinations === 'string') {
        add(file, name, combinations);
        continue;
      }
      // Each combination is a target of its own, counted as one.
      count += combinations.length - 1;
      const nameExpr = blocks.findLast((b) => b.body.attributes.has('name'))?.body.attributes.get('name');
      for (const combination of combinations) {
        const scope: Scope = (variable) => (Object.hasOwn(combination, variable) ? combination[variable] : this.scope(variable));
        const instance = scalarText(nameExpr && evaluate(nameExpr, scope)) ?? `${name} (${Object.entries(combination).map(([k, v]) => `${k}=${scalarText(v)}`).join(', ')})`;
        add(file, instance, this.resolve(name, [], scope));
      }
    }
    return found;
  }

  /**
   * A target's fields after its parents': the reason it cannot be read instead when a parent is
   * missing, a matrix target, in a cycle, or too deep. A matrix instance passes its own scope.
   */
  private resolve(name: string, chain: readonly string[], instanceScope?: Scope): Fields | string {
    if (chain.includes(name)) return `inherits in a cycle (${[...chain, name].join(' → ')})`;
    if (chain.length > MAX_INHERITS) return `inherits more than ${MAX_INHERITS} levels deep`;
    const memo = instanceScope ? undefined : this.resolved.get(name);
    if (memo) return memo;
    const blocks = this.targets.get(name);
    if (!blocks) return `inherits "${name}", which is not a target here`;
    if (!instanceScope && blocks.some((b) => b.body.attributes.has('matrix'))) return `inherits "${name}", a matrix target`;
    const scope = instanceScope ?? this.scope;
    let own = NO_FIELDS;
    const parents: Value[] = [];
    for (const { body } of blocks) {
      own = merge(own, readFields(body, scope));
      const inherits = attribute(body, 'inherits', scope);
      if (inherits === undefined) continue;
      if (!Array.isArray(inherits)) return `inherits ${inherits instanceof Unknown ? inherits.why : 'is not a list'}`;
      parents.push(...inherits);
    }
    let fields = NO_FIELDS;
    for (const parent of parents) {
      if (typeof parent !== 'string') return `inherits ${parent instanceof Unknown ? parent.why : 'a name that is not a string'}`;
      const inherited = this.resolve(parent, [...chain, name]);
      if (typeof inherited === 'string') return inherited;
      fields = merge(fields, inherited);
    }
    const result = merge(fields, own);
    if (!instanceScope) this.resolved.set(name, result);
    return result;
  }
}

/** An attribute's value; undefined when it is absent or null, which bake treats as unset. */
function attribute(body: Body, name: string, scope: Scope): Value | undefined {
  const expr = body.attributes.get(name);
  const value = expr && evaluate(expr, scope);
  return value === null ? undefined : value;
}

function readFields(body: Body, scope: Scope): Fields {
  const map = (name: string): Fields['args'] => {
    const value = attribute(body, name, scope);
    if (value === undefined) return {};
    return isObject(value) ? value : new Unknown(value instanceof Unknown ? value.why : `${name} is not a map`);
  };
  return {
    context: attribute(body, 'context', scope),
    dockerfile: attribute(body, 'dockerfile', scope),
    inline: body.attributes.has('dockerfile-inline'),
    target: attribute(body, 'target', scope),
    args: map('args'),
    contexts: map('contexts'),
  };
}

/** Bake's own merge: set fields override, maps merge by key (null entries do not override), an unknown map stays unknown. */
function merge(base: Fields, over: Fields): Fields {
  const maps = (a: Fields['args'], b: Fields['args']): Fields['args'] => {
    if (a instanceof Unknown) return a;
    if (b instanceof Unknown) return b;
    return { ...a, ...Object.fromEntries(Object.entries(b).filter(([, v]) => v !== null)) };
  };
  return {
    context: over.context ?? base.context,
    dockerfile: over.dockerfile ?? base.dockerfile,
    inline: base.inline || over.inline,
    target: over.target ?? base.target,
    args: maps(base.args, over.args),
    contexts: maps(base.contexts, over.contexts),
  };
}

/** Every combination of a literal matrix (`{ item = ["a", "b"], mode = ["x"] }`), or why not. */
function matrixCombinations(matrix: Value): Record<string, Value>[] | string {
  if (!isObject(matrix)) return `matrix ${matrix instanceof Unknown ? matrix.why : 'is not a map'}`;
  let combinations: Record<string, Value>[] = [{}];
  for (const [key, values] of Object.entries(matrix)) {
    if (!Array.isArray(values) || !values.every((v: Value) => scalarText(v) !== undefined)) return `matrix ${key} is not a list of plain values`;
    combinations = combinations.flatMap((c) => values.map((v: Value) => ({ ...c, [key]: v })));
    if (combinations.length > MAX_MATRIX) return `matrix has more than ${MAX_MATRIX} combinations`;
  }
  return combinations;
}

function toDefinition(fields: Fields, name: string, file: string): BuildDefinition | string {
  if (fields.inline) return 'dockerfile-inline has no file';
  const here = dirname(file);
  const context = fields.context ?? '.';
  if (typeof context !== 'string') return `context ${context instanceof Unknown ? context.why : 'is not a string'}`;
  const local = withoutCwd(context);
  if (!isLocalPath(local)) return `context is not a local folder (${context})`;
  const contextDir = resolve(here, local);
  const dockerfile = fields.dockerfile ?? 'Dockerfile';
  if (typeof dockerfile !== 'string') return `dockerfile ${dockerfile instanceof Unknown ? dockerfile.why : 'is not a string'}`;
  // `cwd://` makes the Dockerfile relative to where bake runs instead of to the context.
  const dockerfilePath = dockerfile.startsWith('cwd://') ? resolve(here, withoutCwd(dockerfile)) : resolve(contextDir, dockerfile);
  const strings = (map: Fields['args'], value: (v: string) => string) =>
    map instanceof Unknown ? {} : Object.fromEntries(Object.entries(map).flatMap(([k, v]) => (scalarText(v) === undefined ? [] : [[k, value(scalarText(v)!)]])));
  const args = strings(fields.args, (v) => v);
  // Named contexts: local folders become absolute; `target:`, `docker-image://` and URLs stay as written.
  const namedContexts = strings(fields.contexts, (v) => namedContext(withoutCwd(v), here));
  return {
    origin: `bake target ${name}`,
    file,
    context: contextDir,
    dockerfile: dockerfilePath,
    args,
    ...(typeof fields.target === 'string' ? { target: fields.target } : {}),
    ...(Object.keys(namedContexts).length ? { namedContexts } : {}),
  };
}

/** Bake's `cwd://` prefix says "relative to where bake runs", which is the bake file's folder here. */
const withoutCwd = (path: string): string => path.replace(/^cwd:\/\//, '');

/** HCL's JSON form as the same body: `variable`, `target`, `group` and `function` are blocks; other root keys are attributes. */
function jsonBody(root: unknown): Body {
  if (!isRecord(root)) throw new Error('a bake JSON file is an object');
  const attributes = new Map<string, Expr>();
  const blocks: Block[] = [];
  for (const [key, value] of Object.entries(root)) {
    if (!['variable', 'target', 'group', 'function'].includes(key)) {
      attributes.set(key, jsonExpr(value, 0));
      continue;
    }
    if (!isRecord(value)) throw new Error(`"${key}" is not an object`);
    for (const [label, content] of Object.entries(value)) {
      // A label may hold one body or a list of them, as repeated blocks.
      for (const entry of Array.isArray(content) ? content : [content]) {
        if (!isRecord(entry)) throw new Error(`${key} "${label}" is not an object`);
        blocks.push({ type: key, labels: [label], body: { attributes: new Map(Object.entries(entry).map(([k, v]) => [k, jsonExpr(v, 0)])), blocks: [] } });
      }
    }
  }
  return { attributes, blocks };
}

function jsonExpr(value: unknown, depth: number): Expr {
  if (depth > 64) return { kind: 'opaque', why: 'is nested too deep' };
  if (typeof value === 'string') {
    try {
      return parseTemplate(value);
    } catch {
      return { kind: 'opaque', why: 'is a template that cannot be read' };
    }
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return { kind: 'literal', value };
  if (Array.isArray(value)) return { kind: 'list', items: value.map((v) => jsonExpr(v, depth + 1)) };
  return { kind: 'object', entries: Object.entries(isRecord(value) ? value : {}).map(([k, v]) => ({ key: { kind: 'literal', value: k }, value: jsonExpr(v, depth + 1) })) };
}
