/**
 * The shared, read-only picture of one Dockerfile that every rule looks at.
 * It is built once per text version, so rules never parse or resolve on their own.
 */
import { DockerfileParser, type Dockerfile, type From, type Instruction } from 'dockerfile-ast';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from 'vscode-languageserver-types';
import { parseImageRef, type ImageRef, type ImageRefSpans } from './imageRef';
import { expand } from './variables';

/** What a `FROM` builds on. */
export type BaseImage =
  | { readonly kind: 'image'; readonly ref: ImageRef; readonly source: ImageSource }
  | { readonly kind: 'stage'; readonly stageIndex: number; readonly source: ImageSource }
  | { readonly kind: 'scratch'; readonly source: ImageSource }
  /** Depends on a build argument with no default: only the builder knows. */
  | { readonly kind: 'unresolved'; readonly unresolved: readonly string[]; readonly source: ImageSource }
  | { readonly kind: 'invalid'; readonly source: ImageSource };

export interface ImageSource {
  /** The argument as written, variables and all. */
  readonly text: string;
  /** The argument after build-argument expansion. */
  readonly expanded: string;
  readonly range: Range;
  /**
   * Ranges of name, tag and digest. Exact when the argument was written
   * literally; all equal to `range` when it came from variables.
   */
  readonly spans: { readonly name: Range; readonly tag?: Range; readonly digest?: Range };
}

export interface Stage {
  readonly index: number;
  /** The `AS` name, lower-cased as the builder treats it. */
  readonly name?: string;
  readonly from: From;
  /** `undefined` when `FROM` has no image argument at all. */
  readonly base?: BaseImage;
  readonly instructions: readonly Instruction[];
  readonly isFinal: boolean;
}

export interface DockerfileModel {
  readonly document: TextDocument;
  readonly ast: Dockerfile;
  readonly stages: readonly Stage[];
  /** `ARG`s declared before the first `FROM`, with their defaults. */
  readonly globalArgs: ReadonlyMap<string, string | undefined>;
}

export function buildModel(text: string, uri = 'untitled:Dockerfile'): DockerfileModel {
  const document = TextDocument.create(uri, 'dockerfile', 0, text);
  const ast = DockerfileParser.parse(text);
  const globalArgs = new Map<string, string | undefined>();
  for (const arg of ast.getInitialARGs()) {
    for (const property of arg.getProperties()) {
      const name = property.getName();
      globalArgs.set(name, property.getValue() ?? globalArgs.get(name));
    }
  }
  const lookup = (name: string) => globalArgs.get(name);
  const escapeChar = ast.getEscapeCharacter();

  const froms = ast.getFROMs();
  const instructions = ast.getInstructions();
  const stages: Stage[] = [];
  froms.forEach((from, index) => {
    const startLine = from.getRange().start.line;
    const endLine = index + 1 < froms.length ? froms[index + 1]!.getRange().start.line : Number.POSITIVE_INFINITY;
    const stageName = from.getBuildStage()?.toLowerCase();
    const base = describeBase(document, from, stages, (t) => expand(t, lookup, escapeChar));
    stages.push({
      index,
      ...(stageName ? { name: stageName } : {}),
      from,
      ...(base ? { base } : {}),
      instructions: instructions.filter((i) => {
        const line = i.getRange().start.line;
        return line >= startLine && line < endLine;
      }),
      isFinal: index === froms.length - 1,
    });
  });
  return { document, ast, stages, globalArgs };
}

function describeBase(
  document: TextDocument,
  from: From,
  earlier: readonly Stage[],
  expandText: (text: string) => { value: string; unresolved: readonly string[] },
): BaseImage | undefined {
  const range = from.getImageRange();
  const text = from.getImage();
  if (!range || text === null) return undefined;
  const { value: expanded, unresolved } = expandText(text);
  const parsed = unresolved.length === 0 ? parseImageRef(expanded) : undefined;
  const source: ImageSource = {
    text,
    expanded,
    range,
    spans: spansOf(document, range, text === expanded ? parsed?.spans : undefined),
  };
  if (unresolved.length > 0) return { kind: 'unresolved', unresolved, source };
  const lowered = expanded.toLowerCase();
  const stage = earlier.find((s) => s.name === lowered);
  if (stage) return { kind: 'stage', stageIndex: stage.index, source };
  if (lowered === 'scratch') return { kind: 'scratch', source };
  return parsed ? { kind: 'image', ref: parsed.ref, source } : { kind: 'invalid', source };
}

function spansOf(document: TextDocument, range: Range, spans: ImageRefSpans | undefined): ImageSource['spans'] {
  const start = document.offsetAt(range.start);
  // Offsets inside the argument map onto the document only when it was written on one line.
  if (!spans || range.start.line !== range.end.line) return { name: range };
  const toRange = ([from, to]: readonly [number, number]): Range => ({
    start: document.positionAt(start + from),
    end: document.positionAt(start + to),
  });
  return {
    name: toRange(spans.name),
    ...(spans.tag ? { tag: toRange(spans.tag) } : {}),
    ...(spans.digest ? { digest: toRange(spans.digest) } : {}),
  };
}
