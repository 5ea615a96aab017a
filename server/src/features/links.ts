/**
 * Links in a Dockerfile: each base image to its page on its registry, and each local COPY/ADD
 * source to its path in the build context. Whether that path exists is for the caller to check.
 */
import type { DocumentLink, Range } from 'vscode-languageserver-types';
import type { DockerfileModel } from '../language/model';
import { imagePageUrl } from '../language/imageRef';
import { localSources } from '../language/contextPaths';

export interface SourceLink {
  readonly range: Range;
  /** Relative to the build context, as written (`./requirements.txt`, `src/`). */
  readonly path: string;
}

export function imageLinks(model: DockerfileModel): DocumentLink[] {
  return model.stages.flatMap((stage) => {
    const base = stage.base;
    if (base?.kind !== 'image') return [];
    const target = imagePageUrl(base.ref);
    return target ? [{ range: base.source.spans.name, target, tooltip: `Open ${base.ref.familiar.replace(/[:@].*$/, '')} on its registry` }] : [];
  });
}

/**
 * Plain local paths (not globs, URLs, variables, another stage or a heredoc), in shell form, as
 * paths inside the context: the builder reads `/etc/passwd` as `etc/passwd` of the context, and a
 * path that climbs out of it with `..` is not linked at all.
 */
export function sourceLinks(model: DockerfileModel): SourceLink[] {
  return model.instructions.flatMap((info) =>
    info.execForm
      ? []
      : localSources(info).flatMap((s) => {
          const path = s.glob ? undefined : insideContext(s.value);
          return path === undefined ? [] : [{ range: s.range, path }];
        }),
  );
}

/** A source path as a path relative to the context root (as written when it already is one), or undefined when it leaves the context. */
export function insideContext(path: string): string | undefined {
  if (!path.startsWith('/') && !path.split('/').includes('..')) return path;
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts.length ? parts.join('/') : '.';
}
