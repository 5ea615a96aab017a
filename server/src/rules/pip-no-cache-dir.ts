import { insertAt } from '../engine/edits';
import { instructionsNamed, shellCommands, wordRange } from './query';
import type { Rule } from './rule';

const PIP = /^pip(?:3(?:\.\d+)?)?$/;

export const pipNoCacheDir: Rule = {
  meta: {
    id: 'pip-no-cache-dir',
    title: '`pip install` keeps its download cache in the image',
    description: 'Flags pip install without --no-cache-dir (when BuildKit cache mounts are not in use), which ships pip\'s cache in the layer.',
    category: 'image-size',
    severity: 'warning',
    fixable: 'always',
    aliases: { hadolint: ['DL3042'] },
    docs: {
      why: `pip keeps every wheel it downloads under \`~/.cache/pip\`. In an image that cache is dead weight (often
tens or hundreds of megabytes for data-science stacks) shipped with every pull. \`--no-cache-dir\` (or
\`ENV PIP_NO_CACHE_DIR=1\`) avoids it. With BuildKit, a cache mount is better still: the cache stays out of the
image but is reused across builds; \`cache-mount-missing\` suggests that when the file opts into BuildKit.`,
      bad: `RUN pip install -r requirements.txt`,
      good: `RUN pip install --no-cache-dir -r requirements.txt`,
      fix: `Add \`--no-cache-dir\`, set \`ENV PIP_NO_CACHE_DIR=1\`, or mount a cache at \`/root/.cache/pip\`.
The quick fix adds \`--no-cache-dir\` after \`install\`; it is safe.`,
    },
  },
  check(model) {
    if (model.directives.syntax) return [];
    return shellCommands(model).flatMap((c) => {
      if (!PIP.test(c.program) || c.args[0]?.value !== 'install') return [];
      if (c.args.some((a) => a.value === '--no-cache-dir') || c.run.mounts.some((m) => m.type === 'cache')) return [];
      const env = [...c.command.assignments, ...instructionsNamed(c.stage, 'ENV').flatMap((i) => i.properties.map((p) => `${p.getName()}=${p.getValue() ?? ''}`))];
      if (env.some((e) => /^PIP_NO_CACHE_DIR=(?!0|false|no|off)/i.test(e))) return [];
      return [{ range: wordRange(model, c.args[0]), message: '`pip install` keeps its download cache in the image: add `--no-cache-dir`.' }];
    });
  },

  fix(_model, finding) {
    return [{ title: 'Add --no-cache-dir', edits: [insertAt(finding.range.end, ' --no-cache-dir')], safe: true }];
  },
};
