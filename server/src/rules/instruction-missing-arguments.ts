import { INSTRUCTIONS } from './instructionTable';
import { keywordRange } from './query';
import type { Rule } from './rule';

export const instructionMissingArguments: Rule = {
  meta: {
    id: 'instruction-missing-arguments',
    title: 'Instruction without arguments',
    description: 'Flags instructions with nothing after them, which the builder rejects.',
    category: 'syntax',
    severity: 'error',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `Every instruction needs at least one argument; \`WORKDIR\` or \`FROM\` on its own fails the build with
"requires at least one argument".`,
      bad: `FROM`,
      good: `FROM alpine:3.20`,
      fix: `Complete or remove the instruction.`,
    },
  },
  check(model) {
    return model.instructions.flatMap((info) =>
      Object.hasOwn(INSTRUCTIONS, info.keyword) && info.args.length === 0 && info.flags.length === 0
        ? [{ range: keywordRange(info), message: `${info.keyword} needs at least one argument.` }]
        : [],
    );
  },
};
