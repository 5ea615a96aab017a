/**
 * Inlay hints after `FROM` images: the reference a line of build arguments resolves to
 * (`FROM ${BASE}:${TAG}` ⟶ `= python:3.12-slim`), and how old the image behind a digest pin is.
 */
import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver-types';
import type { ImageRef } from '../language/imageRef';
import type { DockerfileModel } from '../language/model';
import { timestamp } from '../registry/validate';

export interface InlayHintOptions {
  readonly resolvedImages: boolean;
  readonly digestAge: boolean;
  /** When the image behind a reference was created, if the registry has told us. */
  readonly createdOf: (ref: ImageRef) => string | undefined;
  readonly now: number;
}

const DAY = 24 * 60 * 60 * 1000;

export function inlayHints(model: DockerfileModel, range: Range, options: InlayHintOptions): InlayHint[] {
  return model.stages.flatMap((stage) => {
    const base = stage.base;
    if (!base || base.source.range.end.line < range.start.line || base.source.range.start.line > range.end.line) return [];
    const hints: InlayHint[] = [];
    const at = base.source.range.end;
    if (options.resolvedImages && base.source.text !== base.source.expanded && base.kind !== 'unresolved' && base.kind !== 'invalid') {
      hints.push({ position: at, label: `= ${base.source.expanded}`, kind: InlayHintKind.Type, paddingLeft: true, tooltip: 'The image this resolves to with the build arguments\' defaults.' });
    }
    // Registry text: shown only when it is a real RFC 3339 timestamp.
    const created = base.kind === 'image' && base.ref.digest && options.digestAge ? timestamp(options.createdOf(base.ref)) : undefined;
    if (created) {
      const days = Math.floor((options.now - Date.parse(created)) / DAY);
      if (Number.isFinite(days)) hints.push({ position: at, label: days < 1 ? 'built today' : `built ${days} days ago`, paddingLeft: true, tooltip: `Created ${created.slice(0, 10)}; a digest pin does not pick up security fixes.` });
    }
    return hints;
  });
}
