import { buildkitProblems, foreignFrontend } from '../../language/buildkitChecks';
import type { Finding, Rule } from '../../engine/rule';

export const instructionMissingArguments: Rule = {
  meta: {
    id: 'instruction-missing-arguments',
    title: 'Instruction without arguments',
    description: 'Flags instructions with nothing after them: an error where BuildKit refuses the file, a warning for a bare CMD or ENTRYPOINT, a note for a bare RUN.',
    category: 'syntax',
    severity: 'warning',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `Most instructions need an argument, and BuildKit refuses the file when one is missing, in words such as
"WORKDIR requires exactly one argument" or "ENV requires at least one argument": reported as errors.
\`RUN\`, \`CMD\` and \`ENTRYPOINT\` are the exceptions: BuildKit accepts them bare and runs \`/bin/sh -c ''\`. A bare
\`RUN\` does nothing (a note); a bare \`CMD\` or \`ENTRYPOINT\` makes a container that exits at once (a warning).
\`CMD []\` and \`ENTRYPOINT []\` are not bare: they clear what the base image set.`,
      bad: `FROM alpine:3.20
WORKDIR
CMD`,
      good: `FROM alpine:3.20
WORKDIR /app
CMD ["./server"]`,
      fix: `Complete or remove the instruction.`,
    },
  },
  check(model): Finding[] {
    const refused = buildkitProblems(model)
      .filter((p) => p.owner === 'instruction-missing-arguments')
      .map((p) => ({ range: model.rangeOf(p.start, p.end), message: `BuildKit refuses this file: ${p.message}.`, severity: 'error' as const }));
    const bare = foreignFrontend(model) ? [] : model.reading.instructions.flatMap((read): Finding[] => {
      if (read.rest !== '' || read.trigger) return [];
      const range = model.rangeOf(read.start, read.start + read.keyword.length);
      if (read.name === 'RUN') return [{ range, message: "RUN without a command runs `/bin/sh -c ''`, which does nothing.", severity: 'info' as const }];
      if (read.name === 'CMD') return [{ range, message: "CMD without a command: the container runs `/bin/sh -c ''` and exits at once.", severity: 'warning' as const }];
      if (read.name === 'ENTRYPOINT') return [{ range, message: "ENTRYPOINT without a command: the container runs `/bin/sh -c ''` and exits at once.", severity: 'warning' as const }];
      return [];
    });
    return [...refused, ...bare];
  },
};
