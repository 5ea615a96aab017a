import { commandsOf, wordRange } from '../../language/query';
import type { ShellWord } from '../../language/shell';
import { stageRule } from '../../engine/rule';

/**
 * Subcommands that may add, remove, downgrade or switch the vendor of installed packages to reach a
 * consistent set, rather than only bringing each one up to its newest version in the same release.
 * A plain `apt-get upgrade`, `apk upgrade` or `dnf upgrade` is not listed: it is the documented way to
 * take security fixes the base image does not have yet (Docker's and hadolint's advice both dropped it).
 */
const DISTRIBUTION_UPGRADES: readonly { readonly programs: readonly string[]; readonly verbs: readonly string[]; readonly optionsWithValue: readonly string[]; readonly instead: string }[] = [
  { programs: ['apt-get', 'apt'], verbs: ['dist-upgrade', 'full-upgrade'], optionsWithValue: ['-o', '-c', '-t', '--option', '--config-file', '--target-release'], instead: 'upgrade' },
  { programs: ['zypper'], verbs: ['dist-upgrade', 'dup'], optionsWithValue: ['--root', '-R', '--releasever'], instead: 'update' },
  { programs: ['dnf', 'dnf5', 'yum'], verbs: ['distro-sync', 'dsync', 'distribution-synchronization'], optionsWithValue: ['--enablerepo', '--disablerepo', '-c', '--setopt', '--releasever', '--installroot'], instead: 'upgrade' },
];

/** The subcommand word, skipping options and the values of options that take one. */
function verbOf(args: readonly ShellWord[], optionsWithValue: readonly string[]): ShellWord | undefined {
  for (let i = 0; i < args.length; i++) {
    const value = args[i]!.value;
    if (optionsWithValue.includes(value)) i++;
    else if (!value.startsWith('-')) return args[i];
  }
  return undefined;
}

export const packageUpgrade = stageRule({
  meta: {
    id: 'package-upgrade',
    title: 'Distribution upgrade during the build',
    description: 'Flags apt-get dist-upgrade/full-upgrade, zypper dist-upgrade and dnf distro-sync, which may add, remove or downgrade packages while the image builds.',
    category: 'base-image',
    severity: 'info',
    fixable: 'never',
    aliases: { hadolint: ['DL3005', 'DL3035'], trivy: ['DS-0024'] },
    docs: {
      why: `\`apt-get dist-upgrade\` (\`full-upgrade\`), \`zypper dist-upgrade\` (\`dup\`) and \`dnf distro-sync\` do more than
bring each installed package up to date: to reach a consistent set they may install new packages, remove
ones that conflict, downgrade, or switch vendors. In a build that means the image's package set can change
from one day to the next in ways the Dockerfile does not show, and a removal can break a later step. When the
base image is older than you would like, move to a newer base image tag (the official images are rebuilt for
each security release).

A plain \`apt-get upgrade\`, \`apk upgrade\`, \`dnf upgrade\` or \`zypper update\` only updates what is installed within
the release, the usual way to take security fixes the base does not carry yet; it is not flagged.`,
      bad: `FROM debian:bookworm-slim
RUN apt-get update && apt-get dist-upgrade -y`,
      good: `FROM debian:bookworm-slim
RUN apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*`,
      fix: `Use the plain upgrade (\`apt-get upgrade\`, \`zypper update\`, \`dnf upgrade\`), or bump the base image tag.`,
    },
  },
  checkStage(stage, model) {
    return stage.runs.flatMap((run) =>
      commandsOf(stage, run).flatMap((c) => {
        const kind = DISTRIBUTION_UPGRADES.find((k) => k.programs.includes(c.program));
        const verb = kind && verbOf(c.args, kind.optionsWithValue);
        if (!kind || !verb || !kind.verbs.includes(verb.value)) return [];
        return [
          {
            range: wordRange(model, verb),
            message: `\`${c.program} ${verb.value}\` may add, remove or downgrade packages to reach a consistent set while the image builds; use \`${c.program} ${kind.instead}\`, or a newer base image tag.`,
          },
        ];
      }),
    );
  },
});
