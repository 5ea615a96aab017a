import { replace } from '../../language/edits';
import type { BaseImage } from '../../language/model';
import { stageRule, type Finding, type ImageFacts } from '../../engine/rule';

/** `linux/arm64` is satisfied by `linux/arm64/v8`; a variant named in the target must match exactly. */
const covers = (published: string, target: string) => published === target || published.startsWith(`${target}/`);

const uncovered = (targets: readonly string[], published: readonly string[]) => targets.filter((t) => !published.some((p) => covers(p, t)));

const PLATFORM = /^[a-z0-9_.-]+\/[a-z0-9_.-]+(?:\/[a-z0-9_.-]+)?$/;

/**
 * Where a stage must run: nowhere we check for `$BUILDPLATFORM` stages (they run on the build
 * machine), the one platform a literal `--platform` names, else (no flag, `$TARGETPLATFORM`) the
 * target platforms.
 */
function stageTargets(flag: string | undefined, targets: readonly string[]): readonly string[] {
  if (flag === undefined) return targets;
  if (flag.includes('$')) return /BUILDPLATFORM/.test(flag) ? [] : targets;
  const literal = flag.toLowerCase();
  return PLATFORM.test(literal) ? [literal] : [];
}

/**
 * A digest of one platform's manifest (what Docker Hub's tag page lists per platform) instead of the
 * tag's index: the image may well be published for the missing platforms, the pin chose one. When
 * the tag's index has some of them, the finding names it and the fix pins it; when the registry
 * said nothing of the tag, the message says what to check. `undefined`: the tag's image lacks the
 * missing platforms too, which the plain message says.
 */
function manifestPin({ ref, source }: Extract<BaseImage, { kind: 'image' }>, facts: ImageFacts, missing: readonly string[]): Finding | undefined {
  const range = source.spans.digest ?? source.range;
  const pinned = `The pinned digest is the ${facts.platforms.join(', ')} manifest alone`;
  const lacking = missing.join(', ');
  const now = facts.tagNow;
  if (!now?.platforms || !ref.tag) {
    return { range, message: `${pinned}, not a multi-platform index: it will not run natively on ${lacking}. If the image is published for more platforms, pin the digest of its index (the one its tag points at).`, data: { missing } };
  }
  const stillMissing = uncovered(missing, now.platforms);
  if (stillMissing.length === missing.length) return undefined;
  const either = stillMissing.length ? ` (the index has no ${stillMissing.join(', ')} either)` : '';
  return {
    range,
    message: `${pinned}, not the multi-platform index \`${ref.tag}\` points at: it will not run natively on ${lacking}. Pin the index digest instead${either}.`,
    // The fix rewrites the digest as written; a reference built from build arguments has no digest span.
    data: { missing, ...(source.spans.digest ? { index: now.digest, tag: ref.tag } : {}) },
  };
}

export const platformMissing = stageRule({
  meta: {
    id: 'platform-missing',
    title: 'Base image not published for a target platform',
    description: 'Flags base images the registry does not publish for one of dockwise.targetPlatforms, and digest pins of one platform\'s manifest instead of the index (needs registry data).',
    category: 'base-image',
    severity: 'warning',
    fixable: 'sometimes',
    aliases: { buildkit: ['InvalidBaseImagePlatform'] },
    facts: ['platforms', 'manifestKind', 'tagNow'],
    docs: {
      why: `Images are published per platform. A base image without \`linux/arm64\` does not run natively on an
Apple-silicon Mac, a Raspberry Pi or an arm64 cloud instance: the build fails for that platform, or runs
the whole image under slow emulation. dockwise compares the platforms the registry lists for the image
with \`dockwise.targetPlatforms\` (default \`linux/amd64\` and \`linux/arm64\`).

A multi-platform tag points at an *index* (a manifest list) whose entries are one manifest per platform.
A digest pin should name the index: the builder then picks the manifest of the platform it builds for.
Docker Hub's tag page and \`docker buildx imagetools inspect\` also list each platform's own digest, and a
pin of one of those (\`python:3.12@sha256:<the amd64 manifest>\`) is an amd64 image on every platform. dockwise
says so, and names the tag's index when that has the platforms the pin lacks.

Stages that run on the build machine (\`FROM --platform=$BUILDPLATFORM\`) are not checked: they never run on
the target; a stage with a fixed \`--platform\` is checked against that platform alone. The rule needs
registry data, so it appears once the registry has answered and never offline.`,
      bad: `# dockwise.targetPlatforms: ["linux/amd64", "linux/arm64"]
FROM someone/tool:1.0   # published for linux/amd64 only
FROM python:3.12-slim@sha256:<digest of the linux/amd64 manifest>`,
      good: `FROM --platform=$BUILDPLATFORM someone/tool:1.0 AS tools
FROM python:3.12-slim@sha256:<digest of the index 3.12-slim points at>
COPY --from=tools /usr/local/bin/tool /usr/local/bin/`,
      fix: `Pick a base image (or a version of it) published for every target platform, build the missing one yourself,
or narrow \`dockwise.targetPlatforms\` if you really ship one platform only.
For a pin of one platform's manifest, pin the digest the tag points at (\`docker buildx imagetools inspect
<image>:<tag>\` prints it as the first \`Digest:\`), written \`image:tag@sha256:<index digest>\`: the tag tells
readers what it is, and Renovate and Dependabot, which maintain exactly this form, move the digest when
the tag is rebuilt. When the registry has answered, the quick fix pins the index digest (review it: the
other platforms now get their own image).`,
    },
  },
  checkStage(stage, _model, context) {
    const base = stage.base;
    if (base?.kind !== 'image') return [];
    const facts = context.images?.(base.ref);
    if (!facts) return [];
    const targets = stageTargets(stage.platformFlag?.getValue() ?? undefined, context.targetPlatforms ?? []);
    const missing = uncovered(targets, facts.platforms);
    if (missing.length === 0) return [];
    // A tag that itself points at this one manifest is an image published for one platform: the plain message.
    const pin = base.ref.digest && facts.manifestKind === 'manifest' && facts.tagNow?.digest !== base.ref.digest ? manifestPin(base, facts, missing) : undefined;
    if (pin) return [pin];
    return [
      {
        range: base.source.spans.name,
        message: `\`${base.ref.familiar}\` is not published for ${missing.join(', ')} (it has ${facts.platforms.join(', ')}): it will not run natively there.`,
        data: { missing },
      },
    ];
  },
  fix(_model, finding) {
    const { index, tag } = finding.data ?? {};
    if (typeof index !== 'string' || typeof tag !== 'string') return [];
    return [{ title: `Pin to the index digest ${tag}@${index.slice(0, 19)}…`, edits: [replace(finding.range, index)], safe: false }];
  },
});
