import type { Rule } from './rule';

/**
 * `FROM python` and `FROM python:latest` build on whatever was published last,
 * so the same Dockerfile gives a different image next week.
 */
export const imageTagLatest: Rule = {
  meta: {
    id: 'image-tag-latest',
    title: 'Base image without a tag or with `latest`',
    description: 'Flags FROM images that have no tag or use `latest`, which change under you with every release.',
    category: 'base-image',
    severity: 'warning',
    fixable: 'never',
    aliases: { hadolint: ['DL3006', 'DL3007'] },
  },
  check(model) {
    return model.stages.flatMap((stage) => {
      const base = stage.base;
      if (base?.kind !== 'image' || base.ref.digest !== undefined) return [];
      const { ref, source } = base;
      if (ref.tag !== undefined && ref.tag !== 'latest') return [];
      const subject =
        source.text === source.expanded ? `\`${ref.familiar}\`` : `\`${source.text}\` resolves to \`${ref.familiar}\`, which`;
      const problem = ref.tag === undefined ? 'has no tag, so it means `latest`' : 'uses the `latest` tag';
      return [
        {
          range: source.spans.tag ?? source.spans.name,
          message: `${subject} ${problem}: every rebuild can pull a different image. Pin a version tag or a digest.`,
          data: { image: ref.canonicalName, ...(ref.tag !== undefined ? { tag: ref.tag } : {}) },
        },
      ];
    });
  },
};
