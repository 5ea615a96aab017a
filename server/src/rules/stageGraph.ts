/** Which stages use which: `FROM <stage>`, `COPY --from=<stage>`, `RUN --mount=from=<stage>`. */
import type { Range } from 'vscode-languageserver-types';
import type { DockerfileModel } from '../engine/model';

export type StageUseKind = 'FROM' | 'COPY --from' | 'RUN --mount';

/** A place that may name a stage: every `--from` value, and FROM lines that build on a stage. */
export interface StageReference {
  /** The stage it is written in. */
  readonly stage: number;
  readonly how: StageUseKind;
  /** As written (a name, an index, or an image for `--from`). */
  readonly value: string;
  /** The value's range. */
  readonly range: Range;
  /** Written as it is, not built from build arguments. */
  readonly literal: boolean;
}

export function stageReferences(model: DockerfileModel): StageReference[] {
  return model.stages.flatMap((stage) => {
    const base = stage.base;
    const fromLine: StageReference[] = base?.kind === 'stage' ? [{ stage: stage.index, how: 'FROM', value: base.source.text, range: base.source.range, literal: base.source.text === base.source.expanded }] : [];
    const flags = stage.instructions.flatMap((info) =>
      info.flags.flatMap((flag): StageReference[] => {
        const name = flag.getName().toLowerCase();
        const option = name === 'from' && info.keyword !== 'FROM' ? flag : name === 'mount' ? flag.getOption('from') : undefined;
        const value = option?.getValue();
        if (!option || value === null || value === undefined) return [];
        return [{ stage: stage.index, how: name === 'mount' ? 'RUN --mount' : 'COPY --from', value, range: option.getValueRange() ?? option.getRange(), literal: !value.includes('$') }];
      }),
    );
    return [...fromLine, ...flags];
  });
}

export interface StageUse {
  /** The stage that uses it. */
  readonly stage: number;
  readonly how: StageUseKind;
  readonly range: Range;
}

/** For each stage index, the uses of it by other stages (by name or by index). */
export function stageUsers(model: DockerfileModel): Map<number, StageUse[]> {
  const users = new Map<number, StageUse[]>();
  for (const ref of stageReferences(model)) {
    const used = ref.how === 'FROM' ? model.stages[ref.stage]?.base : undefined;
    const index = used?.kind === 'stage' ? used.stageIndex : stageIndexOf(model, ref.value);
    if (index !== undefined && index !== ref.stage) users.set(index, [...(users.get(index) ?? []), { stage: ref.stage, how: ref.how, range: ref.range }]);
  }
  return users;
}

/** The stage a `--from` value names, by name or by index. */
function stageIndexOf(model: DockerfileModel, value: string): number | undefined {
  if (/^\d+$/.test(value)) return Number(value) < model.stages.length ? Number(value) : undefined;
  return model.stages.find((s) => s.name === value.toLowerCase())?.index;
}
