/** What is known around a Dockerfile beyond its text: its build context, the registry's answers, the policy. */
import type { ImageRef } from './imageRef';

/** Facts from outside the Dockerfile's text, gathered by the server or the CLI. */
export interface RuleContext {
  /** The build context (by default the Dockerfile's folder); `undefined` when not on disk. */
  readonly buildContext?: {
    /** A `.dockerignore` (or `<name>.dockerignore` beside the Dockerfile) applies. */
    readonly hasDockerignore: boolean;
    /** Names at the top of the context, when read (for fixes that copy specific files). */
    readonly files?: readonly string[];
    /** Every file and folder in the context, relative with `/`; absent when it could not be listed completely. */
    readonly paths?: ReadonlySet<string>;
    /** Folders in `paths` that were not listed inside (node_modules, .git, …): anything below them may exist. */
    readonly opaque?: readonly string[];
    /** Whether `.dockerignore` (or `<Dockerfile>.dockerignore`) leaves a context path out, with Docker's matching. */
    readonly isIgnored?: (path: string) => boolean;
    /** Top-level entries that rarely belong in an image and are not excluded, with their size and why. */
    readonly unwanted?: readonly { readonly path: string; readonly bytes: number; readonly why: string }[];
    /** The context folder relative to the Dockerfile's (`.`, `..`, `../api`). */
    readonly dir?: string;
    /** The compose services or bake targets that build this Dockerfile, for people. */
    readonly origin?: string;
    /** Stages those builds stop at (`target:`); the final stage when empty. */
    readonly targets?: readonly string[];
    /** Named build contexts those builds pass (compose `additional_contexts`, bake `contexts`), which `COPY --from` may name. */
    readonly namedContexts?: readonly string[];
  };
  /** Registries whose images are trusted; empty means no restriction. */
  readonly trustedRegistries: readonly string[];
  /** What the registry said about base images, once it has answered; absent offline or while loading. */
  readonly images?: (ref: ImageRef) => ImageFacts | undefined;
  /** `dockwise.targetPlatforms`: where the images must run, `os/arch[/variant]`. */
  readonly targetPlatforms?: readonly string[];
  /** The day rules judge dates against, `YYYY-MM-DD` (UTC); today when absent. Tests and fixtures set it. */
  readonly today?: string;
}

/** Registry facts about one image reference, for rules and fixes. */
export interface ImageFacts {
  /** The digest the reference points at today. */
  readonly digest: string;
  /** The most specific tag with that digest (`3.12.7-slim` for `3.12-slim`), if one was found. */
  readonly pinTag?: string;
  /** The default user of the image's config (amd64, or its first platform); `undefined`: root. */
  readonly user?: string;
  /** Platforms it is published for, `os/arch[/variant]`. */
  readonly platforms: readonly string[];
  /** Docker Hub's trust badge for the repository; only for Docker Hub images, when Hub answered. */
  readonly hubBadge?: 'official' | 'verified_publisher' | 'open_source' | 'none';
  /** When the image (amd64, or its first platform) was built, ISO 8601. */
  readonly created?: string;
  /** Compressed size for linux/amd64 (or the first platform), in bytes. */
  readonly compressedSize?: number;
  /** A variant of the same version that downloads markedly less (`3.12-slim` for `3.12`). */
  readonly smallerVariant?: { readonly tag: string; readonly compressedSize: number };
  /** What the reference resolves to: a multi-platform index, or one platform's manifest alone; absent when the registry did not say. */
  readonly manifestKind?: 'index' | 'manifest';
  /** For a `tag@digest` pin: where the tag points now, and when that image was created. */
  readonly tagNow?: {
    readonly digest: string;
    readonly created?: string;
    /** Platforms the tag's image is published for now, when that is another digest than the pin. */
    readonly platforms?: readonly string[];
    /** The pin is one platform's manifest inside the index the tag points at now: the same image, not an older one. */
    readonly holdsPin?: true;
  };
}

export const EMPTY_CONTEXT: RuleContext = { trustedRegistries: [] };
