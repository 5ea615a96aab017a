import { keywordRange } from './query';
import type { Rule } from './rule';

const FORBIDDEN = new Set(['FROM', 'MAINTAINER', 'ONBUILD']);

export const onbuildInvalid: Rule = {
  meta: {
    id: 'onbuild-invalid',
    title: '`ONBUILD` with `FROM`, `MAINTAINER` or `ONBUILD`',
    description: 'Flags ONBUILD triggers that the builder refuses.',
    category: 'syntax',
    severity: 'error',
    fixable: 'never',
    aliases: { hadolint: ['DL3043'] },
    docs: {
      why: `\`ONBUILD\` registers an instruction to run in images built \`FROM\` this one. \`FROM\`, \`MAINTAINER\` and a nested
\`ONBUILD\` are not allowed as triggers: the build fails, but only for whoever builds on your image later.`,
      bad: `ONBUILD FROM alpine:3.20`,
      good: `ONBUILD COPY . /app`,
      fix: `Remove the trigger.`,
    },
  },
  check(model) {
    return model.instructions.flatMap((info) => {
      if (info.keyword !== 'ONBUILD') return [];
      const trigger = info.args[0]?.getValue().toUpperCase();
      return trigger && FORBIDDEN.has(trigger) ? [{ range: keywordRange(info), message: `\`ONBUILD ${trigger}\` is not allowed.` }] : [];
    });
  },
};
