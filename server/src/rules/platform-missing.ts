import type { Rule } from './rule';

/** `linux/arm64` is satisfied by `linux/arm64/v8`; a variant named in the target must match exactly. */
const covers = (published: string, target: string) => published === target || published.startsWith(`${target}/`);

export const platformMissing: Rule = {
  meta: {
    id: 'platform-missing',
    title: 'Base image not published for a target platform',
    description: 'Flags base images the registry does not publish for one of dockwise.targetPlatforms (needs registry data).',
    category: 'base-image',
    severity: 'warning',
    fixable: 'never',
    aliases: { buildkit: ['InvalidBaseImagePlatform'] },
    docs: {
      why: `Images are published per platform. A base image without \`linux/arm64\` does not run natively on an
Apple-silicon Mac, a Raspberry Pi or an arm64 cloud instance: the build fails for that platform, or runs
the whole image under slow emulation. dockwise compares the platforms the registry lists for the image
with \`dockwise.targetPlatforms\` (default \`linux/amd64\` and \`linux/arm64\`).

Stages that run on the build machine (\`FROM --platform=$BUILDPLATFORM\`) are not checked: they never run on
the target. The rule needs registry data, so it appears once the registry has answered and never offline.`,
      bad: `# dockwise.targetPlatforms: ["linux/amd64", "linux/arm64"]
FROM someone/tool:1.0   # published for linux/amd64 only`,
      good: `FROM --platform=$BUILDPLATFORM someone/tool:1.0 AS tools
FROM debian:bookworm-slim
COPY --from=tools /usr/local/bin/tool /usr/local/bin/`,
      fix: `Pick a base image (or a version of it) published for every target platform, build the missing one yourself,
or narrow \`dockwise.targetPlatforms\` if you really ship one platform only.`,
    },
  },
  check(model, context) {
    const targets = context.targetPlatforms ?? [];
    return model.stages.flatMap((stage) => {
      const base = stage.base;
      if (base?.kind !== 'image' || /BUILDPLATFORM/.test(stage.from.getPlatformFlag()?.getValue() ?? '')) return [];
      const published = context.images?.(base.ref)?.platforms;
      if (!published) return [];
      const missing = targets.filter((t) => !published.some((p) => covers(p, t)));
      if (missing.length === 0) return [];
      return [
        {
          range: base.source.spans.name,
          message: `\`${base.ref.familiar}\` is not published for ${missing.join(', ')} (it has ${published.join(', ')}): it will not run natively there.`,
          data: { missing },
        },
      ];
    });
  },
};
