import { buildkitProblems } from '../../language/buildkitChecks';
import type { Rule } from '../../engine/rule';

export const unknownInstruction: Rule = {
  meta: {
    id: 'unknown-instruction',
    title: 'Unknown instruction',
    description: 'Flags lines that start with a word that is not a Dockerfile instruction, which BuildKit refuses.',
    category: 'syntax',
    severity: 'error',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `BuildKit reads the whole file before it builds anything and refuses it at the first word that is not an
instruction: "unknown instruction: COPPY (did you mean COPY?)". Usually it is a typo, or a shell command on a
continuation line whose \`\\\` went missing. dockwise reads the file as BuildKit does (comment lines inside an
instruction, heredoc bodies and continuation lines are not instructions) and reports BuildKit's message.
A \`# syntax=\` line naming another frontend turns the rule off.`,
      bad: `RUN apt-get update
    apt-get install -y curl`,
      good: `RUN apt-get update \\
 && apt-get install -y curl`,
      fix: `Correct the instruction name, or restore the missing line continuation on the line above.`,
    },
  },
  check(model) {
    const reads = model.reading.instructions;
    return buildkitProblems(model)
      .filter((p) => p.owner === 'unknown-instruction')
      .map((p) => {
        const read = reads.find((r) => r.start === p.start);
        const before = read ? reads[reads.indexOf(read) - 1] : undefined;
        const lineStart = read ? model.document.offsetAt({ line: read.startLine, character: 0 }) : p.start;
        // An indented word right under a RUN reads like the rest of its shell command.
        const continued = before?.name === 'RUN' && read !== undefined && before.endLine === read.startLine - 1 && read.start > lineStart;
        const hint = continued ? ` If this line belongs to the RUN above, end that line with ${model.escapeChar}.` : '';
        return { range: model.rangeOf(p.start, p.end), message: `BuildKit refuses this file: ${p.message}.${hint}` };
      });
  },
};
