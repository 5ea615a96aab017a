import { DiagnosticTag } from 'vscode-languageserver-types';
import type { DockerfileModel } from '../../language/model';
import { buildRoots, builtStages } from '../../language/stageGraph';
import type { Rule } from '../../engine/rule';

/** What the roots are, for the message: "the final stage", "the build target `dev`", or both. */
function rootsLabel(model: DockerfileModel, roots: readonly number[]): string {
  const last = model.stages.length - 1;
  const named = roots.filter((r) => r !== last).map((r) => `\`${model.stages[r]!.name}\``);
  const targets = named.length > 0 ? `the build target${named.length > 1 ? 's' : ''} ${named.join(', ')}` : '';
  const final = roots.includes(last) ? 'the final stage' : '';
  return [targets, final].filter(Boolean).join(' or ') || 'the build';
}

export const stageUnused: Rule = {
  meta: {
    id: 'stage-unused',
    title: 'Stage that the build never uses',
    description: 'Flags stages that neither the final stage nor a compose/bake/devcontainer target, nor any stage they use, builds on or copies from.',
    category: 'maintainability',
    severity: 'info',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `BuildKit only builds the stages the target needs. A stage nothing uses is skipped silently: its \`RUN\`s never
run, its tests never fail, and readers assume it matters. It is usually left over from a refactoring, or
a \`COPY --from\` points at the wrong stage.

A stage counts as used when the last stage (what \`docker build\` builds without \`--target\`), a target named by
a compose service, a bake target or a dev container's \`build.target\`, or a stage one of those uses builds on it
(\`FROM\`), copies from it (\`COPY --from\`) or mounts it (\`RUN --mount=from\`). The last stage stays a root when
compose targets another stage, since CI and release builds usually build it without a target; only a last stage
built directly on a compose target (\`FROM builder AS dev-envs\` with \`target: builder\`) is not.`,
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
    const produced = rootsLabel(model, buildRoots(model, targets));
    return model.stages.flatMap((stage) => {
      if (built.has(stage.index)) return [];
      const range = stage.nameRange ?? stage.from.keywordRange;
      const label = stage.name ? `Stage \`${stage.name}\`` : `Stage ${stage.index}`;
      return [{ range, message: `${label} is not used by ${produced}, so BuildKit skips it.`, tags: [DiagnosticTag.Unnecessary] }];
    });
  },
};
