/**
 * Links in a Dockerfile: each base image to its page on its registry, and each local COPY/ADD
 * source to its path in the build context. Whether that path exists is for the caller to check.
 */
import type { DocumentLink, Range } from 'vscode-languageserver-types';
import type { DockerfileModel } from '../engine/model';
import { imagePageUrl } from '../registry/hoverContent';
import { localSources } from '../rules/contextPaths';

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

/** Plain local paths (not globs, URLs, variables, another stage or a heredoc), in shell form. */
export function sourceLinks(model: DockerfileModel): SourceLink[] {
  return model.instructions.flatMap((info) => (info.execForm ? [] : localSources(info).flatMap((s) => (s.glob ? [] : [{ range: s.range, path: s.value }]))));
}
