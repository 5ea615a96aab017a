import { insertAt } from '../../language/edits';
import type { Stage } from '../../language/model';
import { pipInstallWord } from '../../language/packageManagers';
import { commandsOf, instructionsNamed, productionStages, stageChain, wordRange } from '../../language/query';
import { stageRule } from '../../engine/rule';

/**
 * Whether an `ENV` of the stage chain before `line` sets `PIP_NO_CACHE_DIR`. pip turns its cache off
 * for any valid value, `0` and `false` included (kept that way for compatibility, see
 * `_handle_no_cache_dir` in pip's cmdoptions.py).
 */
function envTurnsCacheOff(chain: readonly Stage[], stage: Stage, line: number): boolean {
  return chain.some((s) => instructionsNamed(s, 'ENV').some((env) => (s !== stage || env.range.start.line < line) && env.properties.some((p) => p.getName() === 'PIP_NO_CACHE_DIR')));
}

export const pipNoCacheDir = stageRule({
  meta: {
    id: 'pip-no-cache-dir',
    title: '`pip install` keeps its download cache in the image',
    description: 'Flags pip install without --no-cache-dir in the shipped image (when BuildKit cache mounts are not in use), which ships pip\'s cache in the layer.',
    category: 'image-size',
    severity: 'warning',
    fixable: 'always',
    aliases: { hadolint: ['DL3042'] },
    docs: {
      why: `pip keeps every wheel it downloads under \`~/.cache/pip\`. In an image that cache is dead weight (often
tens or hundreds of megabytes for data-science stacks) shipped with every pull. \`--no-cache-dir\` (or
\`ENV PIP_NO_CACHE_DIR=1\`) avoids it. With BuildKit, a cache mount is better still: the cache stays out of the
image but is reused across builds; \`cache-mount-missing\` suggests that when the file opts into BuildKit.

Only stages that end up in a shipped image are checked (the build targets and the stages they build on):
a builder stage whose site-packages are copied out, or a \`dev\` stage, takes its cache with it.`,
      bad: `RUN pip install -r requirements.txt`,
      good: `RUN pip install --no-cache-dir -r requirements.txt`,
      fix: `Add \`--no-cache-dir\`, set \`ENV PIP_NO_CACHE_DIR=1\`, or mount a cache at \`/root/.cache/pip\`.
The quick fix adds \`--no-cache-dir\` after \`install\`; it is safe.`,
    },
  },
  checkStage(stage, model, context) {
    if (model.directives.syntax || !productionStages(model, context).has(stage)) return [];
    const chain = stageChain(model, stage);
    return stage.runs.flatMap((run) =>
      commandsOf(stage, run).flatMap((c) => {
        const install = pipInstallWord(c);
        if (!install) return [];
        if (c.args.some((a) => a.value === '--no-cache-dir') || c.run.mounts.some((m) => m.type === 'cache')) return [];
        if (c.command.assignments.some((e) => e.startsWith('PIP_NO_CACHE_DIR='))) return [];
        if (envTurnsCacheOff(chain, stage, run.info.range.start.line)) return [];
        return [{ range: wordRange(model, install), message: '`pip install` keeps its download cache in the image: add `--no-cache-dir`.' }];
      }),
    );
  },

  fix(_model, finding) {
    return [{ title: 'Add --no-cache-dir', edits: [insertAt(finding.range.end, ' --no-cache-dir')], safe: true }];
  },
});
