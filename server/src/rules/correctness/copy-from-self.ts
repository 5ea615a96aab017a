import { flagNamed } from '../../language/query';
import { stageRule } from '../../engine/rule';

export const copyFromSelf = stageRule({
  meta: {
    id: 'copy-from-self',
    title: '`COPY --from` the stage itself',
    description: 'Flags COPY --from naming the stage it is in, which cannot work.',
    category: 'correctness',
    severity: 'error',
    fixable: 'never',
    aliases: { hadolint: ['DL3023'], trivy: ['DS-0006'] },
    insideOnbuild: false,
    docs: {
      why: `A stage cannot copy from itself: it does not exist yet while its own instructions run. The builder stops
with a dependency error. Copy within the stage with \`RUN cp\`, or from the stage that produced the files.`,
      bad: `FROM node:20 AS build
COPY --from=build /src/dist /app`,
      good: `FROM node:20 AS build
RUN cp -r /src/dist /app`,
      fix: `Name the stage that produced the files, or use \`RUN cp\` inside the stage.`,
    },
  },
  checkStage(stage) {
    return stage.instructions.flatMap((info) => {
      const flag = info.keyword === 'COPY' ? flagNamed(info, 'from') : undefined;
      const value = flag?.getValue()?.toLowerCase();
      if (!flag || !value || (value !== stage.name && value !== String(stage.index))) return [];
      return [
        {
          range: flag.getValueRange() ?? flag.getRange(),
          message: `BuildKit fails the build: circular dependency detected on stage: ${stage.name ?? `stage-${stage.index}`}. This stage cannot copy from itself (\`${flag.getValue()}\`).`,
        },
      ];
    });
  },
});
