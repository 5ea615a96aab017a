/**
 * One string per stage holding everything a stage rule (engine/rule.ts `stageRule`) may read when it
 * checks that stage: two versions of a document whose stage keys are equal, analysed with the same
 * context, give that rule the same findings there. This is what lets a keystroke re-check one stage
 * instead of the whole file.
 *
 * The key holds what the stages may read before the first FROM (directives, the meta ARGs as written) and the meta ARGs' values,
 * every stage's name, the day, and for the stage and each stage related to it (those it builds on or
 * copies from, and those built on it or copying from it, each transitively) that stage's index, first
 * line, roles in the build, text, and where BuildKit's reader refuses the file if that is before the
 * stage's end. Lines are in the key because findings carry ranges; offsets are not, so typing on a
 * line leaves the keys of the stages after it unchanged. Each of these parts is written in the key
 * as a number that stands for its text (`partId`). The day and the roles are all a context changes:
 * they are added per context to what is made once per model, and `stageContentKeys` leaves them out.
 */
import { dispatchedStages } from './buildkitChecks';
import type { RuleContext } from './context';
import { utcToday } from './eolSupport';
import { carryOver, type DockerfileModel } from './model';
import { sameText } from './sameText';
import { productionStages, shippedStages, targetStages } from './query';
import { boundedMemo, strongMemo, weakMemo } from './memo';
import { builtStages, stageUsers } from './stageGraph';

/**
 * What the keys hold that no context changes, made once per model: the shared part, each stage's
 * part, and each stage's related stages in index order. Keys of two contexts differ only in roles.
 */
interface StageContent {
  readonly shared: number;
  readonly parts: readonly number[];
  readonly related: readonly (readonly number[])[];
}

/** The stage graph's edges of a version, with the related sets made from them (one per stage). */
interface StageGraphPart {
  readonly edges: readonly number[];
  readonly related: readonly (readonly number[])[];
}

/** A stage's part of the keys, with what it was made from, for the next version to compare with. */
interface StagePart {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly cut: string;
  readonly id: number;
}

const contentOf = weakMemo(computeContent);
// Per model, per context: rules may ask with the document's context and with none.
const keysByContext = weakMemo((model: DockerfileModel) => strongMemo((context: RuleContext) => keysWithRoles(model, context)));

export function stageKeys(model: DockerfileModel, context: RuleContext): readonly string[] {
  return keysByContext(model)(context);
}

/**
 * Keys without the stages' roles: for what depends on the stages' text and relations alone (BuildKit's
 * own checks), so that it shares the content with the rules' keys whatever context they ask with.
 */
export function stageContentKeys(model: DockerfileModel): readonly string[] {
  const { shared, parts, related } = contentOf(model);
  return related.map((indices, stage) => `${stage}:${shared}:${indices.map((index) => parts[index]).join(',')}`);
}

function keysWithRoles(model: DockerfileModel, context: RuleContext): string[] {
  const { shared, parts, related } = contentOf(model);
  // Roles are read by rules about the stage itself or a related one (a chain that ends in a target).
  const targets = new Set(targetStages(model, context).map((s) => s.index));
  const shipped = new Set([...shippedStages(model, context)].map((s) => s.index));
  const production = new Set([...productionStages(model, context)].map((s) => s.index));
  const dispatched = dispatchedStages(model, context);
  const built = builtStages(model, context.buildContext?.targets ?? []);
  const roles = (index: number) => [targets, shipped, production, dispatched, built].reduce((bits, set, bit) => (set.has(index) ? bits | (1 << bit) : bits), 0);
  // Rules that judge dates (support ends) judge them as of this day.
  const today = partId(context.today ?? utcToday());
  return related.map((indices, stage) => `${stage}:${shared}:${today}:${indices.map((index) => `${parts[index]}#${roles(index)}`).join(',')}`);
}

function computeContent(model: DockerfileModel): StageContent {
  const { stages, document } = model;
  const text = document.getText();
  const startLines = stages.map((s) => s.from.range.start.line);
  const starts = startLines.map((line) => document.offsetAt({ line, character: 0 }));

  // Each edge as a pair (user, used), in a fixed order: a keystroke rarely changes them, and then the
  // related sets of the previous version are this one's too.
  const edges: number[] = [];
  for (const [used, users] of stageUsers(model)) for (const user of users) edges.push(user.stage, used);
  for (const stage of stages) if (stage.base?.kind === 'stage') edges.push(stage.index, stage.base.stageIndex);

  // The meta ARGs' values, which build arguments passed from outside the text may set.
  const metaArgs = [...model.globalArgs].map(([name, value]) => `${name}=${value ?? '\u0002'}`).join('\u0001');
  // Where BuildKit's reader refuses the file it stops: a stage it reaches (or passes) is read only up
  // to there; one that ends before it is read whole, wherever the refusal moves.
  const { refusal } = model.reading;
  const cut = (index: number) => (refusal && (startLines[index + 1] ?? Number.POSITIVE_INFINITY) > refusal.startLine ? `${refusal.startLine}:${refusal.message}` : '');
  const shared = partId([document.uri, preambleKey(model), metaArgs, stages.map((s) => s.name ?? '').join('\u0001')].join('\u0000'));
  // What each stage adds to the keys it is related to, made once for all of them. A stage whose
  // line, cut and text are those of the previous version's stage at its index keeps that one's
  // number: compared in place, instead of building and hashing a string of the stage's text on
  // every keystroke.
  const { before, now } = carryOver<StagePart>(model, 'stage-parts');
  const parts = stages.map((stage) => {
    const [start, end] = [starts[stage.index]!, starts[stage.index + 1] ?? text.length];
    const [line, cutAt] = [startLines[stage.index]!, cut(stage.index)];
    const earlier = before?.get(String(stage.index));
    const same = earlier && earlier.line === line && earlier.cut === cutAt && earlier.end - earlier.start === end - start && sameText(text, start, earlier.text, earlier.start, end - start);
    const id = same ? earlier.id : partId(`${stage.index}@${line}!${cutAt}\u0001${text.slice(start, end)}`);
    now.set(String(stage.index), { text, start, end, line, cut: cutAt, id });
    return id;
  });
  const graph = carryOver<StageGraphPart>(model, 'stage-graph');
  const lastGraph = graph.before?.get('');
  const related = lastGraph && lastGraph.related.length === stages.length && sameNumbers(lastGraph.edges, edges) ? lastGraph.related : relatedStages(stages.length, edges);
  graph.now.set('', { edges, related });
  return { shared, parts, related };
}

/** Per stage, itself and every stage reached from it along the edges either way, in index order. */
function relatedStages(count: number, edges: readonly number[]): number[][] {
  // Both ways: a stage's findings may depend on what it uses and on what uses it.
  const uses = Array.from({ length: count }, () => new Set<number>());
  const usedBy = Array.from({ length: count }, () => new Set<number>());
  for (let i = 0; i < edges.length; i += 2) {
    const [user, used] = [edges[i]!, edges[i + 1]!];
    uses[user]?.add(used);
    usedBy[used]?.add(user);
  }
  const reach = (from: number, along: readonly Set<number>[], into: Set<number>) => {
    const queue = [from];
    while (queue.length > 0) {
      for (const next of along[queue.pop()!] ?? []) {
        if (into.has(next)) continue;
        into.add(next);
        queue.push(next);
      }
    }
  };
  return uses.map((_, stage) => {
    const found = new Set<number>([stage]);
    reach(stage, uses, found);
    reach(stage, usedBy, found);
    // The stage's own index first in the key: two stages related to each other have the same related set.
    return [...found].sort((a, b) => a - b);
  });
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * What a stage rule may read of the text before the first FROM: the parser directives (and the escape
 * character), and each meta ARG as written, with its line and column. Comments, blank lines and any
 * other instruction there (BuildKit refuses those; file rules report them) leave the stages alone, so
 * typing in a header comment or on an empty first line re-checks no stage.
 */
function preambleKey(model: DockerfileModel): string {
  const directives = Object.entries(model.directives).map(([name, d]) => `${name}=${d.value}`);
  const args = model.preamble.filter((i) => i.keyword === 'ARG').map((i) => `${i.range.start.line}:${i.range.start.character}:${i.read.line}`);
  return [model.escapeChar, ...directives, ...args].join('\u0001');
}

/**
 * A number per distinct part of a key, so that a key is a short list of numbers instead of the text
 * of every stage related to it, made and compared again on every keystroke. Equal parts get the
 * same number while remembered; a number is never given to another part, so a part forgotten (the
 * memo starts afresh when full) only gets a new one, and the stages whose keys hold it are checked again.
 */
const partIds = boundedMemo<number>(2000);
let nextPartId = 0;
const partId = (part: string): number => partIds(part, () => nextPartId++);
