/**
 * Where stage names and variables are declared and used in one Dockerfile: the index behind
 * go to definition, find references, rename, highlights and semantic tokens.
 *
 * Stage names are case-insensitive, as the builder treats them. Variables are matched by exact
 * name across the whole file: renaming `VERSION` renames every `$VERSION`, whichever stage it is in,
 * which is what people mean when they rename a build argument.
 */
import type { Position, Range } from 'vscode-languageserver-types';
import { safely, type DockerfileModel } from '../engine/model';
import { compare, contains } from '../engine/positions';
import { stageReferences } from '../rules/stageGraph';

export interface Occurrence {
  readonly kind: 'stage' | 'variable';
  /** Lower-cased for stages. */
  readonly name: string;
  readonly range: Range;
  readonly declaration: boolean;
  /** The stage it sits in; `undefined` before the first FROM and on FROM lines (global scope). */
  readonly stage: number | undefined;
  /** For variable declarations: which instruction declared it. */
  readonly declaredBy?: 'ARG' | 'ENV';
}

const cache = new WeakMap<DockerfileModel, readonly Occurrence[]>();

export function occurrences(model: DockerfileModel): readonly Occurrence[] {
  let found = cache.get(model);
  if (!found) cache.set(model, (found = collect(model)));
  return found;
}

function collect(model: DockerfileModel): Occurrence[] {
  const stageNames = new Set(model.stages.flatMap((s) => (s.name ? [s.name] : [])));
  const found: Occurrence[] = [];
  for (const stage of model.stages) {
    if (stage.name && stage.nameRange) found.push({ kind: 'stage', name: stage.name, range: stage.nameRange, declaration: true, stage: stage.index });
  }
  // Only a name written as it is; one built from variables is not something to rename.
  for (const ref of stageReferences(model)) {
    const name = ref.value.toLowerCase();
    if (ref.literal && stageNames.has(name)) found.push({ kind: 'stage', name, range: ref.range, declaration: false, stage: ref.stage });
  }
  for (const info of model.instructions) {
    const scope = info.keyword === 'FROM' ? undefined : info.stage;
    if (info.keyword === 'ARG' || info.keyword === 'ENV') {
      for (const property of info.properties) {
        const range = property.getNameRange();
        found.push({ kind: 'variable', name: property.getName(), range, declaration: true, stage: info.stage, declaredBy: info.keyword });
      }
    }
    for (const variable of safely(() => info.node.getVariables(), [])) {
      found.push({ kind: 'variable', name: variable.getName(), range: variable.getNameRange(), declaration: false, stage: scope });
    }
  }
  return found.sort((a, b) => compare(a.range.start, b.range.start));
}

export function occurrenceAt(model: DockerfileModel, position: Position): Occurrence | undefined {
  return occurrences(model).find((o) => contains(o.range, position));
}

/** Every occurrence of the same symbol. */
export function sameSymbol(model: DockerfileModel, of: Occurrence): Occurrence[] {
  return occurrences(model).filter((o) => o.kind === of.kind && o.name === of.name);
}

/**
 * Where a use of a symbol is declared. A variable resolves to the nearest declaration before it in
 * its own stage, then in the stages it builds on, then among the ARGs before the first FROM.
 */
export function declarationOf(model: DockerfileModel, use: Occurrence): Occurrence | undefined {
  const candidates = sameSymbol(model, use).filter((o) => o.declaration);
  if (use.kind === 'stage') return candidates[0];
  const before = (o: Occurrence) => compare(o.range.start, use.range.start) < 0;
  const inStage = (stage: number | undefined) => candidates.filter((o) => o.stage === stage && before(o)).at(-1);
  for (const stage of stageChain(model, use.stage)) {
    const hit = inStage(stage);
    if (hit) return hit;
  }
  return candidates.find((o) => o.stage === undefined);
}

/** The stage and the stages it builds on, nearest first. */
function stageChain(model: DockerfileModel, stage: number | undefined): number[] {
  const chain: number[] = [];
  for (let current = stage; current !== undefined && !chain.includes(current); ) {
    chain.push(current);
    const base = model.stages[current]?.base;
    current = base?.kind === 'stage' ? base.stageIndex : undefined;
  }
  return chain;
}
