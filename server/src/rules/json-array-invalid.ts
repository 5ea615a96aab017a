import { keywordRange } from './query';
import type { Rule } from './rule';

const JSON_CAPABLE = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'VOLUME', 'COPY', 'ADD']);

export const jsonArrayInvalid: Rule = {
  meta: {
    id: 'json-array-invalid',
    title: 'Malformed JSON array',
    description: 'Flags arguments that start with [ but are not valid JSON, which Docker then runs as a shell command, brackets and all.',
    category: 'syntax',
    severity: 'error',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `The exec form must be valid JSON: double quotes, commas, no trailing comma. \`CMD ['node', 'app.js']\` is not
JSON, so Docker silently treats it as shell form and runs \`/bin/sh -c "['node', 'app.js']"\`, which fails at
start with "[node,: not found". \`SHELL\` accepts only the JSON form.`,
      bad: `CMD ['node', 'server.js']`,
      good: `CMD ["node", "server.js"]`,
      fix: `Use double quotes and separate the strings with commas.`,
    },
  },
  check(model) {
    return model.instructions.flatMap((info) => {
      // Asking the parser for the content re-tokenises the instruction; most are plainly not arrays.
      if (!JSON_CAPABLE.has(info.keyword) || info.execForm || !info.args[0]?.getValue().startsWith('[')) return [];
      const text = info.node.getArgumentsContent()?.trim() ?? '';
      if (!text.startsWith('[')) return [];
      try {
        const parsed: unknown = JSON.parse(text);
        if (Array.isArray(parsed) && parsed.every((v) => typeof v === 'string')) return [];
      } catch {
        // Not JSON: report below.
      }
      return [{ range: info.node.getArgumentsRange() ?? keywordRange(info), message: `This is not a valid JSON array, so ${info.keyword} runs it as a shell command, brackets included. Use double quotes and commas.` }];
    });
  },
};
