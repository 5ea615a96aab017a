import type { Rule } from '../../engine/rule';

export const stageNameDuplicate: Rule = {
  meta: {
    id: 'stage-name-duplicate',
    title: 'Two stages with the same name',
    description: 'Flags a stage name used twice: BuildKit warns and resolves the name to the last stage that has it.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'never',
    aliases: { hadolint: ['DL3024'], buildkit: ['DuplicateStageName'], trivy: ['DS-0012'], checkov: ['CKV_DOCKER_11'] },
    insideOnbuild: false,
    docs: {
      why: `Stage names identify stages for \`COPY --from\`, \`--target\` and later \`FROM\`s. BuildKit builds a file with two
stages of one name (it warns: DuplicateStageName), but \`COPY --from=<name>\` and \`--target <name>\` then mean the
last stage with that name, wherever the \`COPY\` is, while \`FROM <name>\` means the nearest one above it. A
\`COPY --from\` written for the first stage silently copies from the second, or fails because that one comes
later. Names are compared case-insensitively. Under \`# check=error=true\` BuildKit fails the build, and so this
rule reports an error.`,
      bad: `FROM node:20 AS build
FROM golang:1.23 AS build`,
      good: `FROM node:20 AS web-build
FROM golang:1.23 AS api-build`,
      fix: `Rename one of the stages and update its references.`,
    },
  },
  check(model) {
    return model.stages.flatMap((stage) => {
      const first = model.stages.find((s) => s.name === stage.name);
      if (!stage.name || !stage.nameRange || first === stage) return [];
      return [
        {
          range: stage.nameRange,
          message: `Duplicate stage name "${stage.name}", stage names should be unique: stage ${first!.index} (line ${first!.from.range.start.line + 1}) has it too, and \`--from=${stage.name}\` and \`--target ${stage.name}\` now mean the last of them.`,
        },
      ];
    });
  },
};
