import { replace } from '../../language/edits';
import type { InstructionInfo } from '../../language/model';
import { stageRule, type Finding } from '../../engine/rule';

/** The first property of an `ENV` or `LABEL` written in the legacy `key value` form. */
function legacyFindings(info: InstructionInfo): Finding[] {
  if (info.keyword !== 'ENV' && info.keyword !== 'LABEL') return [];
  const legacy = info.properties.find((p) => p.getAssignmentOperator() === null && p.getValue() !== null);
  return legacy ? [{ range: legacy.getRange(), message: `Use \`${info.keyword} ${legacy.getName()}=…\`: the space-separated form is deprecated and sets only one value.` }] : [];
}

export const legacyKeyValue = stageRule({
  meta: {
    id: 'legacy-key-value',
    title: '`ENV key value` instead of `ENV key=value`',
    description: 'Flags the legacy space-separated form of ENV and LABEL, which sets only one variable and reads ambiguously.',
    category: 'style',
    severity: 'warning',
    fixable: 'sometimes',
    aliases: { buildkit: ['LegacyKeyValueFormat'] },
    docs: {
      why: `\`ENV PATH /app/bin:$PATH\` is the old form: everything after the first space is the value, including
further spaces, so \`ENV A 1 B 2\` sets \`A\` to \`1 B 2\`. The \`key=value\` form can set several variables in one
instruction and reads unambiguously. The legacy form is deprecated and BuildKit warns about it.`,
      bad: `ENV NODE_ENV production
ENV PATH /app/bin:$PATH`,
      good: `ENV NODE_ENV=production \\
    PATH=/app/bin:$PATH`,
      fix: `Put \`=\` between the name and the value; quote values that contain spaces.
The quick fix writes \`key=value\`, quoting values with spaces; values with quotes or backslashes are left to you.`,
    },
  },
  checkStage: (stage) => stage.instructions.flatMap(legacyFindings),
  // Instructions before the first FROM belong to no stage.
  checkFile: (model) => model.preamble.flatMap(legacyFindings),

  fix(model, finding) {
    const info = model.instructions.find((i) => i.range.start.line === finding.range.start.line && (i.keyword === 'ENV' || i.keyword === 'LABEL'));
    const property = info?.properties.find((p) => p.getAssignmentOperator() === null && p.getValue() !== null);
    const name = property?.getName();
    const valueRange = property?.getValueRange();
    if (!property || !name || !valueRange) return [];
    const value = model.document.getText(valueRange);
    // Quotes and escapes mean something different in the key=value form; leave those to a person.
    if (/["'\\`]/.test(value) || /\n/.test(value)) return [];
    const written = /\s/.test(value) ? `"${value}"` : value;
    return [{ title: `Write ${name}=…`, edits: [replace({ start: property.getNameRange().start, end: valueRange.end }, `${name}=${written}`)], safe: true }];
  },
});
