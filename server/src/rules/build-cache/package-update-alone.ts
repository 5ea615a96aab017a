import { managerCommands } from '../../language/packageManagers';
import { commandsOf, wordRange } from '../../language/query';
import { stageRule } from '../../engine/rule';

const UPDATES: Readonly<Record<string, string>> = { 'apt-get': 'update', apk: 'update', yum: 'makecache', dnf: 'makecache', zypper: 'refresh' };

export const packageUpdateAlone = stageRule({
  meta: {
    id: 'package-update-alone',
    title: 'Package index updated in a layer of its own',
    description: 'Flags a RUN that refreshes the package index without installing anything, so later installs use a stale cached index.',
    category: 'build-cache',
    severity: 'warning',
    fixable: 'never',
    aliases: { trivy: ['DS-0017'], checkov: ['CKV_DOCKER_5'] },
    docs: {
      why: `Docker caches \`RUN apt-get update\` by its text, not by what it downloaded. Once cached it is never run
again, so a later \`RUN apt-get install …\` works from package lists that can be months old: installs fail with
404s when the mirror has moved on, or silently install outdated, vulnerable versions. Update and install in
the same \`RUN\` so they are always cached (and invalidated) together.`,
      bad: `RUN apt-get update
RUN apt-get install -y --no-install-recommends curl`,
      good: `RUN apt-get update \\
 && apt-get install -y --no-install-recommends curl \\
 && rm -rf /var/lib/apt/lists/*`,
      fix: `Join the update with the install that follows it, in one \`RUN\`.`,
    },
  },
  checkStage(stage, model) {
    return stage.runs.flatMap((run) => {
      const calls = managerCommands(commandsOf(stage, run));
      const update = calls.find((c) => c.verb !== undefined && c.verb.value === UPDATES[c.manager.name]);
      if (!update || calls.some((c) => c !== update && c.manager === update.manager)) return [];
      return [
        {
          range: wordRange(model, update.verb!),
          message: `\`${update.manager.name} ${update.verb!.value}\` alone is cached on its own, so later installs run against a stale index. Update and install in the same RUN.`,
        },
      ];
    });
  },
});
