import { insertAt } from '../../language/edits';
import { isInstall, managerCommandAt, managerCommands } from '../../language/packageManagers';
import { commandsOf, hasOption, isDevelopmentOnly, wordRange } from '../../language/query';
import { stageRule } from '../../engine/rule';

export const aptGetNoInstallRecommends = stageRule({
  meta: {
    id: 'apt-get-no-install-recommends',
    title: '`apt-get install` pulls in recommended packages',
    description: 'Flags apt-get install without --no-install-recommends outside development images, which installs packages nobody asked for.',
    category: 'image-size',
    severity: 'info',
    fixable: 'always',
    aliases: { hadolint: ['DL3015'], trivy: ['DS-0029'] },
    docs: {
      why: `Debian installs a package's "recommends" by default: \`apt-get install python3\` brings in dozens of extra
packages, \`curl\` a full set of CA tools and man pages. They add megabytes, download time and
vulnerabilities you then have to triage, for nothing the image uses.

Not reported in development images (a \`dev-envs\`, \`debug\` or \`test\` stage, \`Dockerfile.debug\`, a dev
container), where the recommends are often what a person at a shell wants, nor for simulations
(\`apt-get install -s\`, \`--dry-run\`), which install nothing.`,
      bad: `RUN apt-get update && apt-get install -y curl`,
      good: `RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*`,
      fix: `Add \`--no-install-recommends\`; if something then turns out to be missing, install it by name.
The quick fix adds the flag. It is marked unsafe: a program may rely on a package that was only recommended.`,
    },
  },
  checkStage(stage, model) {
    if (isDevelopmentOnly(model, stage)) return [];
    return stage.runs.flatMap((run) =>
      managerCommands(commandsOf(stage, run)).flatMap((mc) => {
        if (mc.manager.name !== 'apt-get' || !mc.verb || !isInstall(mc)) return [];
        const args = mc.command.args;
        // `-s`, `--simulate` and their aliases only print what would happen.
        if (hasOption(args, 's', ['simulate', 'dry-run', 'just-print', 'no-act', 'recon', 'print-uris'])) return [];
        if (hasOption(args, '', ['no-install-recommends']) || args.some((a) => /Install-Recommends=(?:false|0|no)/i.test(a.value))) return [];
        return [{ range: wordRange(model, mc.verb), message: '`apt-get install` without `--no-install-recommends` also installs every recommended package.' }];
      }),
    );
  },

  fix(model, finding) {
    const mc = managerCommandAt(model, finding.range);
    if (!mc?.verb) return [];
    return [{ title: 'Add --no-install-recommends', edits: [insertAt(model.document.positionAt(mc.verb.end), ' --no-install-recommends')], safe: false }];
  },
});
