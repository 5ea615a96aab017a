/** COPY/ADD sources as paths in the build context, and whether the context has them. */
import type { InstructionInfo } from '../engine/model';
import type { Range } from 'vscode-languageserver-types';
import { copySpec } from './query';
import type { RuleContext } from './rule';

export interface LocalSource {
  /** As written. */
  readonly value: string;
  /** Relative to the context root, `/`-separated, without `./`, a leading `/` or a trailing `/`; `''` is the whole context. */
  readonly path: string;
  readonly range: Range;
  readonly glob: boolean;
}

/** Sources read from the build context: not from another stage, a URL, a Git repository or a heredoc, and not built from variables. */
export function localSources(info: InstructionInfo): LocalSource[] {
  if (info.keyword !== 'COPY' && info.keyword !== 'ADD') return [];
  if (info.args.some((a) => a.getValue().startsWith('<<'))) return [];
  const spec = copySpec(info);
  if (spec.from !== undefined || spec.dest === undefined) return [];
  return spec.sources.flatMap((s) => {
    if (/^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(s.value) || s.value.includes('$')) return [];
    const path = s.value.replace(/\\/g, '/').replace(/^(?:\.\/|\/)+/, '').replace(/\/+$/, '').replace(/^\.$/, '');
    return [{ value: s.value, path, range: s.range, glob: /[*?[]/.test(path) }];
  });
}

type Context = NonNullable<RuleContext['buildContext']>;

/** Whether the context has the path (or, for a pattern, anything it matches); `undefined` when nobody can tell. */
export function inContext(context: Context, source: LocalSource): boolean | undefined {
  const { paths, opaque = [] } = context;
  if (!paths) return undefined;
  if (source.path === '') return true;
  const underOpaque = (p: string) => opaque.some((o) => p === o || p.startsWith(`${o}/`));
  if (!source.glob) return paths.has(source.path) || underOpaque(source.path);
  const pattern = globPattern(source.path);
  const fixedPrefix = source.path.slice(0, source.path.search(/[*?[]/));
  return underOpaque(fixedPrefix.replace(/\/[^/]*$/, '')) || [...paths].some((p) => pattern.test(p));
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
