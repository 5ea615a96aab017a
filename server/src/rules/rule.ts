import type { DiagnosticTag, Range, TextEdit } from 'vscode-languageserver-types';
import type { ImageRef } from '../engine/imageRef';
import type { DockerfileModel } from '../engine/model';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export type Category = 'base-image' | 'security' | 'build-cache' | 'image-size' | 'correctness' | 'maintainability' | 'syntax' | 'style';

/** The rule's page in docs/rules/, generated from here so text and code cannot drift apart. */
export interface RuleDocs {
  /** Why it matters, with the practical reason. Markdown. */
  readonly why: string;
  /** A Dockerfile the rule reports. */
  readonly bad: string;
  /** The same Dockerfile, written well. */
  readonly good: string;
  /** How to fix it by hand, and what the quick fix does when there is one. */
  readonly fix: string;
}

export interface RuleMeta {
  /** Stable kebab-case id: the diagnostic code, the settings key and the docs file name. */
  readonly id: string;
  readonly title: string;
  /** One sentence; shown in settings and in SARIF output. */
  readonly description: string;
  readonly category: Category;
  readonly severity: Severity;
  readonly fixable: 'never' | 'sometimes' | 'always';
  /**
   * Ids of other tools' checks that report the same problem, so their users find the rule (docs, SARIF
   * properties, the hint for an unknown id in `.dockwise.yaml`). compatibility.ts lists every check of
   * those tools and why the ones no rule claims are left out.
   *
   * Policy: an id is an alias when the other check looks for what this rule reports, or for one of the
   * things it reports (checkov CKV2_DOCKER_2, `curl -k`, is one of download-insecure's switches). The rule
   * may stay quiet where the file shows the harm is absent (an earlier absolute WORKDIR, a development
   * stage, a root user that is stepped down from). A check that looks for something wider is not an
   * alias: checkov CKV_DOCKER_4 flags every ADD, add-local-file only those COPY can replace, so LEFT_OUT
   * calls it broader and names the rule. A check that bundles separate problems is an alias of the rule
   * that reports its main one (Trivy DS-0031 is secret-named ARG and ENV, as BuildKit's
   * SecretsUsedInArgOrEnv, plus cloud logins in RUN: secrets-in-arg-env). Where a hadolint rule looks for
   * the same thing as a Trivy or checkov check, both get the same decision. Each id names one rule (the
   * catalogue test holds it); a check two rules split would need its reason written here first.
   *
   * Ids are written as each tool prints them: hadolint `DL3020`, BuildKit `JSONArgsRecommended`,
   * Trivy `DS-0005` (it also accepts the older `AVD-DS-0005` and `DS005`), checkov `CKV_DOCKER_4`.
   * Suppression reads only hadolint's and BuildKit's (`# hadolint ignore=`, `.hadolint.yaml`,
   * `# check=skip=`); `.trivyignore` and `# checkov:skip=` are their own tools' business and are not read.
   */
  readonly aliases: {
    readonly hadolint?: readonly string[];
    readonly buildkit?: readonly string[];
    readonly trivy?: readonly string[];
    readonly checkov?: readonly string[];
  };
  /**
   * `false` when the rule's question has no answer inside an ONBUILD trigger, which runs in a child
   * image's build: its stages, variables and build context are not in this file.
   */
  readonly insideOnbuild?: false;
  readonly docs: RuleDocs;
}

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

/** One problem a rule found; the engine turns it into a diagnostic. */
export interface Finding {
  readonly range: Range;
  readonly message: string;
  /**
   * This finding's level when it differs from the rule's default: a rule reports what certainly fails
   * the build as an error and what depends on facts outside the file lower. Settings, .hadolint.yaml
   * and `# check=error=true` still set the level of every finding of the rule.
   */
  readonly severity?: Severity;
  /** What a fix or hover needs later, so it does not have to re-derive it. */
  readonly data?: Readonly<Record<string, unknown>>;
  readonly tags?: readonly DiagnosticTag[];
}

/** A rewrite that resolves a finding. */
export interface Fix {
  /** What the user sees in the light bulb: `Switch to exec form`. */
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /**
   * Safe fixes keep what the image does (same files, same commands, same user) and may be
   * applied without review by fix-all and fix-on-save; unsafe ones are offered one at a time.
   */
  readonly safe: boolean;
}

/** Rules are pure: they read the model and the context and return findings, with no I/O and no state. */
export interface Rule {
  readonly meta: RuleMeta;
  check(model: DockerfileModel, context: RuleContext): Finding[];
  /** Fixes for one of this rule's findings, safest first; none when no rewrite is sound. */
  fix?(model: DockerfileModel, finding: Finding, context: RuleContext): Fix[];
}
