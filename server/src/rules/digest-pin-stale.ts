import type { Rule } from './rule';

export const digestPinStale: Rule = {
  meta: {
    id: 'digest-pin-stale',
    title: 'Digest pin whose tag has moved on',
    description: 'Flags tag@sha256 pins whose tag now points at a newer image, with its age (needs registry data).',
    category: 'base-image',
    severity: 'info',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `A digest pin makes the build reproducible, and also freezes it: the publisher keeps rebuilding the tag for
security fixes, and the pinned image never gets them. Pins are meant to be moved deliberately (by a bot
such as Renovate or Dependabot, or by hand after testing). dockwise tells you when the tag next to the pin
now points elsewhere, and since when, so a forgotten pin does not silently age.`,
      bad: `FROM python:3.12-slim@sha256:<digest from last spring>`,
      good: `FROM python:3.12-slim@sha256:<digest the tag points at today>`,
      fix: `Move the pin to the digest the tag points at now (the hover shows it), after testing the new image.`,
    },
  },
  check(model, context) {
    return model.stages.flatMap((stage) => {
      const base = stage.base;
      if (base?.kind !== 'image' || !base.ref.digest || !base.ref.tag) return [];
      const now = context.images?.(base.ref)?.tagNow;
      if (!now || now.digest === base.ref.digest) return [];
      const since = now.created ? `, an image created ${now.created.slice(0, 10)}` : '';
      return [
        {
          range: base.source.spans.digest ?? base.source.range,
          message: `\`${base.ref.tag}\` now points at ${now.digest.slice(0, 19)}…${since}; this pin still uses the older image.`,
          data: { digest: now.digest },
        },
      ];
    });
  },
};
