/**
 * Links in a Dockerfile: each base image to its page on its registry, and each local COPY/ADD
 * source to its path in the build context. Whether that path exists is for the caller to check.
 */
import type { DocumentLink, Range } from 'vscode-languageserver-types';
import type { DockerfileModel } from '../engine/model';
import { imagePageUrl } from '../registry/hoverContent';

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

/** Plain local paths: not URLs, not globs, not built from variables, and not from another stage. */
const PLAIN_PATH = /^(?![a-z][a-z0-9+.-]*:\/\/|git@)[^*?[\]$]+$/i;

export function sourceLinks(model: DockerfileModel): SourceLink[] {
  return model.instructions.flatMap((info) => {
    if ((info.keyword !== 'COPY' && info.keyword !== 'ADD') || info.execForm || info.flags.some((f) => f.getName().toLowerCase() === 'from')) return [];
    if (info.args.some((a) => a.getValue().startsWith('<<'))) return [];
    return info.args.slice(0, -1).flatMap((arg) => {
      const path = arg.getValue();
      return PLAIN_PATH.test(path) ? [{ range: arg.getRange(), path }] : [];
    });
  });
}
