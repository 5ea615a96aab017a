import { stageNamed } from './query';
import { stageReferences } from './stageGraph';
import type { Rule } from './rule';

/** A plain name, which the user meant as a stage: image references have `:`, `/`, `.` or `@`. */
const STAGE_LIKE = /^[A-Za-z0-9_-]+$/;

export const copyFromUnknownStage: Rule = {
  meta: {
    id: 'copy-from-unknown-stage',
    title: '`COPY --from` a stage that does not exist (yet)',
    description: 'Flags COPY --from and RUN --mount=from names that are not an earlier stage, which the builder pulls as images instead.',
    category: 'correctness',
    severity: 'error',
    fixable: 'never',
    aliases: { hadolint: ['DL3022'] },
    insideOnbuild: false,
    docs: {
      why: `\`--from\` takes a stage name, a stage index or an image. A name that matches no earlier stage is treated as
an image on Docker Hub: a typo like \`--from=biuld\` either fails with "pull access denied" or, worse, copies
files out of a stranger's image that happens to have that name. Stages must also be defined before they are
used.`,
      bad: `FROM golang:1.23 AS build
FROM alpine:3.20
COPY --from=biuld /out/app /app`,
      good: `FROM golang:1.23 AS build
FROM alpine:3.20
COPY --from=build /out/app /app`,
      fix: `Correct the name, or move the stage it names above this one.`,
    },
  },
  check(model) {
    return stageReferences(model)
      .filter((ref) => ref.how !== 'FROM')
      .flatMap(({ stage: index, value, range }) => {
        const stage = model.stages[index]!;
        if (!STAGE_LIKE.test(value) || stageNamed(model, value, stage.index)) return [];
        if (value.toLowerCase() === stage.name || value === String(stage.index)) return [{ range, message: `Stage \`${value}\` copies from itself: a cycle the builder rejects.` }];
        if (/^\d+$/.test(value)) return [{ range, message: `There is no stage ${value} before this one.` }];
        const later = model.stages.find((s) => s.name === value.toLowerCase());
        const message = later
          ? `Stage \`${value}\` is defined later (line ${later.from.getRange().start.line + 1}); a stage can only copy from stages above it.`
          : `No stage is named \`${value}\`, so the builder will try to pull an image called \`${value}\`.`;
        return [{ range, message }];
      });
  },
};
