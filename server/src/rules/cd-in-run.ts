import { shellCommands, wordRange } from './query';
import type { Rule } from './rule';

export const cdInRun: Rule = {
  meta: {
    id: 'cd-in-run',
    title: '`cd` in `RUN`',
    description: 'Flags cd in RUN: the directory is forgotten after the RUN, and WORKDIR says it once for every instruction.',
    category: 'maintainability',
    severity: 'info',
    fixable: 'never',
    aliases: { hadolint: ['DL3003'] },
    docs: {
      why: `Each \`RUN\` starts in the \`WORKDIR\`; a \`cd\` lasts only until the end of that \`RUN\`. Scripts that \`cd\`
around are easy to break when a line is added or reordered, and the next instruction silently runs somewhere
else. \`WORKDIR\` sets the directory for every following \`RUN\`, \`COPY\`, \`CMD\` and \`ENTRYPOINT\`, and creates it
if needed. A \`cd\` inside a one-off build step (unpack, build, delete) is fine; that is why this is only
informational.`,
      bad: `RUN cd /app && npm ci`,
      good: `WORKDIR /app
RUN npm ci`,
      fix: `Set the directory with \`WORKDIR\` before the \`RUN\`.`,
    },
  },
  check(model) {
    return shellCommands(model).flatMap((c) =>
      c.program === 'cd' && c.command.name?.value === 'cd' ? [{ range: wordRange(model, c.nameWord), message: 'Prefer WORKDIR to `cd`: the directory change ends with this RUN.' }] : [],
    );
  },
};
