import { replace } from '../engine/edits';
import { shellCommands, wordRange, type CommandAt } from './query';
import type { Rule } from './rule';

const SCRIPTED = new Set(['install', 'update', 'upgrade', 'remove', 'purge', 'autoremove']);

const isScriptedApt = (c: CommandAt) => c.program === 'apt' && c.args.some((a) => SCRIPTED.has(a.value));

export const aptInsteadOfAptGet: Rule = {
  meta: {
    id: 'apt-instead-of-apt-get',
    title: '`apt` in a script',
    description: 'Flags apt in RUN: its command line is meant for people and may change; scripts use apt-get.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'always',
    aliases: { hadolint: ['DL3027'] },
    docs: {
      why: `\`apt\` is the interactive front end: progress bars, colours, and a warning that its "CLI interface is not
stable" printed on every use in a script. Its behaviour can change between releases. \`apt-get\` (and
\`apt-cache\`) are the stable interface for scripts, with the same packages.`,
      bad: `RUN apt update && apt install -y curl`,
      good: `RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*`,
      fix: `Replace \`apt\` with \`apt-get\`.
The quick fix renames the command; only verbs that \`apt-get\` has are reported.`,
    },
  },
  check(model) {
    return shellCommands(model).flatMap((c) =>
      isScriptedApt(c)
        ? [{ range: wordRange(model, c.nameWord), message: 'Use `apt-get` in scripts: `apt` has no stable command-line interface.' }]
        : [],
    );
  },

  fix(model, finding) {
    // Every `apt` of the same RUN at once: half-converted, an `apt-get update` would look alone.
    const at = model.document.offsetAt(finding.range.start);
    const all = shellCommands(model);
    const target = all.find((c) => c.nameWord.start === at);
    if (!target) return [];
    const words = all.filter((c) => c.run === target.run && isScriptedApt(c)).map((c) => c.nameWord);
    return [{ title: 'Use apt-get', edits: words.map((w) => replace(wordRange(model, w), 'apt-get')), safe: true }];
  },
};
