/** Which stages use which: `FROM <stage>`, `COPY --from=<stage>`, `RUN --mount=from=<stage>`. */
import type { Range } from 'vscode-languageserver-types';
import type { DockerfileModel } from '../engine/model';

export interface StageUse {
  /** The stage that uses it. */
  readonly stage: number;
  readonly how: 'FROM' | 'COPY --from' | 'RUN --mount';
  readonly range: Range;
}

/** For each stage index, the uses of it by other stages (by name or by index). */
export function stageUsers(model: DockerfileModel): Map<number, StageUse[]> {
  const users = new Map<number, StageUse[]>();
  const add = (used: number | undefined, use: StageUse) => {
    if (used !== undefined && used !== use.stage) users.set(used, [...(users.get(used) ?? []), use]);
  };
  const byValue = (value: string | null | undefined) => {
    if (!value) return undefined;
    if (/^\d+$/.test(value)) return Number(value) < model.stages.length ? Number(value) : undefined;
    return model.stages.find((s) => s.name === value.toLowerCase())?.index;
  };
  for (const stage of model.stages) {
    if (stage.base?.kind === 'stage') add(stage.base.stageIndex, { stage: stage.index, how: 'FROM', range: stage.base.source.range });
    for (const info of stage.instructions) {
      for (const flag of info.flags) {
        const name = flag.getName().toLowerCase();
        if (name === 'from' && info.keyword !== 'FROM') add(byValue(flag.getValue()), { stage: stage.index, how: 'COPY --from', range: flag.getRange() });
        if (name === 'mount') add(byValue(flag.getOption('from')?.getValue()), { stage: stage.index, how: 'RUN --mount', range: flag.getRange() });
      }
    }
  }
  return users;
}
