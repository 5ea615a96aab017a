import { insertAt, replace } from '../../language/edits';
import { PACKAGE_MANAGERS, subcommand } from '../../language/packageManagers';
import { commandsOf, shellCommands, wordRange, type CommandAt } from '../../language/query';
import { stageRule } from '../../engine/rule';

const SCRIPTED = new Set(['install', 'update', 'upgrade', 'remove', 'purge', 'autoremove']);

const isScriptedApt = (c: CommandAt) => c.program === 'apt' && c.args.some((a) => SCRIPTED.has(a.value));
const APT_GET = PACKAGE_MANAGERS.find((m) => m.name === 'apt-get')!;

export const aptInsteadOfAptGet = stageRule({
  meta: {
    id: 'apt-instead-of-apt-get',
    title: '`apt` in a script',
    description: 'Flags apt in RUN: its command line is meant for people and may change; scripts use apt-get.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'always',
    aliases: { hadolint: ['DL3027'], checkov: ['CKV_DOCKER_9'] },
    docs: {
      why: `\`apt\` is the interactive front end: progress bars, colours, and a warning that its "CLI interface is not
stable" printed on every use in a script. Its behaviour can change between releases. \`apt-get\` (and
\`apt-cache\`) are the stable interface for scripts, with the same packages.`,
      bad: `RUN apt update && apt install -y curl`,
      good: `RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*`,
      fix: `Replace \`apt\` with \`apt-get\`. For \`upgrade\` add \`--with-new-pkgs\`: \`apt upgrade\` installs new packages an
upgrade needs, where plain \`apt-get upgrade\` holds the upgraded packages back.
The quick fix renames every \`apt\` of the RUN; only verbs that \`apt-get\` has are reported. It is safe for \`install\`,
\`update\`, \`remove\`, \`purge\` and \`autoremove\`, which do the same under both names; where the RUN has an \`apt upgrade\`
it also adds \`--with-new-pkgs\` after \`upgrade\`, and is offered for review rather than applied on save.`,
    },
  },
  checkStage(stage, model) {
    return stage.runs.flatMap((run) => commandsOf(stage, run)).flatMap((c) =>
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
    const commands = all.filter((c) => c.run === target.run && isScriptedApt(c));
    const edits = commands.map((c) => replace(wordRange(model, c.nameWord), 'apt-get'));
    // `apt upgrade` is `apt-get upgrade --with-new-pkgs`: plain apt-get upgrade keeps back what needs a new dependency.
    const upgrades = commands.filter((c) => subcommand(APT_GET, c.args)?.value === 'upgrade');
    for (const c of upgrades) if (!c.args.some((a) => a.value === '--with-new-pkgs')) edits.push(insertAt(model.document.positionAt(subcommand(APT_GET, c.args)!.end), ' --with-new-pkgs'));
    if (upgrades.length > 0) return [{ title: 'Use apt-get (upgrade with --with-new-pkgs, as apt does)', edits, safe: false }];
    return [{ title: 'Use apt-get', edits, safe: true }];
  },
});
