import type { Rule } from './rule';

export const imageReferenceInvalid: Rule = {
  meta: {
    id: 'image-reference-invalid',
    title: 'Invalid image reference',
    description: 'Flags FROM arguments that are not valid image references, which the builder rejects.',
    category: 'syntax',
    severity: 'error',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `Image references follow a strict grammar: lower-case repository path components, a tag of letters,
digits, \`_\`, \`.\` and \`-\` (at most 128, not starting with \`.\` or \`-\`), and a digest of the form
\`sha256:<hex>\`. Anything else fails the build at the \`FROM\` line, after everything before it has run.`,
      bad: `FROM Python:3.12
FROM node:20:alpine`,
      good: `FROM python:3.12
FROM node:20-alpine`,
      fix: `Write the repository in lower case and use a single \`:\` before the tag.`,
    },
  },
  check(model) {
    return model.stages.flatMap((stage) => {
      const base = stage.base;
      if (base?.kind !== 'invalid') return [];
      const via = base.source.text === base.source.expanded ? '' : ` (from \`${base.source.text}\`)`;
      return [{ range: base.source.range, message: `\`${base.source.expanded}\`${via} is not a valid image reference.` }];
    });
  },
};
