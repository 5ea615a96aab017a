import { insertAt } from '../../language/edits';
import type { DockerfileModel, RunInstruction, Stage } from '../../language/model';
import { isInstall, managerCommandAt, managerCommands, subcommand, type ManagerCommand, type PackageManager } from '../../language/packageManagers';
import { commandsOf, productionStages, stageChain, wordRange, type CommandAt } from '../../language/query';
import { stageRule } from '../../engine/rule';

const APT_LISTS = /^\/var\/lib\/apt\/lists(?:\/|$)/;
/** apt verbs that read the package lists `apt-get update` downloaded. */
const READS_LISTS = new Set(['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'source', 'build-dep', 'download', 'reinstall']);
const isApt = (c: CommandAt) => c.program === 'apt-get' || c.program === 'apt';

type ListUse = 'update' | 'remove' | 'read';

/** What a RUN does to the apt lists, command by command: downloads them, removes them, reads them. */
function listUses(stage: Stage, run: RunInstruction, apt: PackageManager): ListUse[] {
  // On a cache mount the lists are not in the layer, and the next RUN without the mount does not see them.
  if (run.mounts.some((m) => m.type === 'cache' && /^\/var\/lib\/apt(?:\/|$)/.test(m.options.get('target') ?? m.options.get('dst') ?? m.options.get('destination') ?? ''))) return [];
  return commandsOf(stage, run).flatMap((c): ListUse[] => {
    const verb = isApt(c) ? subcommand(apt, c.args)?.value : undefined;
    if ((c.program === 'rm' && c.args.some((a) => APT_LISTS.test(a.value))) || verb === 'dist-clean') return ['remove'];
    if (verb === 'update') return ['update'];
    if (READS_LISTS.has(verb ?? '') || (c.program === 'apt-cache' && c.args[0]?.value !== 'gencaches')) return ['read'];
    return [];
  });
}

/**
 * The RUNs that come after `run` on the way to each image built from it: the rest of its stage, and for
 * each stage built on it, the stages between and that stage's own, in order.
 */
function laterRuns(model: DockerfileModel, stage: Stage, run: RunInstruction): { stage: Stage; run: RunInstruction }[][] {
  const rest = stage.runs.slice(stage.runs.indexOf(run) + 1).map((r) => ({ stage, run: r }));
  const built = model.stages.flatMap((s) => {
    const chain = stageChain(model, s);
    const at = chain.indexOf(stage);
    return s === stage || at === -1 ? [] : [[...rest, ...chain.slice(at + 1).flatMap((c) => c.runs.map((r) => ({ stage: c, run: r })))]];
  });
  return [rest, ...built];
}

/**
 * The first later RUN (of the stage, or of a stage built on it) that installs from the apt lists without
 * `apt-get update` first: it needs the lists this RUN leaves, so removing them here breaks it.
 */
function laterListReader(model: DockerfileModel, stage: Stage, run: RunInstruction, apt: PackageManager): RunInstruction | undefined {
  for (const path of laterRuns(model, stage, run)) {
    for (const later of path) {
      // What it does first decides: it reads what is there, or replaces or removes it.
      const [use] = listUses(later.stage, later.run, apt);
      if (use === 'read') return later.run;
      if (use !== undefined) break;
    }
  }
  return undefined;
}

/**
 * Whether the install reads lists an earlier RUN of its chain downloaded and left: then that RUN's layer
 * holds them, and its finding (which names this RUN) is the one to act on.
 */
function fedByEarlierRun(model: DockerfileModel, stage: Stage, run: RunInstruction, mc: ManagerCommand): boolean {
  const commands = commandsOf(stage, run);
  const own = commands.slice(0, commands.indexOf(mc.command));
  if (own.some((c) => isApt(c) && subcommand(mc.manager, c.args)?.value === 'update')) return false;
  const chain = stageChain(model, stage);
  const earlier = chain.flatMap((s) => (s === stage ? s.runs.slice(0, s.runs.indexOf(run)) : s.runs).map((r) => ({ s, r })));
  for (const { s, r } of earlier.reverse()) {
    // What it does last decides what it leaves.
    const use = listUses(s, r, mc.manager).filter((u) => u !== 'read').at(-1);
    // Reported there only when it also installs; lists left by a lone `apt-get update` are package-update-alone's.
    if (use === 'update') return managerCommands(commandsOf(s, r)).some((other) => other.manager === mc.manager && isInstall(other));
    if (use === 'remove') return false;
  }
  return false;
}

export const packageCacheNotCleaned = stageRule({
  meta: {
    id: 'package-cache-not-cleaned',
    title: 'Package index or cache left in the image',
    description: 'Flags installs in the shipped image that leave the package index or download cache behind in the layer.',
    category: 'image-size',
    severity: 'warning',
    fixable: 'sometimes',
    aliases: { hadolint: ['DL3009', 'DL3032', 'DL3036', 'DL3040', 'DL3060'], trivy: ['DS-0015', 'DS-0019', 'DS-0020'] },
    docs: {
      why: `\`apt-get update\` downloads tens of megabytes of package lists, and yum, dnf, apk and yarn keep their
downloads in a cache. Left in the layer they ship with every pull of the image, and deleting them in a later
\`RUN\` does not help: the earlier layer still contains them. Clean up in the same \`RUN\` that installs, use
\`apk add --no-cache\`, or use a BuildKit cache mount so the cache lives outside the image.

Only stages that end up in a shipped image are checked: the build targets (compose/bake, else the last stage)
and the stages they build on. Build stages are thrown away, and development images (a \`dev-envs\`, \`debug\` or
\`test\` stage, \`Dockerfile.debug\`, \`tests/Dockerfile\`) are not worth trimming. \`apt-get dist-clean\` (apt 2.7 and
later) counts as clean-up; \`apt-get clean\` alone does not, because it leaves the lists. \`apt install\` is read like
\`apt-get install\`.

When a later \`RUN\` of the stage (or of a stage built on it) installs from the apt lists without running
\`apt-get update\` itself, the lists are reported once, on the \`RUN\` that downloaded them, naming the later one: they
are in that layer, removing them there alone would break the later install ("Unable to locate package"), and
removing them later does not shrink the layer. The later install is not reported again.`,
      bad: `RUN apt-get update && apt-get install -y --no-install-recommends curl
RUN apk add curl`,
      good: `RUN apt-get update && apt-get install -y --no-install-recommends curl \\
 && rm -rf /var/lib/apt/lists/*
RUN apk add --no-cache curl`,
      fix: `apt-get: end the \`RUN\` with \`rm -rf /var/lib/apt/lists/*\` (or \`apt-get dist-clean\` on apt 2.7+). apk: \`apk add --no-cache\`. yum/dnf:
\`yum clean all\` / \`dnf clean all\`. zypper: \`zypper clean --all\`. yarn: \`yarn cache clean\`. Or mount a cache:
\`RUN --mount=type=cache,target=/var/cache/apt …\`.
The quick fix (safe: only caches go) adds the clean-up command to the end of the \`RUN\`, or \`--no-cache\` for apk. It is
not offered where a later \`RUN\` still installs from the apt lists: there add \`apt-get update\` to that \`RUN\` (and
clean up in both), or merge the two.`,
    },
  },
  // Reads the stage's role, its FROM chain (earlier list downloads) and the stages built on it at any depth (later list readers), all in its key.
  checkStage(stage, model, context) {
    if (!productionStages(model, context).has(stage)) return [];
    return stage.runs.flatMap((run) => {
      const commands = commandsOf(stage, run);
      return managerCommands(commands).flatMap((mc) => {
        const clean = mc.manager.clean;
        if (!clean || !isInstall(mc) || clean.done(mc.command, commands)) return [];
        const range = wordRange(model, mc.verb ?? mc.command.nameWord);
        const name = mc.command.program;
        if (mc.manager.name === 'apt-get') {
          if (fedByEarlierRun(model, stage, run, mc)) return [];
          const reader = laterListReader(model, stage, run, mc.manager);
          if (reader) {
            const line = reader.info.range.start.line + 1;
            return [
              {
                range,
                message: `\`${name}\` leaves the package lists in this layer, and the RUN on line ${line} installs from them without updating: end this RUN with \`rm -rf /var/lib/apt/lists/*\` and add \`apt-get update\` to that one (or merge the two); removing them later does not shrink this layer.`,
                data: { manager: mc.manager.name, readerLine: reader.info.range.start.line },
              },
            ];
          }
        }
        return [{ range, message: `\`${name}\` leaves its package index or cache in this layer: ${clean.advice}.`, data: { manager: mc.manager.name } }];
      });
    });
  },

  fix(model, finding) {
    const mc = managerCommandAt(model, finding.range);
    const fix = mc?.manager.clean?.fix;
    // A later RUN installs from the lists this one leaves: removing them here alone breaks it.
    if (!mc || !fix || finding.data?.readerLine !== undefined) return [];
    if ('option' in fix) {
      if (!mc.verb) return [];
      return [{ title: `Add ${fix.option}`, edits: [insertAt(model.document.positionAt(mc.verb.end), ` ${fix.option}`)], safe: true }];
    }
    // Appending needs a plain shell RUN: the last command's end is where the script ends.
    const last = mc.command.run.form === 'shell' ? mc.command.run.script.commands.at(-1) : undefined;
    if (!last) return [];
    return [{ title: `Add \`${fix.append}\` to this RUN`, edits: [insertAt(model.document.positionAt(last.end), ` && ${fix.append}`)], safe: true }];
  },
});
