import { managerCommands } from './packageManagers';
import { commandsOf, wordRange } from './query';
import type { Rule } from './rule';

export const packageUpgrade: Rule = {
  meta: {
    id: 'package-upgrade',
    title: 'Upgrading every installed package during the build',
    description: 'Flags apt-get upgrade, apk upgrade, yum/dnf update and zypper dist-upgrade, which make the image depend on the build date.',
    category: 'base-image',
    severity: 'info',
    fixable: 'never',
    aliases: { hadolint: ['DL3005', 'DL3035'] },
    docs: {
      why: `An upgrade of everything inside the build makes the result depend on the day it ran rather than on the
Dockerfile: two builds of the same commit differ, the layer is large, and upgrades that need a restart or a
maintainer script can fail non-interactively. Security fixes arrive more reliably by moving to a newer base
image tag (the official images are rebuilt for each security release) and rebuilding regularly.`,
      bad: `FROM debian:bookworm-slim
RUN apt-get update && apt-get upgrade -y`,
      good: `FROM debian:bookworm-20241111-slim`,
      fix: `Remove the upgrade and bump the base image tag instead; upgrade single packages by name if you must.`,
    },
  },
  check(model) {
    return model.stages.flatMap((stage) =>
      stage.runs.flatMap((run) =>
        managerCommands(commandsOf(stage, run)).flatMap((mc) => {
          // `yum update pkg` updates one package; only a bare update upgrades everything.
          const named = mc.command.args.filter((a) => !a.value.startsWith('-')).length > 1;
          if (!mc.verb || !mc.manager.upgrade.includes(mc.verb.value) || named) return [];
          return [{ range: wordRange(model, mc.verb), message: `\`${mc.manager.name} ${mc.verb.value}\` upgrades everything at build time; prefer a newer base image tag.` }];
        }),
      ),
    );
  },
};
