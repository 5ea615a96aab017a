/**
 * The image reference under a position: a `FROM` image (after ARG expansion), or an image named by
 * `COPY --from=` / `RUN --mount=from=` (a stage name is not an image).
 */
import type { Position, Range } from 'vscode-languageserver-types';
import { parseImageRef, type ImageRef } from './imageRef';
import type { DockerfileModel } from './model';
import { contains } from './positions';

export function imageAt(model: DockerfileModel, position: Position): { ref: ImageRef; range: Range } | undefined {
  for (const stage of model.stages) {
    const base = stage.base;
    if (base?.kind === 'image' && contains(base.source.range, position)) return { ref: base.ref, range: base.source.range };
  }
  for (const info of model.instructions) {
    if (!contains(info.range, position)) continue;
    for (const flag of info.flags) {
      const name = flag.getName().toLowerCase();
      const option = name === 'mount' ? flag.getOption('from') : name === 'from' ? flag : undefined;
      const value = option?.getValue();
      const range = option?.getValueRange();
      if (!value || !range || !contains(range, position)) continue;
      const isStage = /^\d+$/.test(value) || model.stages.some((s) => s.name === value.toLowerCase());
      const parsed = isStage ? undefined : parseImageRef(value);
      if (parsed) return { ref: parsed.ref, range };
    }
  }
  return undefined;
}
