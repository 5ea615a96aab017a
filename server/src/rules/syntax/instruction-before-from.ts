import { INSTRUCTIONS } from '../../language/instructionTable';
import { keywordRange } from '../../language/query';
import type { Rule } from '../../engine/rule';

export const instructionBeforeFrom: Rule = {
  meta: {
    id: 'instruction-before-from',
    title: 'Instruction before the first `FROM`',
    description: 'Flags instructions other than ARG before the first FROM, and files without FROM.',
    category: 'syntax',
    severity: 'error',
    fixable: 'never',
    aliases: { hadolint: ['DL3061'] },
    insideOnbuild: false,
    docs: {
      why: `A Dockerfile starts with \`FROM\`; only \`ARG\`s (for use in \`FROM\`) and parser directives may come before it.
Anything else makes BuildKit refuse the whole file before it builds anything: "no build stage in current context".`,
      bad: `ENV APP_HOME=/app
FROM alpine:3.20`,
      good: `FROM alpine:3.20
ENV APP_HOME=/app`,
      fix: `Move the instruction below \`FROM\`.`,
    },
  },
  check(model) {
    return model.instructions.flatMap((info) =>
      info.stage === undefined && info.keyword !== 'ARG' && Object.hasOwn(INSTRUCTIONS, info.keyword)
        ? [
            {
              range: keywordRange(info),
              message: model.stages.length
                ? `BuildKit refuses this file: no build stage in current context (${info.keyword} comes before the first FROM; only ARG may).`
                : `BuildKit refuses this file: no build stage in current context (there is no FROM, so ${info.keyword} has no stage to belong to).`,
            },
          ]
        : [],
    );
  },
};
