import { insertAt } from '../engine/edits';
import { copySpec } from './query';
import type { Rule } from './rule';

export const copyDestinationNotDirectory: Rule = {
  meta: {
    id: 'copy-destination-not-directory',
    title: 'Several sources copied to a destination without a trailing `/`',
    description: 'Flags COPY/ADD of several files to a destination not ending in /, which the builder rejects.',
    category: 'syntax',
    severity: 'error',
    fixable: 'always',
    aliases: { hadolint: ['DL3021'] },
    docs: {
      why: `With more than one source (or a wildcard), the destination must be a directory, written with a trailing
\`/\`. Otherwise the build fails with "When using COPY with more than one source file, the destination must be a
directory and end with a /".`,
      bad: `COPY package.json package-lock.json /app`,
      good: `COPY package.json package-lock.json /app/`,
      fix: `Add \`/\` to the end of the destination.`,
    },
  },
  check(model) {
    return model.instructions.flatMap((info) => {
      if (info.keyword !== 'COPY' && info.keyword !== 'ADD') return [];
      const { sources, dest } = copySpec(info);
      if (!dest || sources.length < 2 || /[/\\]$/.test(dest.value) || dest.value.includes('$')) return [];
      return [{ range: dest.range, message: `With ${sources.length} sources the destination must be a directory ending in /: \`${dest.value}/\`.` }];
    });
  },

  fix(model, finding) {
    const dest = model.document.getText(finding.range);
    // In the JSON form the destination is a quoted string: the slash goes inside the quotes.
    const edit = dest.endsWith('"') ? insertAt(model.document.positionAt(model.document.offsetAt(finding.range.end) - 1), '/') : insertAt(finding.range.end, '/');
    return [{ title: 'Add a trailing /', edits: [edit], safe: true }];
  },
};
