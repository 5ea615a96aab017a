import type { Rule } from './rule';

export const legacyKeyValue: Rule = {
  meta: {
    id: 'legacy-key-value',
    title: '`ENV key value` instead of `ENV key=value`',
    description: 'Flags the legacy space-separated form of ENV and LABEL, which sets only one variable and reads ambiguously.',
    category: 'style',
    severity: 'warning',
    fixable: 'never',
    aliases: { buildkit: ['LegacyKeyValueFormat'] },
    docs: {
      why: `\`ENV PATH /app/bin:$PATH\` is the old form: everything after the first space is the value, including
further spaces, so \`ENV A 1 B 2\` sets \`A\` to \`1 B 2\`. The \`key=value\` form can set several variables in one
instruction and reads unambiguously. The legacy form is deprecated and BuildKit warns about it.`,
      bad: `ENV NODE_ENV production
ENV PATH /app/bin:$PATH`,
      good: `ENV NODE_ENV=production \\
    PATH=/app/bin:$PATH`,
      fix: `Put \`=\` between the name and the value; quote values that contain spaces.`,
    },
  },
  check(model) {
    return model.instructions.flatMap((info) => {
      if (info.keyword !== 'ENV' && info.keyword !== 'LABEL') return [];
      const legacy = info.properties.find((p) => p.getAssignmentOperator() === null && p.getValue() !== null);
      return legacy ? [{ range: legacy.getRange(), message: `Use \`${info.keyword} ${legacy.getName()}=…\`: the space-separated form is deprecated and sets only one value.` }] : [];
    });
  },
};
