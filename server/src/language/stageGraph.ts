/** Which stages use which: `FROM <stage>`, `COPY --from=<stage>`, `RUN --mount=from=<stage>`. */
import type { Range } from 'vscode-languageserver-types';
import type { DockerfileModel, InstructionInfo } from './model';
import { HeldOn, weakMemo } from './memo';

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

// Asked by several rules, the stage keys and the lenses of the same model.
export const stageReferences: (model: DockerfileModel) => readonly StageReference[] = weakMemo(readReferences);

function readReferences(model: DockerfileModel): StageReference[] {
  const references: StageReference[] = [];
  for (const stage of model.stages) {
    const base = stage.base;
    if (base?.kind === 'stage') references.push({ stage: stage.index, how: 'FROM', value: base.source.text, range: base.source.range, literal: base.source.text === base.source.expanded });
    for (const info of stage.instructions) for (const flag of flagReferences(info)) references.push({ stage: stage.index, ...flag });
  }
  return references;
}

type FlagReference = Omit<StageReference, 'stage'>;

/** Kept by `stable`, the same while the instruction's text and first line are; the ranges are lines and characters. */
const flagCache = new HeldOn<InstructionInfo['stable'], readonly FlagReference[]>();

/** The `--from` values of one instruction's flags (`COPY --from`, `RUN --mount=from=`). */
function flagReferences(info: InstructionInfo): readonly FlagReference[] {
  let found = flagCache.get(info.stable);
  if (found) return found;
  found = info.flags.flatMap((flag): FlagReference[] => {
    const name = flag.getName().toLowerCase();
    const option = name === 'from' && info.keyword !== 'FROM' ? flag : name === 'mount' ? flag.getOption('from') : undefined;
    const value = option?.getValue();
    if (!option || value === null || value === undefined) return [];
    return [{ how: name === 'mount' ? 'RUN --mount' : 'COPY --from', value, range: option.getValueRange() ?? option.getRange(), literal: !value.includes('$') }];
  });
  flagCache.set(info.stable, found);
  return found;
}

export interface StageUse {
  /** The stage that uses it. */
  readonly stage: number;
  readonly how: StageUseKind;
  readonly range: Range;
}

/** For each stage index, the uses of it by other stages (by name or by index). */
export const stageUsers: (model: DockerfileModel) => ReadonlyMap<number, readonly StageUse[]> = weakMemo(readUsers);

function readUsers(model: DockerfileModel): Map<number, StageUse[]> {
  const users = new Map<number, StageUse[]>();
  const byName = stageIndexByName(model);
  for (const ref of stageReferences(model)) {
    const used = ref.how === 'FROM' ? model.stages[ref.stage]?.base : undefined;
    const index = used?.kind === 'stage' ? used.stageIndex : stageIndexOf(model, ref.value, byName);
    if (index === undefined || index === ref.stage) continue;
    const use = { stage: ref.stage, how: ref.how, range: ref.range };
    const found = users.get(index);
    if (found) found.push(use);
    else users.set(index, [use]);
  }
  return users;
}

/** The first stage of each name, as `--from` finds it. */
function stageIndexByName(model: DockerfileModel): Map<string, number> {
  const byName = new Map<string, number>();
  for (const stage of model.stages) if (stage.name && !byName.has(stage.name)) byName.set(stage.name, stage.index);
  return byName;
}

/** The stage a `--from` value names, by name or by index. */
function stageIndexOf(model: DockerfileModel, value: string, byName: ReadonlyMap<string, number>): number | undefined {
  if (/^\d+$/.test(value)) return Number(value) < model.stages.length ? Number(value) : undefined;
  return byName.get(value.toLowerCase());
}

/**
 * The stages builds start from: every stage a compose/bake/devcontainer target names, and the last
 * stage, which a plain `docker build` (CI, a release script) builds. The last stage is left out only
 * when it is built directly on a target (`FROM builder AS dev-envs` with `target: builder`): the
 * project then builds the stage below it on purpose and stops there.
 */
export function buildRoots(model: DockerfileModel, targets: readonly string[]): number[] {
  const named = model.stages.filter((s) => s.name && targets.some((t) => t.toLowerCase() === s.name)).map((s) => s.index);
  const last = model.stages.at(-1);
  if (!last || named.includes(last.index)) return named;
  const extendsTarget = last.base?.kind === 'stage' && named.includes(last.base.stageIndex);
  return extendsTarget ? named : [...named, last.index];
}

const builtCache = new HeldOn<DockerfileModel, Map<string, ReadonlySet<number>>>();

/** Stages the build runs: the roots (see {@link buildRoots}) and everything they use, transitively. */
export function builtStages(model: DockerfileModel, targets: readonly string[]): ReadonlySet<number> {
  let byTargets = builtCache.get(model);
  if (!byTargets) builtCache.set(model, (byTargets = new Map()));
  const key = targets.join('\u0000');
  let built = byTargets.get(key);
  if (!built) byTargets.set(key, (built = readBuilt(model, targets)));
  return built;
}

function readBuilt(model: DockerfileModel, targets: readonly string[]): Set<number> {
  const roots = buildRoots(model, targets);
  const built = new Set<number>();
  const users = stageUsers(model);
  const uses = new Map<number, number[]>();
  for (const [used, by] of users) for (const user of by) uses.set(user.stage, [...(uses.get(user.stage) ?? []), used]);
  const visit = (index: number) => {
    if (built.has(index)) return;
    built.add(index);
    for (const next of uses.get(index) ?? []) visit(next);
  };
  roots.forEach(visit);
  return built;
}
