import type { DiagnosticTag, Range, TextEdit } from 'vscode-languageserver-types';
import type { ImageFacts, RuleContext } from '../language/context';
import type { DockerfileModel, InstructionInfo, Stage } from '../language/model';

// The context a rule checks against is the language layer's; rules take it from here with the rest of their contract.
export type { ImageFacts, RuleContext } from '../language/context';
export { EMPTY_CONTEXT } from '../language/context';

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
  /**
   * The registry facts the rule (or its fixes) reads from `RuleContext.images`. The server asks the
   * registry only for what an enabled rule names here, so a rule that reads a fact it does not list
   * never sees it in the editor (`dockwise lint --online` gathers every fact).
   */
  readonly facts?: readonly ImageFactName[];
  readonly docs: RuleDocs;
}

/** A field of `ImageFacts`, as rules name what they read. */
export type ImageFactName = keyof ImageFacts;


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
  /**
   * Set by {@link stageRule}: the findings of one stage, which the engine keeps per stage and reuses
   * in the next version of the document while the stage's key (language/stageKeys.ts) is unchanged.
   */
  checkStage?(stage: Stage, model: DockerfileModel, context: RuleContext): Finding[];
  /** Set by {@link stageRule}: what such a rule finds outside the stages (the meta ARGs), checked on every version. */
  checkFile?(model: DockerfileModel, context: RuleContext): Finding[];
  /** Fixes for one of this rule's findings, safest first; none when no rewrite is sound. */
  fix?(model: DockerfileModel, finding: Finding, context: RuleContext): Fix[];
}

/**
 * A rule whose findings in a stage depend only on what that stage's key holds: the stage's own text,
 * the stages it builds on or copies from and those built on it or copying from it (each
 * transitively), the lines they start on, the text before the first FROM, every stage's name, where
 * BuildKit's reader refuses the file, the day rules judge dates against, the stages' roles in the
 * build (target, shipped, production, dispatched) and the context. Such a rule is checked one stage
 * at a time, and a keystroke re-checks only the stages whose key it changed. Its findings' `data` may
 * hold line numbers of those stages but no document offsets (offsets move when an earlier stage is
 * edited).
 */
export function stageRule(rule: Omit<Rule, 'check' | 'checkStage'> & { checkStage: NonNullable<Rule['checkStage']> }): Rule {
  return {
    ...rule,
    check: (model, context) => [...model.stages.flatMap((stage) => rule.checkStage(stage, model, context)), ...(rule.checkFile?.(model, context) ?? [])],
  };
}

/**
 * A stage rule that judges a list of instructions on their own: each stage's, and the instructions
 * before the first FROM (its `checkFile`, checked on every version).
 */
export function instructionsRule(
  rule: Omit<Rule, 'check' | 'checkStage' | 'checkFile'> & { checkInstructions(instructions: readonly InstructionInfo[], model: DockerfileModel, context: RuleContext): Finding[] },
): Rule {
  const { checkInstructions, ...rest } = rule;
  return stageRule({
    ...rest,
    checkStage: (stage, model, context) => checkInstructions(stage.instructions, model, context),
    checkFile: (model, context) => checkInstructions(model.preamble, model, context),
  });
}
