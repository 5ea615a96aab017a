import { stageRule } from '../../engine/rule';

export const untrustedPublisher = stageRule({
  meta: {
    id: 'untrusted-publisher',
    title: 'Docker Hub image without a trust badge',
    description: 'Flags Docker Hub base images that are neither Official Images, from Verified Publishers, nor Sponsored OSS (needs Docker Hub data).',
    category: 'security',
    severity: 'info',
    fixable: 'never',
    aliases: {},
    facts: ['hubBadge'],
    docs: {
      why: `Anyone can push to Docker Hub. Docker marks three kinds of publishers it vouches for: Docker Official Images
(curated and rebuilt for security fixes), Verified Publishers (commercial partners whose content Docker
checks) and Docker-Sponsored Open Source projects. An image with none of those marks may still be fine,
but it deserves the second look you would give any dependency from a stranger: who maintains it, is it
still updated, what is in it. dockwise shows the badge in the hover and reports its absence here, as
information. Images from other registries are not checked; turn the rule off if your team vets images
another way.`,
      bad: `FROM someuser/python-with-tools:latest`,
      good: `FROM python:3.12-slim-bookworm`,
      fix: `Prefer an Official Image, a Verified Publisher's or a Sponsored OSS project's image; otherwise build the
image yourself from a trusted base, or mirror a vetted copy into a registry you control.`,
    },
  },
  checkStage(stage, _model, context) {
    const base = stage.base;
    if (base?.kind !== 'image' || context.images?.(base.ref)?.hubBadge !== 'none') return [];
    return [{ range: base.source.spans.name, message: `\`${base.ref.familiar}\` has no Docker Hub trust badge (Official Image, Verified Publisher or Sponsored OSS): check who maintains it before building on it.` }];
  },
});
