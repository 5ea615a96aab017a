import { insertAt } from '../engine/edits';
import { commandsOf, type CommandAt, wordRange } from './query';
import type { Rule } from './rule';

/** Installers whose downloads a cache mount keeps between builds, with where to mount. */
const CACHEABLE: readonly { readonly is: (c: CommandAt) => boolean; readonly target: string }[] = [
  { is: (c) => /^pip(?:3(?:\.\d+)?)?$/.test(c.program) && c.args[0]?.value === 'install' && !c.args.some((a) => a.value === '--no-cache-dir'), target: '/root/.cache/pip' },
  { is: (c) => c.program === 'uv' && ['sync', 'pip'].includes(c.args[0]?.value ?? ''), target: '/root/.cache/uv' },
  { is: (c) => c.program === 'npm' && ['ci', 'install', 'i'].includes(c.args[0]?.value ?? ''), target: '/root/.npm' },
  { is: (c) => c.program === 'yarn' && (c.args.length === 0 || c.args[0]?.value === 'install'), target: '/usr/local/share/.cache/yarn' },
  { is: (c) => c.program === 'pnpm' && ['install', 'i'].includes(c.args[0]?.value ?? ''), target: '/root/.local/share/pnpm/store' },
  { is: (c) => c.program === 'go' && (['build', 'install'].includes(c.args[0]?.value ?? '') || (c.args[0]?.value === 'mod' && c.args[1]?.value === 'download')), target: '/go/pkg/mod' },
  { is: (c) => c.program === 'cargo' && ['build', 'fetch', 'install'].includes(c.args[0]?.value ?? ''), target: '/usr/local/cargo/registry' },
  { is: (c) => c.program === 'apt-get' && c.args.some((a) => a.value === 'install'), target: '/var/cache/apt' },
];

export const cacheMountMissing: Rule = {
  meta: {
    id: 'cache-mount-missing',
    title: 'Package download without a BuildKit cache mount',
    description: 'Flags pip, npm, yarn, pnpm, go, cargo and apt-get downloads in BuildKit files that could keep their cache across builds.',
    category: 'build-cache',
    severity: 'info',
    fixable: 'sometimes',
    aliases: {},
    docs: {
      why: `When a layer is rebuilt (a manifest changed), the installer starts from an empty cache and downloads
everything again. A BuildKit cache mount keeps the installer's cache on the build machine, outside the
image: the rebuild downloads only what changed, and nothing ends up in the layer. Only files that opt into
BuildKit features with a \`# syntax=\` line are checked.`,
      bad: `# syntax=docker/dockerfile:1
RUN pip install -r requirements.txt`,
      good: `# syntax=docker/dockerfile:1
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt`,
      fix: `Add \`--mount=type=cache,target=<cache folder>\` to the \`RUN\` (the message names the folder). For apt-get,
also mount \`/var/lib/apt\` and remove \`/etc/apt/apt.conf.d/docker-clean\`, which otherwise empties the cache.
The quick fix (not for apt-get) adds the mount after \`RUN\`; it is marked unsafe because files the \`RUN\`
writes into that folder no longer end up in the image.`,
    },
  },
  check(model) {
    if (!model.directives.syntax) return [];
    return model.stages.flatMap((stage) =>
      stage.runs.flatMap((run) => {
        if (run.mounts.some((m) => m.type === 'cache')) return [];
        // One finding per RUN: the first download it makes.
        for (const c of commandsOf(stage, run)) {
          const hit = CACHEABLE.find((entry) => entry.is(c));
          if (hit) return [{ range: wordRange(model, c.nameWord), message: `\`${c.program}\` downloads again on every rebuild of this layer: add \`--mount=type=cache,target=${hit.target}\` to the RUN.`, data: { target: hit.target } }];
        }
        return [];
      }),
    );
  },

  fix(model, finding) {
    const target = String(finding.data?.target ?? '');
    const run = model.stages.flatMap((s) => s.runs).find((r) => r.info.range.start.line <= finding.range.start.line && finding.range.start.line <= r.info.range.end.line);
    // apt-get also needs its docker-clean hook removed and a locked sharing mode: too much for a quick fix.
    if (!run || !target || target === '/var/cache/apt') return [];
    return [{ title: `Add a cache mount at ${target}`, edits: [insertAt(run.info.node.getInstructionRange().end, ` --mount=type=cache,target=${target}`)], safe: false }];
  },
};
