import type { Rule } from './rule';

export const stageNameDuplicate: Rule = {
  meta: {
    id: 'stage-name-duplicate',
    title: 'Two stages with the same name',
    description: 'Flags a stage name used twice; the builder rejects the file.',
    category: 'syntax',
    severity: 'error',
    fixable: 'never',
    aliases: { hadolint: ['DL3024'], buildkit: ['DuplicateStageName'] },
    insideOnbuild: false,
    docs: {
      why: `Stage names identify stages for \`COPY --from\`, \`--target\` and later \`FROM\`s. Two stages with one name
make every reference ambiguous, and the builder stops with an error.`,
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
      return [{ range: stage.nameRange, message: `Stage name \`${stage.name}\` is already used by stage ${first!.index} (line ${first!.from.getRange().start.line + 1}).` }];
    });
  },
};
