import type { Rule } from './rule';

const RESERVED = new Set(['scratch', 'context']);

export const stageNameReserved: Rule = {
  meta: {
    id: 'stage-name-reserved',
    title: 'Stage named `scratch` or `context`',
    description: 'Flags stage names the builder reserves for other meanings.',
    category: 'syntax',
    severity: 'error',
    fixable: 'never',
    aliases: { buildkit: ['ReservedStageName'] },
    insideOnbuild: false,
    docs: {
      why: `\`scratch\` means the empty image and \`context\` names the build context in \`COPY --from\` and bake files.
A stage with either name cannot be referred to reliably; the builder warns and references resolve to the
reserved meaning instead of your stage.`,
      bad: `FROM alpine:3.20 AS scratch`,
      good: `FROM alpine:3.20 AS base`,
      fix: `Choose another name.`,
    },
  },
  check(model) {
    return model.stages.flatMap((stage) =>
      stage.name && stage.nameRange && RESERVED.has(stage.name)
        ? [{ range: stage.nameRange, message: `\`${stage.name}\` is reserved and cannot name a stage.` }]
        : [],
    );
  },
};
