import { replace } from '../../language/edits';
import { stageRule } from '../../engine/rule';

export const fromAsCasing = stageRule({
  meta: {
    id: 'from-as-casing',
    title: '`AS` cased differently from `FROM`',
    description: 'Flags `FROM x as y` and `from x AS y`: the keywords should share one case.',
    category: 'style',
    severity: 'warning',
    fixable: 'always',
    aliases: { buildkit: ['FromAsCasing'] },
    docs: {
      why: `Instruction keywords are case-insensitive, but a file reads best when \`FROM … AS …\` use one case. Mixed
case is usually a copy-paste seam, and BuildKit warns about it on every build.`,
      bad: `FROM node:20 as build`,
      good: `FROM node:20 AS build`,
      fix: `Match the case of \`AS\` to the case of \`FROM\`.`,
    },
  },
  checkStage(stage) {
    const as = stage.instructions[0]?.args[1];
    if (!as || as.getValue().toLowerCase() !== 'as') return [];
    const keyword = stage.from.written;
    const fromUpper = keyword === keyword.toUpperCase();
    const asUpper = as.getValue() === 'AS';
    if (fromUpper === asUpper) return [];
    return [{ range: as.getRange(), message: `\`${as.getValue()}\` should be \`${fromUpper ? 'AS' : 'as'}\` to match \`${keyword}\`.` }];
  },

  fix(model, finding) {
    const word = model.document.getText(finding.range);
    return [{ title: `Write ${word === 'as' ? 'AS' : 'as'}`, edits: [replace(finding.range, word === 'as' ? 'AS' : 'as')], safe: true }];
  },
});
