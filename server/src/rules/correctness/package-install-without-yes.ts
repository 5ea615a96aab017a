import { insertAt } from '../../language/edits';
import { isInstall, managerCommandAt, managerCommands } from '../../language/packageManagers';
import { commandsOf, hasOption, wordRange } from '../../language/query';
import { stageRule } from '../../engine/rule';

/** Options that make the manager only report what it would do: it installs nothing and never asks. */
const DRY_RUN: Readonly<Record<string, { readonly short: string; readonly long: readonly string[] }>> = {
  'apt-get': { short: 's', long: ['simulate', 'just-print', 'dry-run', 'recon', 'no-act'] },
  yum: { short: '', long: ['assumeno'] },
  dnf: { short: '', long: ['assumeno'] },
  zypper: { short: 'D', long: ['dry-run'] },
};

export const packageInstallWithoutYes = stageRule({
  meta: {
    id: 'package-install-without-yes',
    title: 'Package install that waits for a yes',
    description: 'Flags apt-get, yum, dnf and zypper installs without their non-interactive flag, which abort the build at the prompt.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'always',
    aliases: { hadolint: ['DL3014', 'DL3030', 'DL3034', 'DL3038'], trivy: ['DS-0021'] },
    docs: {
      why: `A build has no one to answer "Do you want to continue? [Y/n]". Without \`-y\` (\`-n\` for zypper) the
manager reads end-of-input as "no" and the \`RUN\` fails, or, for small installs that do not ask, succeeds
until the day a dependency grows and the build breaks. Being explicit makes the step deterministic.

A simulated install (\`apt-get install -s\`, \`--dry-run\`, \`yum\`/\`dnf --assumeno\`, \`zypper install --dry-run\`/\`-D\`)
installs nothing and never asks, so it is left alone: it is how scripts probe whether a package exists.`,
      bad: `RUN apt-get update && apt-get install curl`,
      good: `RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*`,
      fix: `Add \`-y\` (apt-get, yum, dnf) or \`-n\` (zypper, before the subcommand).
The quick fix adds the flag; it is safe (the install was going to need the answer yes).`,
    },
  },
  checkStage(stage, model) {
    return stage.runs.flatMap((run) =>
      managerCommands(commandsOf(stage, run)).flatMap((mc) => {
        const yes = mc.manager.yes;
        if (!yes || !mc.verb || !isInstall(mc)) return [];
        const quietEnough = mc.manager.name === 'apt-get' && mc.command.args.some((a) => /^-q{2,}$|^-q=2$/.test(a.value));
        const dryRun = DRY_RUN[mc.manager.name];
        if (hasOption(mc.command.args, yes.short, yes.long) || quietEnough || (dryRun && hasOption(mc.command.args, dryRun.short, dryRun.long))) return [];
        return [{ range: wordRange(model, mc.verb), message: `\`${mc.manager.name} ${mc.verb.value}\` will stop at a prompt: ${yes.advice}.`, data: { manager: mc.manager.name } }];
      }),
    );
  },

  fix(model, finding) {
    const mc = managerCommandAt(model, finding.range);
    if (!mc?.verb) return [];
    // zypper's -n is a global option and goes before the subcommand; the others take -y after it.
    const edit = mc.manager.name === 'zypper' ? insertAt(model.document.positionAt(mc.command.nameWord.end), ' -n') : insertAt(model.document.positionAt(mc.verb.end), ' -y');
    return [{ title: `Add ${mc.manager.name === 'zypper' ? '-n' : '-y'}`, edits: [edit], safe: true }];
  },
});
