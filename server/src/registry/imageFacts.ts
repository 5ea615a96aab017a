/**
 * What the rules learn about a base image from its registry (`RuleContext.images`): digest (an
 * index or one platform's manifest), platforms, default user, size, the most specific tag with the
 * same digest, a smaller variant of the same version, where a pinned tag points now, and Docker
 * Hub's badge. Only the facts asked for are fetched (the rules name theirs in `meta.facts`): the
 * description's own facts (digest, platforms, manifest kind, user, created, size) always come with
 * it, the others cost requests of their own. The editor gathers
 * them in the background (`lsp/facts.ts`), `dockwise lint --online` before it lints.
 */
import type { ImageRef } from '../language/imageRef';
import type { ImageFactName, ImageFacts } from '../engine/rule';
import type { HubClient } from './hub';
import { kindOfType } from './ociClient';
import { mostSpecificTag, variantCandidates } from './pinning';
import { mainPlatform, platformName, type ImageDescription, type RegistryClient } from './types';

/** Every fact, for callers that want them all (the CLI's `--online`, the tests). */
export const EVERY_FACT: ReadonlySet<ImageFactName> = new Set<ImageFactName>([
  'digest', 'platforms', 'manifestKind', 'user', 'created', 'compressedSize', 'pinTag', 'hubBadge', 'smallerVariant', 'tagNow',
]);

/** Rejects when the image cannot be described; the extras only go missing when their requests fail. */
export async function imageFactsOf(
  client: RegistryClient,
  ref: ImageRef,
  hub?: HubClient,
  wanted: ReadonlySet<ImageFactName> = EVERY_FACT,
): Promise<{ description: ImageDescription; facts: ImageFacts }> {
  const repository = wanted.has('hubBadge') ? hub?.repository(ref).catch(() => undefined) : undefined;
  const description = await client.describe(ref);
  // A smaller variant of `python:latest` is found through the version tag `latest` shares a digest with.
  const findPin = !ref.digest && (wanted.has('pinTag') || wanted.has('smallerVariant'));
  const pinTag = findPin ? await mostSpecificTag(client, ref, description.digest).catch(() => undefined) : undefined;
  const hubBadge = (await repository)?.badge;
  const main = mainPlatform(description);
  const config = main?.config;
  const manifestKind = kindOfType(description.mediaType);
  const facts: ImageFacts = {
    digest: description.digest,
    platforms: description.platforms.map(platformName),
    ...(manifestKind ? { manifestKind } : {}),
    ...(pinTag && wanted.has('pinTag') ? { pinTag } : {}),
    ...(config?.user ? { user: config.user } : {}),
    ...(config?.created ? { created: config.created } : {}),
    ...(hubBadge ? { hubBadge } : {}),
    ...(main ? { compressedSize: main.compressedSize } : {}),
    ...(wanted.has('smallerVariant') ? await smallerVariant(client, ref, pinTag, main?.compressedSize) : {}),
    ...(wanted.has('tagNow') ? await tagNow(client, ref) : {}),
  };
  return { description, facts };
}

/** The smallest `-slim`/`-alpine` variant of the same version, when it is smaller (the rule judges by how much). */
async function smallerVariant(client: RegistryClient, ref: ImageRef, pinTag: string | undefined, size: number | undefined): Promise<Pick<ImageFacts, 'smallerVariant'>> {
  const tag = ref.tag && /^\d/.test(ref.tag) ? ref.tag : pinTag;
  if (!tag || !size || ref.digest) return {};
  try {
    const candidates = variantCandidates(tag, await client.tags(ref));
    const sized = await Promise.all(
      candidates.map(async (variant) => {
        const d = await client.describe({ ...ref, tag: variant, familiar: ref.familiar.replace(/:[^:@/]+$/, `:${variant}`) });
        const p = mainPlatform(d);
        return p ? { tag: variant, compressedSize: p.compressedSize } : undefined;
      }),
    );
    const best = sized.filter((v): v is { tag: string; compressedSize: number } => !!v && v.compressedSize < size).sort((a, b) => a.compressedSize - b.compressedSize)[0];
    return best ? { smallerVariant: best } : {};
  } catch {
    return {};
  }
}

/**
 * For `tag@digest` pins: the digest the tag has now, and, when that is another one, its platforms,
 * its creation date and whether the pin is one of its platform manifests (a pin of one platform's
 * manifest differs from the tag's index digest without being older).
 */
async function tagNow(client: RegistryClient, ref: ImageRef): Promise<Pick<ImageFacts, 'tagNow'>> {
  if (!ref.digest || !ref.tag) return {};
  try {
    const digest = await client.digestOf(ref, ref.tag);
    if (digest === ref.digest) return { tagNow: { digest } };
    const { digest: _pinned, ...byTag } = ref;
    const now = await client.describe({ ...byTag, familiar: ref.familiar.replace(/@.*$/, '') });
    const created = mainPlatform(now)?.config?.created;
    const holdsPin = now.platforms.some((p) => p.digest === ref.digest);
    return { tagNow: { digest, platforms: now.platforms.map(platformName), ...(created ? { created } : {}), ...(holdsPin ? { holdsPin } : {}) } };
  } catch {
    return {};
  }
}
