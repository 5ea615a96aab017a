import { copySpec, instructionsNamed, stageChain } from './query';
import type { Rule } from './rule';

export const copyRelativeDestination: Rule = {
  meta: {
    id: 'copy-relative-destination',
    title: '`COPY` to a relative path with no `WORKDIR`',
    description: 'Flags COPY/ADD to a relative destination in a stage that never sets WORKDIR, so files land wherever the base image left off.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'never',
    aliases: { hadolint: ['DL3045'] },
    docs: {
      why: `A relative destination is resolved against the working directory, which, without a \`WORKDIR\` in the
Dockerfile, is whatever the base image set: \`/\` for most, \`/usr/src/app\` or \`/home/node\` for others. \`COPY .
.\` then scatters the application over the root file system, and changes location when the base image does.`,
      bad: `FROM python:3.12-slim
COPY . .`,
      good: `FROM python:3.12-slim
WORKDIR /app
COPY . .`,
      fix: `Add \`WORKDIR /app\` (or another absolute path) before the \`COPY\`, or use an absolute destination.`,
    },
  },
  check(model) {
    return model.stages.flatMap((stage) => {
      const before = stageChain(model, stage).slice(0, -1).some((s) => instructionsNamed(s, 'WORKDIR').length > 0);
      if (before) return [];
      const firstWorkdir = instructionsNamed(stage, 'WORKDIR')[0]?.range.start.line ?? Number.POSITIVE_INFINITY;
      return stage.instructions.flatMap((info) => {
        if ((info.keyword !== 'COPY' && info.keyword !== 'ADD') || info.range.start.line > firstWorkdir) return [];
        const { dest } = copySpec(info);
        if (!dest || /^(?:\/|\$|[A-Za-z]:[\\/]|\\)/.test(dest.value)) return [];
        return [{ range: dest.range, message: `\`${dest.value}\` is relative, and no WORKDIR is set: the files land in the base image's working directory. Set WORKDIR first.` }];
      });
    });
  },
};
