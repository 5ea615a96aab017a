import { stageRule } from '../../engine/rule';

const RESERVED: Readonly<Record<string, string>> = {
  scratch: 'a later `FROM scratch` builds on this stage instead of the empty image',
  context: 'bake files and `--build-context` use it for the build context',
};

export const stageNameReserved = stageRule({
  meta: {
    id: 'stage-name-reserved',
    title: 'Stage named `scratch` or `context`',
    description: 'Flags stage names BuildKit reserves for other meanings; it warns and builds.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'never',
    aliases: { buildkit: ['ReservedStageName'] },
    insideOnbuild: false,
    docs: {
      why: `\`scratch\` means the empty image and \`context\` names the build context in bake files and \`--build-context\`.
BuildKit builds a file with a stage of either name, with a warning (ReservedStageName), but the name then means
two things: after \`FROM alpine AS scratch\`, a later \`FROM scratch\` builds on that Alpine stage instead of the
empty image. Under \`# check=error=true\` BuildKit fails the build, and so this rule reports an error.`,
      bad: `FROM alpine:3.20 AS scratch`,
      good: `FROM alpine:3.20 AS base`,
      fix: `Choose another name.`,
    },
  },
  checkStage(stage) {
    return stage.name && stage.nameRange && Object.hasOwn(RESERVED, stage.name)
      ? [{ range: stage.nameRange, message: `Stage name should not use the same name as reserved stage "${stage.name}": ${RESERVED[stage.name]}.` }]
      : [];
  },
});
