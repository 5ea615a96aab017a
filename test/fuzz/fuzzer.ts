// A mutation fuzzer over real Dockerfiles: each input must lint without an exception, in bounded
// time, with ranges inside the document, every offered fix must give a file that parses, and the
// editor features must answer; formatting must keep what the builder sees and settle in one pass.
import { applyEdits } from '../../server/src/language/edits';
import { fixesOf } from '../../server/src/engine/fixes';
import { declined } from '../../server/src/engine/lint';
import { buildModel, type DockerfileModel } from '../../server/src/language/model';
import { completionContext, completionItems } from '../../server/src/features/completion';
import { foldingRanges } from '../../server/src/features/folding';
import { builderViews, formatEdits } from '../../server/src/features/formatting';
import { highlights } from '../../server/src/features/navigation';
import { documentSymbols } from '../../server/src/features/outline';
import { semanticTokens } from '../../server/src/features/semanticTokens';
import { signatureHelp } from '../../server/src/features/signatureHelp';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, fixAll } from '../../server/src/linter';

/** A small deterministic generator (mulberry32), so a seed reproduces a run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = ['\\', '`', '$', '${', '}', '[', ']', '"', "'", '&&', '|', ';', '<<EOF', 'EOF', '#', '--from=', '--mount=type=cache,', ':', '@sha256:', '\t', ' ', '\r', '\n', '\u0000', '\uFEFF', '🐳', 'é', '\u200b', 'FROM', 'RUN', 'COPY', 'ARG', 'ENV', 'USER', 'CMD', 'ONBUILD', 'HEALTHCHECK', 'SHELL ["powershell"]', '# escape=`', '# syntax=docker/dockerfile:1', '# check=skip=all'];

export type Mutation = (text: string, pick: (n: number) => number, corpus: readonly string[]) => string;

const lines = (t: string) => t.split('\n');
/** Also used on compose, bake, .dockerignore and .hadolint.yaml inputs (configFuzzer.ts), with their own tokens added. */
export const MUTATIONS: readonly Mutation[] = [
  // Byte and token flips.
  (t, pick) => (t.length ? t.slice(0, pick(t.length)) + String.fromCharCode(pick(0x3000)) + t.slice(pick(t.length) + 1) : t),
  (t, pick) => {
    const at = pick(t.length + 1);
    return t.slice(0, at) + TOKENS[pick(TOKENS.length)] + t.slice(at);
  },
  // Line deletes, duplicates, swaps.
  (t, pick) => {
    const l = lines(t);
    l.splice(pick(l.length), 1);
    return l.join('\n');
  },
  (t, pick) => {
    const l = lines(t);
    const i = pick(l.length);
    l.splice(i, 0, l[i] ?? '');
    return l.join('\n');
  },
  (t, pick) => {
    const l = lines(t);
    const [i, j] = [pick(l.length), pick(l.length)];
    [l[i], l[j]] = [l[j] ?? '', l[i] ?? ''];
    return l.join('\n');
  },
  // Splices between files.
  (t, pick, corpus) => {
    const other = corpus[pick(corpus.length)] ?? '';
    return t.slice(0, pick(t.length + 1)) + other.slice(pick(other.length + 1));
  },
  // Deep continuations, unterminated heredocs and JSON arrays.
  (t, pick) => `${t}\nRUN a \\\n${'  b \\\n'.repeat(1 + pick(300))}`,
  (t) => `${t}\nRUN <<EOF\napt-get install curl\n`,
  (t) => `${t}\nCMD ["node", "a.js"`,
  // Huge lines and files; NUL, BOM, CR and mixed newlines.
  (t, pick) => `${t}\nRUN echo ${'x'.repeat(1 + pick(20_000))}`,
  (t) => t.repeat(8),
  (t) => `\uFEFF${t.replace(/\n/g, (m) => (m.length % 2 ? '\r\n' : '\r'))}`,
  (t, pick) => t.replace(/\n/g, () => ['\n', '\r\n', '\r', '\n\u0000'][pick(4)]!),
  // Escape directive changes.
  (t) => `# escape=\`\n${t}`,
  (t) => t.replace(/\\\n/g, '`\n'),
];

export interface Failure {
  readonly input: string;
  readonly problem: string;
}

const MAX_FIXED_FINDINGS = 25;
/** Fix-all re-lints in passes; on the largest inputs that only repeats what the per-fix checks cover. */
const FIX_ALL_LIMIT = 32 * 1024;

/**
 * Budget for one step (a lint, or applying one fix and parsing the result): 100 ms of CPU per KB,
 * and never under 250 ms, so that a stall shows and a busy machine or a cold start does not.
 */
function overBudget(started: number, text: string): string | undefined {
  const elapsed = now() - started;
  const budget = Math.max(250, 100 * (text.length / 1024));
  return elapsed > budget ? `a step took ${elapsed.toFixed(0)} ms for ${(text.length / 1024).toFixed(1)} KB (budget ${budget.toFixed(0)} ms)` : undefined;
}

/** CPU time of this process in ms: what a step costs, whatever else the machine is doing. */
function now(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Checks one input; returns what is wrong with it, if anything. */
export function check(text: string): string | undefined {
  let started = now();
  // Over the documented size limits a file is declined, which is an answer too.
  if (declined(text)) return undefined;
  try {
    const analysis = analyze(text, { onInternalError: (what, error) => { throw new Error(`${what}: ${String(error)}`); } });
    if (!analysis) return 'the parser failed';
    const document = TextDocument.create('file:///fuzz', 'dockerfile', 0, text);
    for (const { diagnostic } of analysis.reported) {
      const [start, end] = [document.offsetAt(diagnostic.range.start), document.offsetAt(diagnostic.range.end)];
      const same = (p: { line: number; character: number }, q: { line: number; character: number }) => p.line === q.line && p.character === q.character;
      if (!same(document.positionAt(start), diagnostic.range.start) || !same(document.positionAt(end), diagnostic.range.end) || end < start) {
        return `${String(diagnostic.code)} has a range outside the document: ${JSON.stringify(diagnostic.range)}`;
      }
    }
    const slowLint = overBudget(started, text);
    if (slowLint) return slowLint;
    // Every offered fix of the first findings (a huge input has hundreds; each fix re-parses it all).
    for (const item of analysis.reported.slice(0, MAX_FIXED_FINDINGS)) {
      for (const fix of fixesOf(analysis, item)) {
        started = now();
        buildModel(applyEdits(text, fix.edits));
        const slow = overBudget(started, text);
        if (slow) return slow;
      }
    }
    if (text.length < FIX_ALL_LIMIT) buildModel(fixAll(text));
    started = now();
    const featureProblem = checkFeatures(analysis.model, text);
    if (featureProblem) return featureProblem;
    const slowFeatures = overBudget(started, text);
    if (slowFeatures) return slowFeatures;
  } catch (error) {
    return `exception: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
  return undefined;
}

function checkFeatures(model: DockerfileModel, text: string): string | undefined {
  documentSymbols(model);
  foldingRanges(model);
  if (semanticTokens(model).data.length % 5 !== 0) return 'semantic tokens are not in fives';
  for (const info of model.instructions.slice(0, 50)) {
    const at = info.range.end;
    const context = completionContext(model, at);
    if (context) completionItems(model, context, ['1', 'latest']);
    signatureHelp(model, at);
    highlights(model, info.range.start);
  }
  const formatted = applyEdits(text, formatEdits(model, { indent: 4 }));
  const again = buildModel(formatted);
  if (JSON.stringify(builderViews(again)) !== JSON.stringify(builderViews(model))) return 'formatting changed what the builder sees';
  if (formatEdits(again, { indent: 4 }).length > 0) return 'formatting did not settle in one pass';
  return undefined;
}

/** Shrinks a failing input line by line while it still fails the same way. */
export function minimise(input: string, problem: string): string {
  const kind = problem.replace(/\d+/g, '#');
  const fails = (t: string) => check(t)?.replace(/\d+/g, '#') === kind;
  let current = lines(input);
  for (let size = Math.ceil(current.length / 2); size >= 1; size = Math.floor(size / 2)) {
    for (let i = 0; i < current.length; ) {
      const candidate = [...current.slice(0, i), ...current.slice(i + size)];
      if (candidate.length && fails(candidate.join('\n'))) current = candidate;
      else i += size;
    }
  }
  return current.join('\n');
}

/** One to three mutations of a random corpus file. */
export function mutate(corpus: readonly string[], pick: (n: number) => number): string {
  let text = corpus[pick(corpus.length)] ?? '';
  for (let m = 1 + pick(3); m > 0; m--) text = MUTATIONS[pick(MUTATIONS.length)]!(text, pick, corpus);
  return text;
}

export function picker(seed: number): (n: number) => number {
  const next = random(seed);
  return (n) => (n <= 0 ? 0 : Math.floor(next() * n));
}

export function fuzz(corpus: readonly string[], runs: number, seed: number, onFailure: (f: Failure) => void): number {
  const pick = picker(seed);
  let failures = 0;
  for (let run = 0; run < runs; run++) {
    const text = mutate(corpus, pick);
    const problem = check(text);
    if (problem) {
      failures++;
      onFailure({ input: minimise(text, problem), problem });
    }
  }
  return failures;
}
