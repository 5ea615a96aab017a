import { replace } from '../../language/edits';
import { stageRule } from '../../engine/rule';

export const digestPinStale = stageRule({
  meta: {
    id: 'digest-pin-stale',
    title: 'Digest pin whose tag has moved on',
    description: 'Flags tag@sha256 pins whose tag now points at a newer image, with its age (needs registry data).',
    category: 'base-image',
    severity: 'info',
    fixable: 'always',
    aliases: {},
    facts: ['tagNow'],
    docs: {
      why: `A digest pin makes the build reproducible, and also freezes it: the publisher keeps rebuilding the tag for
security fixes, and the pinned image never gets them. Pins are meant to be moved deliberately (by a bot
such as Renovate or Dependabot, or by hand after testing). dockwise tells you when the tag next to the pin
now points elsewhere, and since when, so a forgotten pin does not silently age.

Only the \`image:tag@sha256:…\` form can be checked: a bare \`image@sha256:…\` names no tag to compare with.
A pin written with build arguments (\`FROM python:\${PY_TAG}\`) is left alone, since the build may pass
another value. A pin of one platform's manifest inside the index the tag points at now is the same image,
not an older one (platform-missing reports it when other platforms are targeted).`,
      bad: `FROM python:3.12-slim@sha256:<digest from last spring>`,
      good: `FROM python:3.12-slim@sha256:<digest the tag points at today>`,
      fix: `Move the pin to the digest the tag points at now (the hover shows it), after testing the new image. Keep the
\`image:tag@sha256:<index digest>\` form: the tag tells readers which release it is, and it is what Renovate
(\`pinDigests\`, and its digest updates) and Dependabot read to propose the next digest as a pull request,
so the pin stays fresh without anyone editing it by hand. The quick fix writes the tag's current digest
(review it: it is a newer image).`,
    },
  },
  checkStage(stage, _model, context) {
    const base = stage.base;
    // The digest's span exists only for a reference written literally: one built from build arguments is left alone.
    const span = base?.kind === 'image' ? base.source.spans.digest : undefined;
    if (base?.kind !== 'image' || !span || !base.ref.tag) return [];
    const now = context.images?.(base.ref)?.tagNow;
    if (!now || now.digest === base.ref.digest || now.holdsPin) return [];
    const since = now.created ? `, an image created ${now.created.slice(0, 10)}` : '';
    return [
      {
        range: span,
        message: `\`${base.ref.tag}\` now points at ${now.digest.slice(0, 19)}…${since}; this pin still uses the older image.`,
        data: { digest: now.digest, tag: base.ref.tag },
      },
    ];
  },
  fix(_model, finding) {
    const { digest, tag } = finding.data ?? {};
    if (typeof digest !== 'string' || typeof tag !== 'string') return [];
    return [{ title: `Move the pin to ${tag}@${digest.slice(0, 19)}…`, edits: [replace(finding.range, digest)], safe: false }];
  },
});
