/** Questions many rules ask of the model, answered once here. */
import { variablesOf as aloneVariables, type Variable } from './astNode';
import type { Range } from 'vscode-languageserver-types';
import type { ImageRef } from './imageRef';
import { safely, type BaseImage, type DockerfileModel, type InstructionInfo, type RunInstruction, type Stage } from './model';
import type { ShellCommand, ShellWord } from './shell';
import type { RuleContext } from './context';
import { HeldOn, strongMemo, weakMemo } from './memo';

export interface CommandAt {
  readonly stage: Stage;
  readonly run: RunInstruction;
  readonly command: ShellCommand;
  /** The program actually run, looking through `sudo`, `env` and the like. */
  readonly program: string;
  /** Its arguments, after the wrapper's own. */
  readonly args: readonly ShellWord[];
  readonly nameWord: ShellWord;
}

/** Commands that run the next word as the real program. */
const WRAPPERS = new Set(['sudo', 'env', 'nice', 'nohup', 'time', 'command', 'exec', 'doas', 'chroot']);

/** Every simple command of every `RUN` in the file, in order. */
export function shellCommands(model: DockerfileModel): CommandAt[] {
  return model.stages.flatMap((stage) => stage.runs.flatMap((run) => commandsOf(stage, run)));
}

/** Many rules walk the same RUN; its commands are worked out once per model. */
const commandCache = new HeldOn<RunInstruction, CommandAt[]>();

export function commandsOf(stage: Stage, run: RunInstruction): CommandAt[] {
  const cached = commandCache.get(run);
  if (cached) return cached;
  const commands: CommandAt[] = [];
  for (const command of run.script.commands) {
    // The command's words are its name, then its arguments: indexed without joining them into a new list.
    const { name, args } = command;
    const count = (name ? 1 : 0) + args.length;
    const word = (index: number) => (name ? (index === 0 ? name : args[index - 1]!) : args[index]!);
    let i = 0;
    while (i < count - 1 && WRAPPERS.has(basename(word(i).value))) {
      i++;
      // Skip the wrapper's own options and `env`'s assignments.
      while (i < count - 1 && (word(i).value.startsWith('-') || /^\w+=/.test(word(i).value))) i++;
    }
    if (i >= count) continue;
    const nameWord = word(i);
    // Most commands run their own name: their arguments are the script's list itself.
    const after = name ? i : i + 1;
    commands.push({ stage, run, command, program: basename(nameWord.value), args: after === 0 ? args : args.slice(after), nameWord });
  }
  commandCache.set(run, commands);
  return commands;
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Positional (non-option) arguments. */
export function operands(args: readonly ShellWord[]): ShellWord[] {
  return args.filter((a) => !a.value.startsWith('-'));
}

/**
 * Whether an option is given, as `-y`, inside a short cluster (`-qy`), or as a long
 * name (`--yes`, `--yes=…`).
 */
export function hasOption(args: readonly ShellWord[], short: string, long: readonly string[] = []): boolean {
  return args.some(({ value }) => {
    if (value.startsWith('--')) return long.some((name) => value === `--${name}` || value.startsWith(`--${name}=`));
    return short !== '' && /^-[A-Za-z0-9]+$/.test(value) && [...short].some((c) => value.slice(1).includes(c));
  });
}

export function wordRange(model: DockerfileModel, word: { start: number; end: number }): Range {
  return model.rangeOf(word.start, word.end);
}

export function keywordRange(info: InstructionInfo): Range {
  return info.keywordRange;
}

export function instructionsNamed(stage: Stage, ...keywords: string[]): InstructionInfo[] {
  return stage.instructions.filter((i) => keywords.includes(i.keyword));
}

/** The stages a stage builds on, root first, ending with the stage itself. */
export function stageChain(model: DockerfileModel, stage: Stage): Stage[] {
  const chain = [stage];
  let base = stage.base;
  while (base?.kind === 'stage') {
    const parent = model.stages[base.stageIndex];
    if (!parent || chain.includes(parent)) break;
    chain.unshift(parent);
    base = parent.base;
  }
  return chain;
}

/** The image at the root of a stage's `FROM` chain. */
export function rootBase(model: DockerfileModel, stage: Stage): BaseImage | undefined {
  return stageChain(model, stage)[0]?.base;
}

export function rootImage(model: DockerfileModel, stage: Stage): ImageRef | undefined {
  const base = rootBase(model, stage);
  return base?.kind === 'image' ? base.ref : undefined;
}

/** The stage a `COPY --from`/`RUN --mount=from` value names, by name or index, if any. */
export function stageNamed(model: DockerfileModel, value: string, before: number): Stage | undefined {
  const lowered = value.toLowerCase();
  const byIndex = /^\d+$/.test(value) ? model.stages[Number(value)] : undefined;
  const found = byIndex ?? model.stages.find((s) => s.name === lowered);
  return found && found.index < before ? found : undefined;
}

/**
 * The variables dockerfile-ast finds in an instruction, read once while its text and first line stay
 * the same (dockerfile-ast re-reads the text on every call). Their names, modifiers and ranges are the instruction's
 * own; whether one is defined is for the rules to say from the model.
 */
const variableCache = new HeldOn<InstructionInfo['stable'], readonly Variable[]>();

export function variablesOf(model: DockerfileModel, info: InstructionInfo): readonly Variable[] {
  let found = variableCache.get(info.stable);
  if (!found) {
    variableCache.set(info.stable, (found = safely(() => aloneVariables(model.document, info, model.escapeChar), [])));
  }
  return found;
}

export function flagNamed(info: InstructionInfo, name: string) {
  return info.flags.find((f) => f.getName().toLowerCase() === name);
}

export interface CopySpec {
  readonly sources: readonly { readonly value: string; readonly range: Range }[];
  readonly dest?: { readonly value: string; readonly range: Range };
  /** `--from` value, when copying out of a stage or image. */
  readonly from?: string;
}

/**
 * Rules ask for the same instruction's spec many times (every later stage's COPY, per stage). Kept by
 * `stable`, the same while the instruction's text and first line are: the spec holds nothing else
 * (its ranges are lines and characters).
 */
const specCache = new HeldOn<InstructionInfo['stable'], CopySpec>();

/** Sources and destination of `COPY`/`ADD`, in either form; heredoc sources are left out. */
export function copySpec(info: InstructionInfo): CopySpec {
  let spec = specCache.get(info.stable);
  if (!spec) specCache.set(info.stable, (spec = readCopySpec(info)));
  return spec;
}

function readCopySpec(info: InstructionInfo): CopySpec {
  const all = info.execStrings ?? info.args.map((a) => ({ value: a.getValue(), range: a.getRange() }));
  // The words of heredoc bodies are arguments to the rules (as to dockerfile-ast), not operands to BuildKit (they follow the last marker's line).
  const marker = [...all].reverse().find((w) => /^\d*<<-?/.test(w.value));
  const words = marker && !info.execStrings ? all.filter((w) => w.range.start.line <= marker.range.start.line) : all;
  const operands = words.filter((w) => !w.value.startsWith('<<'));
  const from = flagNamed(info, 'from')?.getValue() ?? undefined;
  const dest = operands.length > 1 ? operands.at(-1) : undefined;
  return { sources: dest ? operands.slice(0, -1) : operands, ...(dest ? { dest } : {}), ...(from ? { from } : {}) };
}

/** The source of `COPY . …`, `COPY ./ …` or `COPY * …`: the whole build context. */
export function wholeContextSource(spec: CopySpec): CopySpec['sources'][number] | undefined {
  return spec.from === undefined ? spec.sources.find((s) => /^(?:\.\/?|\*|\.\/\*)$/.test(s.value)) : undefined;
}

/**
 * The stages whose images get built and run: the compose/bake/devcontainer targets when the build
 * context names them, otherwise the last stage (what `docker build` builds).
 */
export function targetStages(model: DockerfileModel, context: RuleContext): Stage[] {
  const named = (context.buildContext?.targets ?? []).flatMap((t) => model.stages.filter((s) => s.name === t.toLowerCase()));
  const last = model.stages.at(-1);
  return named.length > 0 ? [...new Set(named)] : last ? [last] : [];
}

/** Every stage whose files end up in a built image through `FROM`: the targets and the stages they build on. */
export function shippedStages(model: DockerfileModel, context: RuleContext): ReadonlySet<Stage> {
  return shippedMemo(model)(context);
}

const shippedMemo = weakMemo((model: DockerfileModel) => strongMemo((context: RuleContext): ReadonlySet<Stage> => new Set(targetStages(model, context).flatMap((stage) => stageChain(model, stage)))));

const DEVELOPMENT_STAGE = /^(?:dev|devel|develop|development|dev-envs?|debug|tests?|testing|ci)$/;
const DEVELOPMENT_FILE = /(?:^|\/)\.devcontainer\/|(?:^|\/)tests?\/[^/]+$|(?:^|\/)(?:Dockerfile|Containerfile)\.(?:dev|devel|development|debug|tests?|ci)$|(?:^|\/)(?:dev|debug|tests?)\.(?:Dockerfile|dockerfile)$/;

/**
 * A stage (or a whole file) for development, debugging or tests: a dev container, a `debug`
 * stage, `Dockerfile.test`. Advice about production images (users, caches, sizes) does not apply.
 */
export function isDevelopmentOnly(model: DockerfileModel, stage: Stage): boolean {
  return (stage.name !== undefined && DEVELOPMENT_STAGE.test(stage.name)) || developmentFile(model);
}

const developmentFile = weakMemo((model: DockerfileModel) => DEVELOPMENT_FILE.test(decodeURIComponent(model.document.uri)));

/**
 * The stages whose layers end up in an image people run: the chains of the targets (see
 * `targetStages`). A development target (a `dev-envs`/`debug`/`test` stage, a `Dockerfile.debug`)
 * brings only the stages it builds on that come before the first development stage, so
 * `FROM builder AS dev-envs` as the last stage still has `builder` checked, and a dev-only file
 * nothing. Worked out once per model and context: most rules that ask, ask for every stage.
 */
export function productionStages(model: DockerfileModel, context: RuleContext): ReadonlySet<Stage> {
  return productionMemo(model)(context);
}

const productionMemo = weakMemo((model: DockerfileModel) =>
  strongMemo((context: RuleContext): ReadonlySet<Stage> => {
    const stages = targetStages(model, context).flatMap((target) => {
      const chain = stageChain(model, target);
      if (!isDevelopmentOnly(model, target)) return chain;
      const firstDev = chain.findIndex((stage) => isDevelopmentOnly(model, stage));
      return chain.slice(0, firstDev);
    });
    return new Set(stages.sort((a, b) => a.index - b.index));
  }),
);
