import { INSTRUCTIONS } from './instructionTable';
import { keywordRange } from './query';
import type { Rule } from './rule';

export const unknownInstruction: Rule = {
  meta: {
    id: 'unknown-instruction',
    title: 'Unknown instruction',
    description: 'Flags lines that start with a word that is not a Dockerfile instruction.',
    category: 'syntax',
    severity: 'error',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `The builder stops at the first unknown instruction ("unknown instruction: COPPY"). Usually it is a typo, or
a shell command on a continuation line whose \`\\\` went missing.`,
      bad: `RUN apt-get update
    apt-get install -y curl`,
      good: `RUN apt-get update \\
 && apt-get install -y curl`,
      fix: `Correct the instruction name, or restore the missing line continuation on the line above.`,
    },
  },
  check(model) {
    return model.instructions.flatMap((info) =>
      Object.hasOwn(INSTRUCTIONS, info.keyword) ? [] : [{ range: keywordRange(info), message: `\`${info.node.getInstruction()}\` is not a Dockerfile instruction.` }],
    );
  },
};
