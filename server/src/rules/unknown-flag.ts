import { INSTRUCTIONS, FLAGGED } from './instructionTable';
import type { Rule } from './rule';

export const unknownFlag: Rule = {
  meta: {
    id: 'unknown-flag',
    title: 'Unknown flag',
    description: 'Flags options such as COPY --own that the instruction does not accept.',
    category: 'syntax',
    severity: 'error',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `Instruction flags are fixed: \`COPY --chwon\` or \`RUN --cache\` fail the build with "unknown flag". The rule
knows the flags of \`FROM\`, \`RUN\`, \`COPY\`, \`ADD\` and \`HEALTHCHECK\` in current Dockerfile syntax.`,
      bad: `COPY --chwon=app:app . /app`,
      good: `COPY --chown=app:app . /app`,
      fix: `Correct the flag name.`,
    },
  },
  check(model) {
    return model.instructions.flatMap((info) => {
      if (!FLAGGED.has(info.keyword)) return [];
      const known = INSTRUCTIONS[info.keyword]!;
      return info.flags
        .filter((f) => !known.includes(f.getName().toLowerCase()))
        .map((f) => ({ range: f.getNameRange(), message: `\`--${f.getName()}\` is not a flag of ${info.keyword} (it takes ${known.map((k) => `--${k}`).join(', ')}).` }));
    });
  },
};
