import { DiagnosticTag } from 'vscode-languageserver-types';
import type { DockerfileModel } from '../engine/model';
import { stageUsers } from './stageGraph';
import type { Rule } from './rule';

/** Stages the build runs: the targets (or the last stage) and everything they use, transitively. */
export function builtStages(model: DockerfileModel, targets: readonly string[]): Set<number> {
  const roots = targets.length > 0 ? model.stages.filter((s) => s.name && targets.some((t) => t.toLowerCase() === s.name)).map((s) => s.index) : [model.stages.length - 1];
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

export const stageUnused: Rule = {
  meta: {
    id: 'stage-unused',
    title: 'Stage that the build never uses',
    description: 'Flags stages that neither the final stage (or the compose/bake target) nor any stage it uses builds on or copies from.',
    category: 'maintainability',
    severity: 'info',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `BuildKit only builds the stages the target needs. A stage nothing uses is skipped silently: its \`RUN\`s never
run, its tests never fail, and readers assume it matters. It is usually left over from a refactoring, or
a \`COPY --from\` points at the wrong stage.`,
      bad: `FROM node:22 AS test
RUN npm test
FROM node:22 AS build
RUN npm run build
FROM nginx:1.27
COPY --from=build /app/dist /usr/share/nginx/html`,
      good: `FROM node:22 AS build
RUN npm run build
FROM nginx:1.27
COPY --from=build /app/dist /usr/share/nginx/html`,
      fix: `Delete the stage, use it from the stage that needs it, or build it on purpose with \`--target\`.`,
    },
  },
  check(model, context) {
    if (model.stages.length < 2) return [];
    const targets = context.buildContext?.targets ?? [];
    const built = builtStages(model, targets);
    const produced = targets.length > 0 ? `the build target${targets.length > 1 ? 's' : ''} ${targets.map((t) => `\`${t}\``).join(', ')}` : 'the final stage';
    return model.stages.flatMap((stage) => {
      if (built.has(stage.index)) return [];
      const range = stage.nameRange ?? stage.from.getInstructionRange();
      const label = stage.name ? `Stage \`${stage.name}\`` : `Stage ${stage.index}`;
      return [{ range, message: `${label} is not used by ${produced}, so BuildKit skips it.`, tags: [DiagnosticTag.Unnecessary] }];
    });
  },
};
