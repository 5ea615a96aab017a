/**
 * Runs the rules over one text and turns their findings into LSP diagnostics.
 * Pure: the caller hands in the text, the settings and the facts from outside; nothing here does I/O.
 */
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { EMPTY_CONTEXT, type Finding, type Rule, type RuleContext, type Severity } from './rule';
import type { HadolintConfig } from './hadolintConfig';
import { buildModel, type DockerfileModel } from '../language/model';
import { compare } from '../language/positions';
import { stageKeys } from '../language/stageKeys';
import { triggerText } from '../language/triggers';
import { aliasIndex, readSuppressions, type AliasIndex } from './suppression';
import { weakMemo } from '../language/memo';

export const DIAGNOSTIC_SOURCE = 'dockwise';
export const RULE_DOCS_BASE = 'https://github.com/dockwise/dockwise/blob/main/docs/rules';

export type RuleLevel = Severity | 'off';

export interface LintOptions {
  /** Per-rule level overrides from settings, keyed by rule id; they win over everything else. */
  readonly rules?: Readonly<Record<string, RuleLevel>>;
  readonly context?: RuleContext;
  /** A `.hadolint.yaml` that applies to this file. */
  readonly hadolint?: HadolintConfig;
  readonly uri?: string;
  /** Build arguments passed to this build (from compose or bake), over the ARG defaults. */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** Told about a rule or the parser failing, so the caller can log it; linting carries on. */
  readonly onInternalError?: (what: string, error: unknown) => void;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function ruleDocsUrl(id: string): string {
  return `${RULE_DOCS_BASE}/${id}.md`;
}

const aliasesOf: (rules: readonly Rule[]) => AliasIndex = weakMemo(aliasIndex);

/** A finding with the rule that made it and the diagnostic it became. */
export interface Reported {
  readonly rule: Rule;
  readonly finding: Finding;
  readonly diagnostic: Diagnostic;
  /** For a finding inside an ONBUILD trigger: the model it was found on, and the trigger's offsets, which its fixes must stay within. */
  readonly trigger?: { readonly model: DockerfileModel; readonly start: number; readonly end: number };
}

export interface Analysis {
  readonly model: DockerfileModel;
  readonly context: RuleContext;
  /** The rules it ran, in order: a stage's findings are kept by each rule's place in this list. */
  readonly rules: readonly Rule[];
  readonly reported: readonly Reported[];
  /** Stage rules' findings by stage key (language/stageKeys.ts), then by rule: what the next version may reuse. */
  readonly stageFindings: StageFindings;
}

/** One stage's findings, by the rule's place in the list; `undefined` for a rule not checked there yet. */
type RuleFindings = (readonly Finding[] | undefined)[];
// The lists are shared with the next version where a stage is unchanged (stageReuse), which may add rules to them.
type StageFindings = ReadonlyMap<string, RuleFindings>;

/**
 * Beyond these a file is not a hand-written Dockerfile, and analysis would cost seconds per
 * keystroke (1 MB takes ~1.6 s here, 5 MB ~30 s). Documented in the README's "Limits".
 */
export const MAX_ANALYSED_CHARS = 512 * 1024;
export const MAX_ANALYSED_LINES = 10_000;

/** For a file over the limits: the one diagnostic saying it is not analysed, and why. */
export function declined(text: string): Diagnostic | undefined {
  if (text.length <= MAX_ANALYSED_CHARS && !hasMoreLinesThan(text, MAX_ANALYSED_LINES)) return undefined;
  const size = text.length >= 1024 * 1024 ? `${(text.length / 1024 / 1024).toFixed(1)} MB` : `${Math.round(text.length / 1024)} KB`;
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    code: 'file-too-large',
    source: DIAGNOSTIC_SOURCE,
    message: `dockwise does not analyse files over ${MAX_ANALYSED_CHARS / 1024} KB or ${MAX_ANALYSED_LINES.toLocaleString('en')} lines; this one has ${size} in ${lineCount(text).toLocaleString('en')} lines.`,
  };
}

function hasMoreLinesThan(text: string, limit: number): boolean {
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) if (++lines > limit) return true;
  return false;
}

function lineCount(text: string): number {
  return text.split('\n').length;
}

/**
 * Parses once, runs every enabled rule, and keeps what is reported; `undefined` if parsing failed or
 * the file is over the limits. `previous` (an analysis of an earlier version of the same document)
 * lends the parse of every unchanged instruction; the result is the same with or without it.
 */
export function analyze(text: string, options: LintOptions, rules: readonly Rule[], previous?: Analysis): Analysis | undefined {
  if (declined(text)) return undefined;
  let model;
  try {
    model = buildModel(text, options.uri, options.buildArgs, previous?.model);
  } catch (error) {
    options.onInternalError?.('parser', error);
    return undefined;
  }
  const context = options.context ?? EMPTY_CONTEXT;
  // Another context (other files in the build context, other registry facts) may change any finding.
  const reusable = previous?.context === context && previous.rules === rules ? previous.stageFindings : undefined;
  const reuse = stageReuse(model, context, rules, reusable);
  const made: MadeDiagnostics = { before: previous instanceof Result ? previous.made.now : undefined, now: new Map() };
  const reported = runRules(model, context, options, rules, made, reuse);
  reported.push(...triggerFindings(model, options, rules));
  reported.sort((a, b) => compare(a.diagnostic.range.start, b.diagnostic.range.start));
  return new Result(model, context, rules, reported, reuse, made);
}

/** A class, not an object literal with a getter: V8 builds those slowly, and every lint makes one. */
class Result implements Analysis {
  private kept?: StageFindings;
  constructor(
    readonly model: DockerfileModel,
    readonly context: RuleContext,
    readonly rules: readonly Rule[],
    readonly reported: readonly Reported[],
    private readonly reuse: StageReuse,
    /** The diagnostic each finding became, for the next version, which keeps the findings of unchanged stages. */
    readonly made: MadeDiagnostics,
  ) {}

  /** Keyed only when a next version asks: the CLI and a first open never do. */
  get stageFindings(): StageFindings {
    return (this.kept ??= new Map(stageKeys(this.model, this.context).map((key, index) => [key, this.reuse.now[index]!])));
  }
}

/** Per stage, by rule: its findings in this version, starting from the previous version's where the stage's key is unchanged. */
interface StageReuse {
  readonly now: readonly RuleFindings[];
}

/**
 * Each key is looked up once per analysis, not once per rule. A stage whose key is unchanged keeps
 * the previous version's map itself: what it holds is this version's findings too, and a rule not
 * checked then (it was off) adds its own.
 */
function stageReuse(model: DockerfileModel, context: RuleContext, rules: readonly Rule[], reusable: StageFindings | undefined): StageReuse {
  const before = reusable ? stageKeys(model, context).map((key) => reusable.get(key)) : [];
  return { now: model.stages.map((stage): RuleFindings => before[stage.index] ?? new Array(rules.length)) };
}

// Not frozen: frozen, the keystroke loop allocated ~18 % more (1000 edits: 988 -> 1170 MiB), most
// likely because V8 then sees arrays of two elements kinds where the findings are read.
const NO_FINDINGS: readonly Finding[] = [];

/** A stage rule's findings stage by stage, taken from the previous version where a stage's key is unchanged. */
function checkByStage(rule: Rule, place: number, checkStage: NonNullable<Rule['checkStage']>, model: DockerfileModel, context: RuleContext, reuse: StageReuse): Finding[] {
  const findings: Finding[] = [];
  for (const stage of model.stages) {
    const kept = reuse.now[stage.index]!;
    let found = kept[place];
    if (!found) {
      found = checkStage(stage, model, context);
      // Most rules find nothing in most stages: kept until the next keystroke, one shared empty list costs nothing.
      kept[place] = found.length === 0 ? NO_FINDINGS : found;
    }
    for (const finding of found) findings.push(finding);
  }
  if (rule.checkFile) for (const finding of rule.checkFile(model, context)) findings.push(finding);
  return findings;
}

/**
 * The diagnostic each finding became, this version's and the previous one's. A stage whose key is
 * unchanged keeps its findings (checkByStage), and with them their diagnostics: a finding's range
 * lies in the stages its key holds, whose lines are the same, so it is placed in the new version as
 * in the old. Suppressions are asked again each time: a comment before the first FROM changes them
 * without changing any key. Maps handed from version to version, not one WeakMap: V8's minor
 * collections keep the value of each young key of a long-lived WeakMap alive and promote it, and
 * most findings are young.
 */
interface MadeDiagnostics {
  readonly before: ReadonlyMap<Finding, Made> | undefined;
  readonly now: Map<Finding, Made>;
}
interface Made {
  readonly diagnostic: Diagnostic;
  readonly failsCheck: boolean;
}

function runRules(model: DockerfileModel, context: RuleContext, options: LintOptions, rules: readonly Rule[], made: MadeDiagnostics, reuse?: StageReuse): Reported[] {
  const aliases = aliasesOf(rules);
  const suppressions = readSuppressions(model, aliases);
  const hadolintLevels = hadolintLevelsFor(options.hadolint, aliases);
  const reported: Reported[] = [];
  for (let place = 0; place < rules.length; place++) {
    const rule = rules[place]!;
    const { id } = rule.meta;
    const escalated = suppressions.buildkitErrors && aliases.buildkit.has(id) ? 'error' : undefined;
    const chosen = options.rules?.[id] ?? hadolintLevels.get(id) ?? escalated;
    if (chosen === 'off') continue;
    let findings;
    try {
      findings = rule.checkStage && reuse ? checkByStage(rule, place, rule.checkStage, model, context, reuse) : rule.check(model, context);
    } catch (error) {
      options.onInternalError?.(`rule ${id}`, error);
      continue;
    }
    for (const finding of findings) {
      const own = finding.severity ?? rule.meta.severity;
      // Raised by `# check=error=true` alone: BuildKit ends the build with its own words for it.
      const failsCheck = escalated !== undefined && chosen === escalated && own !== 'error';
      const severity = SEVERITY[chosen ?? own];
      let kept = made.before?.get(finding);
      if (!kept || kept.diagnostic.severity !== severity || kept.failsCheck !== failsCheck) {
        const diagnostic: Diagnostic = {
          range: clamp(model.document, finding.range),
          severity,
          code: id,
          codeDescription: { href: ruleDocsUrl(id) },
          source: DIAGNOSTIC_SOURCE,
          message: failsCheck ? `${finding.message} With check=error=true, BuildKit fails the build: lint violation found for rules: ${rule.meta.aliases.buildkit![0]}.` : finding.message,
          ...(finding.tags?.length ? { tags: [...finding.tags] } : {}),
          ...(finding.data ? { data: finding.data } : {}),
        };
        kept = { diagnostic, failsCheck };
      }
      made.now.set(finding, kept);
      if (suppressions.isSuppressed(id, kept.diagnostic.range.start.line)) continue;
      reported.push({ rule, finding, diagnostic: kept.diagnostic });
    }
  }
  return reported;
}

/**
 * The rules run again over the ONBUILD triggers (see triggers.ts). What they find there fails, at
 * worst, the build of a child image, so nothing is reported above a warning; rules whose question
 * depends on the child's Dockerfile (its stages, variables, context) are not asked.
 */
function triggerFindings(model: DockerfileModel, options: LintOptions, rules: readonly Rule[]): Reported[] {
  const rewritten = triggerText(model.document.getText(), model.reading);
  if (!rewritten) return [];
  let inner: DockerfileModel;
  try {
    inner = buildModel(rewritten.text, options.uri);
  } catch (error) {
    options.onInternalError?.('parser (ONBUILD triggers)', error);
    return [];
  }
  const asked = rules.filter((r) => r.meta.insideOnbuild !== false);
  return runRules(inner, { trustedRegistries: options.context?.trustedRegistries ?? [] }, options, asked, { before: undefined, now: new Map() }).flatMap((item) => {
    const at = inner.document.offsetAt(item.diagnostic.range.start);
    const trigger = rewritten.triggers.find((t) => t.start <= at && at <= t.end);
    if (!trigger) return [];
    const severity = Math.max(item.diagnostic.severity ?? DiagnosticSeverity.Warning, DiagnosticSeverity.Warning) as DiagnosticSeverity;
    return [{ ...item, diagnostic: { ...item.diagnostic, severity, message: `In this ONBUILD trigger: ${item.diagnostic.message}` }, trigger: { model: inner, ...trigger } }];
  });
}

export function lint(text: string, options: LintOptions, rules: readonly Rule[]): Diagnostic[] {
  const refused = declined(text);
  if (refused) return [refused];
  return analyze(text, options, rules)?.reported.map((r) => r.diagnostic) ?? [];
}


function hadolintLevelsFor(config: HadolintConfig | undefined, aliases: AliasIndex): Map<string, RuleLevel> {
  const levels = new Map<string, RuleLevel>();
  if (!config) return levels;
  for (const [code, severity] of config.override) for (const id of aliases.resolve(code)) levels.set(id, severity);
  for (const code of config.ignored) for (const id of aliases.resolve(code)) levels.set(id, 'off');
  return levels;
}

/** Keeps a range inside the document whatever a rule computed. */
function clamp(document: TextDocument, range: Range): Range {
  const start = document.positionAt(document.offsetAt(range.start));
  const end = document.positionAt(Math.max(document.offsetAt(range.end), document.offsetAt(start)));
  return { start, end };
}
