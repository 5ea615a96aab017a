import { pinFixes } from '../shared/pin';
import { isDistroless } from '../../language/imageFamily';
import { stageRule } from '../../engine/rule';

export const imageDigestRecommended = stageRule({
  meta: {
    id: 'image-digest-recommended',
    title: 'Image family without version tags, not pinned by digest',
    description: 'Flags distroless and Chainguard images referenced by tag: their tags carry no version, so only a digest pins them.',
    category: 'base-image',
    severity: 'info',
    fixable: 'sometimes',
    aliases: {},
    facts: ['digest', 'pinTag'],
    docs: {
      why: `Some image families publish no version tags at all. Google's distroless images have tags like \`latest\`,
\`nonroot\` and \`debug\`; Chainguard's free images have \`latest\` and \`latest-dev\`. Each is rebuilt whenever
the underlying Debian or Wolfi packages change, so the same tag points at a new image every few days. The
only stable reference is the digest: \`gcr.io/distroless/static-debian12:nonroot@sha256:…\`. Keep the tag in
front of the digest so readers still see what it is, and let a bot (Renovate, Dependabot) move the digest.`,
      bad: `FROM gcr.io/distroless/python3-debian12:nonroot`,
      good: `FROM gcr.io/distroless/python3-debian12:nonroot@sha256:<digest>`,
      fix: `Append \`@sha256:<digest>\` of the image you tested: the digest the tag points at, which for a
multi-platform image is its index (\`docker buildx imagetools inspect <image>:<tag>\` prints it first), not
one platform's manifest. With registry data the quick fix pins today's index digest, keeping the tag:
\`image:tag@sha256:…\` is the form Renovate and Dependabot maintain, proposing the new digest in a pull
request each time the tag is rebuilt.`,
    },
  },
  checkStage(stage) {
    const base = stage.base;
    if (base?.kind !== 'image' || base.ref.digest !== undefined || !isDistroless(base.ref)) return [];
    return [
      {
        range: base.source.spans.tag ?? base.source.spans.name,
        message: `\`${base.ref.familiar}\` has no version tags; its tags move with every rebuild. Pin it by digest.`,
        data: { image: base.ref.canonicalName, ...(base.ref.tag ? { tag: base.ref.tag } : {}) },
      },
    ];
  },
  fix: pinFixes,
});
