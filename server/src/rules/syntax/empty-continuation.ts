import type { DockerfileModel, InstructionInfo } from '../../language/model';
import { instructionsRule, type Finding } from '../../engine/rule';

/** The empty lines inside one continued instruction (heredoc bodies left out: blank lines belong there). */
function emptyLines(model: DockerfileModel, info: InstructionInfo): Finding[] {
  const { start, end } = info.range;
  if (end.line === start.line || /<<-?["']?\w/.test(model.document.getText(info.range))) return [];
  const text = model.document.getText();
  const findings = [];
  for (let line = start.line + 1; line < end.line; line++) {
    const from = model.document.offsetAt({ line, character: 0 });
    const to = model.document.offsetAt({ line: line + 1, character: 0 });
    if (text.slice(from, to).trim() === '') {
      findings.push({ range: { start: { line, character: 0 }, end: { line, character: 0 } }, message: 'Empty line inside a continued instruction: remove it.' });
    }
  }
  return findings;
}

export const emptyContinuation = instructionsRule({
  meta: {
    id: 'empty-continuation',
    title: 'Empty line inside a continued instruction',
    description: 'Flags blank lines within an instruction continued with a backslash; they are deprecated and will become errors.',
    category: 'syntax',
    severity: 'warning',
    fixable: 'never',
    aliases: { buildkit: ['NoEmptyContinuation'] },
    docs: {
      why: `An empty line after a trailing \`\\\` is skipped today, so the instruction continues past it. That makes it
look as if the instruction ended at the blank line, and a later edit that relies on that breaks the file.
Docker deprecated empty continuation lines; a future version will treat them as errors.`,
      bad: `RUN apt-get update && \\

    apt-get install -y --no-install-recommends curl`,
      good: `RUN apt-get update && \\
    apt-get install -y --no-install-recommends curl`,
      fix: `Delete the blank line, or turn it into a comment line if it separates groups.`,
    },
  },
  checkInstructions: (instructions, model) => instructions.flatMap((info) => emptyLines(model, info)),
});
