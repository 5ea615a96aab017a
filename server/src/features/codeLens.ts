/**
 * CodeLenses: where the build context comes from, above the first line, and above each named
 * stage which stages use it. Titles only: they inform, clicking does nothing.
 */
import type { CodeLens } from 'vscode-languageserver-types';
import type { DockerfileModel } from '../language/model';
import type { RuleContext } from '../engine/rule';
import { builtStages, stageUsers } from '../language/stageGraph';

const lens = (line: number, title: string): CodeLens => ({ range: { start: { line, character: 0 }, end: { line, character: 0 } }, command: { title, command: '' } });

export function contextLabel(facts: NonNullable<RuleContext['buildContext']>): string {
  const dir = facts.dir && facts.dir !== '.' ? facts.dir : 'this folder';
  return `build context: ${dir}${facts.origin ? `, from ${facts.origin}` : ''}`;
}

export function codeLenses(model: DockerfileModel, facts: RuleContext['buildContext']): CodeLens[] {
  const lenses: CodeLens[] = facts ? [lens(0, contextLabel(facts))] : [];
  if (model.stages.length < 2) return lenses;
  const users = stageUsers(model);
  const built = builtStages(model, facts?.targets ?? []);
  for (const stage of model.stages) {
    if (!stage.name) continue;
    const line = stage.from.range.start.line;
    const uses = (users.get(stage.index) ?? []).map((u) => `${model.stages[u.stage]?.name ?? `stage ${u.stage}`} (${u.how})`);
    const title = uses.length > 0 ? `used by ${uses.join(', ')}` : built.has(stage.index) ? 'built: the target of this build' : 'not used by the build target';
    lenses.push(lens(line, title));
  }
  return lenses;
}
