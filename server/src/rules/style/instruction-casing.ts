import { boundedMemo } from '../../language/memo';
import { replace } from '../../language/edits';
import { keywordRange } from '../../language/query';
import type { Finding, Rule } from '../../engine/rule';

export const instructionCasing: Rule = {
  meta: {
    id: 'instruction-casing',
    title: 'Instructions in mixed case',
    description: 'Flags instructions whose case differs from the rest of the file (RUN vs run vs Run).',
    category: 'style',
    severity: 'warning',
    fixable: 'always',
    aliases: { buildkit: ['ConsistentInstructionCasing'] },
    docs: {
      why: `Instructions are case-insensitive, so \`run\` works. A file that mixes \`RUN\` and \`run\` is harder to scan,
and mixed case (\`Run\`) usually marks a paste from elsewhere. Upper case is the convention nearly every
Dockerfile follows; the rule asks for whichever case most instructions in the file already use.`,
      bad: `FROM alpine:3.20
run apk add --no-cache curl`,
      good: `FROM alpine:3.20
RUN apk add --no-cache curl`,
      fix: `Write the instruction in the file's case (normally upper case).
The quick fix rewrites the keyword; on a \`FROM … AS name\` it writes \`AS\` in the same case, as \`from-as-casing\` asks.`,
    },
  },
  check(model) {
    // Compared with the keyword (the written word upper-cased) and its lower case, remembered per
    // keyword: this runs over every instruction on every keystroke.
    let upper = 0;
    let lower = 0;
    for (const info of model.instructions) {
      if (info.written === info.keyword) upper++;
      if (info.written === lowerCase(info.keyword)) lower++;
    }
    const wantUpper = upper >= lower;
    const findings: Finding[] = [];
    for (const info of model.instructions) {
      const word = info.written;
      const expected = wantUpper ? info.keyword : lowerCase(info.keyword);
      if (word === expected) continue;
      findings.push({ range: keywordRange(info), message: `\`${word}\` should be \`${expected}\` like the other instructions in this file.`, data: { expected } });
    }
    return findings;
  },

  fix(model, finding) {
    const expected = String(finding.data?.expected ?? '');
    if (!expected) return [];
    const edits = [replace(finding.range, expected)];
    // `FROM … as name`: the AS word follows FROM's case too, or from-as-casing would report what this fix left.
    if (expected.toUpperCase() === 'FROM') {
      const stage = model.stages.find((s) => s.from.range.start.line === finding.range.start.line);
      const as = stage?.from.args[1];
      const word = as?.getValue();
      const cased = expected === 'FROM' ? 'AS' : 'as';
      if (as && word?.toLowerCase() === 'as' && word !== cased) edits.push(replace(as.getRange(), cased));
    }
    return [{ title: `Write ${expected}`, edits, safe: true }];
  },
};

const lowerCase = (keyword: string) => lowerCased(keyword, () => keyword.toLowerCase());
const lowerCased = boundedMemo<string>(200);
