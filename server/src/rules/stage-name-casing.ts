import type { Rule } from './rule';

export const stageNameCasing: Rule = {
  meta: {
    id: 'stage-name-casing',
    title: 'Stage name not in lower case',
    description: 'Flags `AS Build`: stage names are case-insensitive, and mixed case hides that.',
    category: 'style',
    severity: 'warning',
    fixable: 'never',
    aliases: { buildkit: ['StageNameCasing'] },
    docs: {
      why: `The builder lower-cases stage names, so \`AS Build\` and \`--from=build\` refer to the same stage. Writing
them in mixed case suggests they differ and makes searching the file for a stage unreliable.`,
      bad: `FROM golang:1.23 AS Build
FROM scratch
COPY --from=Build /out/app /app`,
      good: `FROM golang:1.23 AS build
FROM scratch
COPY --from=build /out/app /app`,
      fix: `Write the name in lower case, here and where it is used.`,
    },
  },
  check(model) {
    return model.stages.flatMap((stage) => {
      const written = stage.from.getBuildStage();
      if (!written || !stage.nameRange || written === written.toLowerCase()) return [];
      return [{ range: stage.nameRange, message: `Stage name \`${written}\` should be lower case (\`${written.toLowerCase()}\`): the builder ignores case anyway.` }];
    });
  },
};
