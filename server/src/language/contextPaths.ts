/** COPY/ADD operands as BuildKit reads them, their sources as paths in the build context, and whether the context has them. */
import type { InstructionInfo } from './model';
import type { Range } from 'vscode-languageserver-types';
import type { DockerfileModel } from './model';
import { argumentSpans } from './buildkitChecks';
import { copySpec } from './query';
import type { RuleContext } from './context';
import { strongMemo, weakMemo } from './memo';

export interface Operand {
  /** As written. */
  readonly value: string;
  readonly range: Range;
  /** A heredoc (`<<EOF`): its body becomes a file; the body's words are no operands. */
  readonly heredoc: boolean;
}

export interface CopyOperands {
  /** Every source, heredocs included. */
  readonly sources: readonly Operand[];
  readonly dest?: Operand;
  /** `--from` value, when copying out of a stage or image. */
  readonly from?: string;
}

/**
 * Sources and destination of `COPY`/`ADD` as BuildKit takes them apart: the words after the flags (or
 * the JSON strings), the last one the destination. Heredoc bodies are not words of the instruction.
 */
export function copyOperands(model: DockerfileModel, info: InstructionInfo): CopyOperands {
  return operandsIn(model)(info);
}

// Five rules ask for the same instruction's operands in one analysis; ranges are the model's positions.
const operandsIn = weakMemo((model: DockerfileModel) => strongMemo((info: InstructionInfo) => readOperands(model, info)));

function readOperands(model: DockerfileModel, info: InstructionInfo): CopyOperands {
  const read = info.read;
  if (!read) {
    const spec = copySpec(info);
    return { sources: spec.sources.map((s) => ({ ...s, heredoc: false })), ...(spec.dest ? { dest: { ...spec.dest, heredoc: false } } : {}), ...(spec.from ? { from: spec.from } : {}) };
  }
  const names = new Set(read.heredocs.map((h) => h.name));
  const operands = argumentSpans(read).map((w) => {
    const heredoc = !read.json && /^\d*<<-?/.test(w.text) && names.size > 0;
    return { value: w.text, range: model.rangeOf(w.start, w.end), heredoc };
  });
  const from = read.flags.find((f) => f.text.startsWith('--from='))?.text.slice(7);
  const dest = operands.length > 1 ? operands.at(-1) : undefined;
  return { sources: dest ? operands.slice(0, -1) : operands, ...(dest ? { dest } : {}), ...(from !== undefined ? { from } : {}) };
}

export interface LocalSource {
  /** As written. */
  readonly value: string;
  /** Relative to the context root, `/`-separated, cleaned (no `.`, `..`, `//`, leading or trailing `/`); `''` is the whole context. */
  readonly path: string;
  readonly range: Range;
  readonly glob: boolean;
}

/** The shell lexer's quote and escape removal for one word without variables (`"a.txt"` is `a.txt`). */
function unquote(word: string, escape: string): string {
  let out = '';
  let quote = '';
  for (let i = 0; i < word.length; i++) {
    const ch = word[i]!;
    if (quote) {
      if (ch === quote) quote = '';
      else if (ch === escape && quote === '"' && i + 1 < word.length && /["\\$`]/.test(word[i + 1]!)) out += word[++i];
      else out += ch;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === escape && i + 1 < word.length) out += word[++i];
    else out += ch;
  }
  return out;
}

/** A path as the builder resolves it inside the context: `./src/./a.txt` is `src/a.txt`, `src/.` is `src`, `..` stops at the root. */
export function cleanPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/** Sources read from the build context: not from another stage, a URL, a Git repository or a heredoc, and not built from variables. */
export function localSources(info: InstructionInfo, model?: DockerfileModel): LocalSource[] {
  if (info.keyword !== 'COPY' && info.keyword !== 'ADD') return [];
  const escape = model?.escapeChar ?? '\\';
  const spec = model ? copyOperands(model, info) : legacyOperands(info);
  if (spec.from !== undefined || spec.dest === undefined) return [];
  return spec.sources.flatMap((s) => {
    if (s.heredoc || /^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(s.value) || s.value.includes('$')) return [];
    const value = info.read.json ? s.value : unquote(s.value, escape);
    const path = cleanPath(value);
    return [{ value: s.value, path, range: s.range, glob: /[*?[]/.test(path) }];
  });
}

function legacyOperands(info: InstructionInfo): CopyOperands {
  if (info.args.some((a) => a.getValue().startsWith('<<'))) return { sources: [] };
  const spec = copySpec(info);
  return { sources: spec.sources.map((s) => ({ ...s, heredoc: false })), ...(spec.dest ? { dest: { ...spec.dest, heredoc: false } } : {}), ...(spec.from ? { from: spec.from } : {}) };
}

type Context = NonNullable<RuleContext['buildContext']>;

/** The folder part of a wildcard source before its first wildcard component (`src/*.py` → `src`), as fsutil splits it. */
export function fixedFolder(path: string): string {
  const parts = path.split('/');
  const first = parts.findIndex((p) => /[*?[]/.test(p));
  return parts.slice(0, first === -1 ? parts.length : first).join('/');
}

/**
 * Whether the context has the path; for a pattern, whether the folder it searches exists (a pattern
 * that matches nothing copies nothing, which BuildKit allows). `undefined` when nobody can tell.
 */
export function inContext(context: Context, source: LocalSource): boolean | undefined {
  const { paths, opaque = [] } = context;
  if (!paths) return undefined;
  if (source.path === '') return true;
  const underOpaque = (p: string) => opaque.some((o) => p === o || p.startsWith(`${o}/`));
  if (!source.glob) return paths.has(source.path) || underOpaque(source.path);
  const folder = fixedFolder(source.path);
  return folder === '' || paths.has(folder) || underOpaque(folder);
}

/** Go's filepath.Match, which the builder uses for sources: `*` and `?` stop at `/`, `[…]` and `[!…]` classes. */
export function globPattern(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) out += '\\[';
      else {
        out += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else out += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** Every path the source names, for checking them one by one against `.dockerignore`. */
export function matchedPaths(context: Context, source: LocalSource): string[] {
  if (!context.paths) return [];
  if (!source.glob) return context.paths.has(source.path) ? [source.path] : [];
  const pattern = globPattern(source.path);
  return [...context.paths].filter((p) => pattern.test(p));
}

/**
 * Whether the build context is one a build definition names (compose, bake, devcontainer), rather
 * than dockwise's guess (the Dockerfile's folder). Only then is a missing file certain.
 */
export function contextIsDefined(context: RuleContext): boolean {
  return context.buildContext?.origin !== undefined;
}

/**
 * A Dockerfile in `binder/` or `.binder/`: repo2docker builds it with the repository root as the
 * context, the folder above the one dockwise guesses.
 */
export function isBinderDockerfile(model: DockerfileModel): boolean {
  return /(?:^|\/)\.?binder\/[^/]+$/.test(decodeURIComponent(model.document.uri));
}

/** What rules ask of a context listing, derived once per listing and reused by every lint against it. */
export interface ListingIndex {
  /** Paths that have something below them. */
  readonly folders: ReadonlySet<string>;
  /** The last segment of every path. */
  readonly names: ReadonlySet<string>;
}

const indexes = new WeakMap<ReadonlySet<string>, ListingIndex>();

export function listingIndex(paths: ReadonlySet<string>): ListingIndex {
  let index = indexes.get(paths);
  if (!index) {
    const folders = new Set<string>();
    const names = new Set<string>();
    for (const path of paths) {
      names.add(path.slice(path.lastIndexOf('/') + 1));
      for (let at = path.indexOf('/'); at !== -1; at = path.indexOf('/', at + 1)) folders.add(path.slice(0, at));
    }
    indexes.set(paths, (index = { folders, names }));
  }
  return index;
}
