/**
 * dockerfile-ast's nodes for a text, reusing those of the previous version where the text of an
 * instruction (and the line it starts on) did not change: a keystroke re-parses one instruction,
 * not the file.
 *
 * The file is cut into chunks where BuildKit's reader starts an instruction; each chunk runs up to
 * the next one, so the chunks together are the whole text. A chunk that changed is parsed alone,
 * behind as many empty lines as precede it (and the escape directive dockerfile-ast read), so its
 * nodes have the ranges a whole-file parse gives them. Nodes keep their own copy of the text they
 * were parsed from; they only answer with line/character ranges and their own text, which equal the
 * new document's wherever the chunk's text and first line are the same.
 *
 * A chunk parsed alone is followed by a sentinel instruction: if dockerfile-ast does not read the
 * sentinel as an instruction of its own (a continuation or a heredoc it did not see end swallowed
 * it), the chunk does not end where BuildKit ends it, and the file is parsed whole. So it is where the
 * whole-file parse lets a node cross a chunk boundary or starts no node at one, and where a lone CR
 * (a line break to dockerfile-ast, not to BuildKit) makes the line numbers differ.
 */
import { DockerfileParser, type Dockerfile, type Instruction } from 'dockerfile-ast';
import type { Reading } from './reader';
import { sameText } from './sameText';

export interface Chunks {
  /** dockerfile-ast's escape character: chunks parsed alone are parsed with it. */
  readonly escape: string;
  /** The text the chunks were cut from. */
  readonly text: string;
  /** By first line: where the chunk's text is in `text`, and its nodes. */
  readonly byLine: ReadonlyMap<number, Chunk>;
  /** The parse of the chunk before the second instruction, which holds the parser directives. */
  readonly head: Dockerfile;
}

export interface Parsed {
  readonly instructions: readonly Instruction[];
  /** What holds the directives: the whole-file parse, or the head chunk's. */
  readonly head: Dockerfile;
  /** The whole-file parse when one was made. */
  readonly ast?: Dockerfile;
  /** For the next version, worked out when one asks (a file linted once never does); undefined where chunks cannot stand alone. */
  readonly chunks: () => Chunks | undefined;
}

interface Chunk {
  readonly start: number;
  readonly end: number;
  readonly nodes: readonly Instruction[];
}

const LONE_CR = /\r(?!\n)/;

export function parseInstructions(text: string, reading: Reading, previous: Chunks | undefined): Parsed {
  const reused = previous && !LONE_CR.test(text) ? reuse(text, lineStarts(text), reading, previous) : undefined;
  return reused ?? whole(text, reading);
}

function whole(text: string, reading: Reading): Parsed {
  const ast = DockerfileParser.parse(text);
  const instructions = ast.getInstructions();
  let chunks: Chunks | undefined | null = null;
  return { instructions, head: ast, ast, chunks: () => (chunks === null ? (chunks = cut(text, reading, ast, instructions)) : chunks) };
}

/** The whole-file parse's nodes by chunk. */
function cut(text: string, reading: Reading, ast: Dockerfile, instructions: readonly Instruction[]): Chunks | undefined {
  if (LONE_CR.test(text)) return undefined;
  const lines = lineStarts(text);
  const bounds = chunkBounds(reading, lines.length);
  const byLine = new Map<number, Chunk>();
  let at = 0;
  // The last chunk ends with the file: whether it would end on its own with text after it is not known.
  for (let c = 0; c < bounds.length - 2; c++) {
    const [first, next] = [bounds[c]!, bounds[c + 1]!];
    const own: Instruction[] = [];
    for (; at < instructions.length && instructions[at]!.getRange().start.line < next; at++) {
      // A node reaching into the next chunk: the parsers cut this file differently; no reuse for it.
      if (instructions[at]!.getRange().end.line >= next) return undefined;
      own.push(instructions[at]!);
    }
    // Nor when dockerfile-ast starts no instruction where BuildKit does.
    if (instructions[at]?.getRange().start.line !== next) return undefined;
    byLine.set(first, { start: lines[first]!, end: lines[next] ?? text.length, nodes: own });
  }
  return { escape: ast.getEscapeCharacter(), text, byLine, head: ast };
}

function reuse(text: string, lines: readonly number[], reading: Reading, previous: Chunks): Parsed | undefined {
  const bounds = chunkBounds(reading, lines.length);
  const byLine = new Map<number, Chunk>();
  const instructions: Instruction[] = [];
  let head = previous.head;
  for (let c = 0; c < bounds.length - 1; c++) {
    const [first, next] = [bounds[c]!, bounds[c + 1]!];
    const [start, end] = [lines[first]!, lines[next] ?? text.length];
    const before = previous.byLine.get(first);
    let own = before && before.end - before.start === end - start && sameText(text, start, previous.text, before.start, end - start) ? before.nodes : undefined;
    if (!own) {
      const chunk = text.slice(start, end);
      const source = `${padding(first, previous.escape)}${chunk}${chunk.endsWith('\n') ? '' : '\n'}`;
      const ast = DockerfileParser.parse(source + SENTINEL);
      // The head chunk holds the directives: if it now reads another escape character, every chunk reads differently.
      if (first === 0 && ast.getEscapeCharacter() !== previous.escape) return undefined;
      const nodes = ast.getInstructions();
      const sentinel = nodes.at(-1);
      if (sentinel?.getRange().start.line !== lineCount(source) || sentinel.getTextContent() !== SENTINEL) return undefined;
      own = nodes.slice(0, -1);
      if (first === 0) head = ast;
    }
    byLine.set(first, { start, end, nodes: own });
    for (const node of own) instructions.push(node);
  }
  const chunks: Chunks = { escape: previous.escape, text, byLine, head };
  return { instructions, head, chunks: () => chunks };
}

const SENTINEL = 'LABEL dockwise.chunk.end=1';

function lineCount(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** Empty lines up to `line`, after the escape directive when it is not the default. */
function padding(line: number, escape: string): string {
  if (line === 0) return '';
  return escape === '\\' ? '\n'.repeat(line) : `# escape=${escape}\n${'\n'.repeat(line - 1)}`;
}

/** Lines where BuildKit's reader starts an instruction, with 0 first and the line count last. */
function chunkBounds(reading: Reading, lineCount: number): number[] {
  const bounds = [0];
  for (const read of reading.instructions) if (read.startLine > bounds.at(-1)! && read.startLine < lineCount) bounds.push(read.startLine);
  bounds.push(lineCount);
  return bounds;
}

/** Offsets where each LF-separated line starts. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
