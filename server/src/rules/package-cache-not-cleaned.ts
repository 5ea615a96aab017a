import { insertAt } from '../engine/edits';
import { isInstall, managerCommandAt, managerCommands, productionStages } from './packageManagers';
import { commandsOf, wordRange } from './query';
import type { Rule } from './rule';

export const packageCacheNotCleaned: Rule = {
  meta: {
    id: 'package-cache-not-cleaned',
    title: 'Package index or cache left in the image',
    description: 'Flags installs in the shipped image that leave the package index or download cache behind in the layer.',
    category: 'image-size',
    severity: 'warning',
    fixable: 'sometimes',
    aliases: { hadolint: ['DL3009', 'DL3032', 'DL3036', 'DL3040', 'DL3060'] },
    docs: {
      why: `\`apt-get update\` downloads tens of megabytes of package lists, and yum, dnf, apk and yarn keep their
downloads in a cache. Left in the layer they ship with every pull of the image, and deleting them in a later
\`RUN\` does not help: the earlier layer still contains them. Clean up in the same \`RUN\` that installs, use
\`apk add --no-cache\`, or use a BuildKit cache mount so the cache lives outside the image.

Only stages that end up in a shipped image are checked: the build targets (compose/bake, else the last stage)
and the stages they build on. Build stages are thrown away, and development images (a \`dev-envs\`, \`debug\` or
\`test\` stage, \`Dockerfile.debug\`, \`tests/Dockerfile\`) are not worth trimming. \`apt-get dist-clean\` (apt 2.7 and
later) counts as clean-up; \`apt-get clean\` alone does not, because it leaves the lists.`,
      bad: `RUN apt-get update && apt-get install -y --no-install-recommends curl
RUN apk add curl`,
      good: `RUN apt-get update && apt-get install -y --no-install-recommends curl \\
 && rm -rf /var/lib/apt/lists/*
RUN apk add --no-cache curl`,
      fix: `apt-get: end the \`RUN\` with \`rm -rf /var/lib/apt/lists/*\` (or \`apt-get dist-clean\` on apt 2.7+). apk: \`apk add --no-cache\`. yum/dnf:
\`yum clean all\` / \`dnf clean all\`. zypper: \`zypper clean --all\`. yarn: \`yarn cache clean\`. Or mount a cache:
\`RUN --mount=type=cache,target=/var/cache/apt …\`.
The quick fix (safe: only caches go) adds the clean-up command to the end of the \`RUN\`, or \`--no-cache\` for apk.`,
    },
  },
  check(model, context) {
    return [...productionStages(model, context)].flatMap((stage) =>
      stage.runs.flatMap((run) => {
        const commands = commandsOf(stage, run);
        return managerCommands(commands).flatMap((mc) => {
          const clean = mc.manager.clean;
          if (!clean || !isInstall(mc) || clean.done(mc.command, commands)) return [];
          return [
            {
              range: wordRange(model, mc.verb ?? mc.command.nameWord),
              message: `\`${mc.manager.name}\` leaves its package index or cache in this layer: ${clean.advice}.`,
              data: { manager: mc.manager.name },
            },
          ];
        });
      }),
    );
  },

  fix(model, finding) {
    const mc = managerCommandAt(model, finding.range);
    const fix = mc?.manager.clean?.fix;
    if (!mc || !fix) return [];
    if ('option' in fix) {
      if (!mc.verb) return [];
      return [{ title: `Add ${fix.option}`, edits: [insertAt(model.document.positionAt(mc.verb.end), ` ${fix.option}`)], safe: true }];
    }
    // Appending needs a plain shell RUN: the last command's end is where the script ends.
    const last = mc.command.run.form === 'shell' ? mc.command.run.script.commands.at(-1) : undefined;
    if (!last) return [];
    return [{ title: `Add \`${fix.append}\` to this RUN`, edits: [insertAt(model.document.positionAt(last.end), ` && ${fix.append}`)], safe: true }];
  },
};
