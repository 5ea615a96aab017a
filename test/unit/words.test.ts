// The model's words and flags (language/words.ts, from BuildKit's reader) are the arguments and flags
// dockerfile-ast gives, and its properties and variables (astNode.ts, dockerfile-ast's code on the model's
// ranges, no parse) those of dockerfile-ast's whole-file parse, on every instruction of the corpus that both
// read: the rules were written against those.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DockerfileParser, PropertyInstruction, type Instruction } from 'dockerfile-ast';
import type { Range } from 'vscode-languageserver-types';
import type { Property, Variable } from '../../server/src/language/astNode';
import { buildModel, type DockerfileModel, type InstructionInfo } from '../../server/src/language/model';
import { variablesOf } from '../../server/src/language/query';
import { corpusFiles } from '../corpus';

type Placed = { getRange(): Range | null };
const at = (r: Range | null) => (r ? `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}` : 'none');
const word = (w: { getValue(): string } & Placed) => `${w.getValue()}@${at(w.getRange())}`;
const option = (o: { getName(): string; getValue(): string | null; getNameRange(): Range; getValueRange(): Range | null } & Placed) =>
  `${o.getName()}=${o.getValue()}@${at(o.getRange())}/${at(o.getNameRange())}/${at(o.getValueRange())}`;
const flag = (f: { getName(): string; getValue(): string | null; getNameRange(): Range; getValueRange(): Range | null; getOptions(): readonly Parameters<typeof option>[0][] } & Placed) =>
  `${option(f)} [${f.getOptions().map(option).join(' ')}]`;

const property = (p: Property) => `${p.getName()}${p.getAssignmentOperator() ?? ' '}${p.getValue()}@${at(p.getRange())}/${at(p.getNameRange())}/${at(p.getValueRange())}`;
const variable = (v: Variable) => `${v.getName()}:${v.getModifier()}@${at(v.getNameRange())}`;

/** What the rules read of an instruction, as dockerfile-ast gives it and as the model does. */
function theirs(node: Instruction) {
  const flags = 'getFlags' in node ? (node as unknown as { getFlags(): Parameters<typeof flag>[0][] }).getFlags() : [];
  const raw = (node as unknown as { getRawArguments(): Parameters<typeof word>[0][] }).getRawArguments();
  const properties = node instanceof PropertyInstruction ? node.getProperties().map(property) : [];
  return { keyword: at(node.getInstructionRange()), range: at(node.getRange()), words: raw.map(word), args: node.getArguments().map(word), flags: flags.map(flag), argumentsRange: at(node.getArgumentsRange()), properties, variables: node.getVariables().map(variable) };
}
function ours(model: DockerfileModel, info: InstructionInfo) {
  return { keyword: at(info.keywordRange), range: at(info.range), words: info.words.map(word), args: info.args.map(word), flags: info.flags.map(flag), argumentsRange: at(info.argumentsRange), properties: info.properties.map(property), variables: variablesOf(model, info).map(variable) };
}

test('words, flags, properties, variables and ranges match dockerfile-ast on every corpus instruction both parsers read', () => {
  const files = corpusFiles();
  assert.ok(files.length > 100, 'the corpus is there');
  let compared = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const model = buildModel(text);
    const byLine = new Map(model.instructions.map((info) => [info.range.start.line, info]));
    for (const node of DockerfileParser.parse(text).getInstructions()) {
      const info = byLine.get(node.getRange().start.line);
      // Where the two parsers cut the file differently (templates), BuildKit's reading is the model's.
      if (!info || info.keyword !== node.getKeyword()) continue;
      assert.deepEqual(ours(model, info), theirs(node), `${file}:${info.range.start.line + 1}`);
      compared++;
    }
  }
  assert.ok(compared > 2000, `${compared} instructions compared`);
});

test('where dockerfile-ast and BuildKit cut instructions differently, the words follow BuildKit', () => {
  // `\\` at a line end is an escaped backslash, not a continuation: BuildKit reads two RUNs.
  const model = buildModel('FROM alpine\nRUN echo a\\\\\nRUN echo b\n');
  assert.deepEqual(model.instructions.map((i) => [i.keyword, i.args.map((a) => a.getValue())]), [['FROM', ['alpine']], ['RUN', ['echo', 'a\\']], ['RUN', ['echo', 'b']]]);
  // A heredoc with a file descriptor before `<<`: its body and terminator are words of the RUN, as for any heredoc.
  const fd = buildModel('FROM alpine\nRUN cat 3<<EOF /dev/fd/3\nhello\nEOF\n');
  assert.deepEqual(fd.instructions[1]!.args.map((a) => a.getValue()), ['cat', '3<<EOF', '/dev/fd/3', 'hello', 'EOF']);
});

test('flags: options, a flag without a value, the flags an instruction takes, and a word moved by an edit before it', () => {
  const model = buildModel('FROM --platform=$BUILDPLATFORM alpine AS build\nRUN --mount=type=cache,target=/root/.cache --network=none echo --not-a-flag\nCMD --x y\n');
  const [from, run, cmd] = model.instructions;
  assert.deepEqual(model.stages[0]!.platformFlag?.getValue(), '$BUILDPLATFORM');
  assert.deepEqual(run!.flags.map((f) => f.getName()), ['mount', 'network']);
  assert.deepEqual(run!.flags[0]!.getOption('target')?.getValue(), '/root/.cache');
  assert.deepEqual(at(run!.flags[0]!.getOption('target')!.getValueRange()), '1:30-1:42');
  assert.deepEqual(run!.args.map((a) => a.getValue()), ['echo', '--not-a-flag']);
  // dockerfile-ast takes no flags on CMD: `--x` is its first argument.
  assert.deepEqual(cmd!.flags, []);
  assert.deepEqual(cmd!.args.map((a) => a.getValue()), ['--x', 'y']);
  assert.equal(from!.argumentsContent, 'alpine AS build');
  // Typing on the line above moves RUN's offsets, not its lines and characters: the same words, at the same ranges.
  const next = buildModel(model.document.getText().replace('AS build', 'AS builder'), undefined, undefined, model);
  assert.equal(next.instructions[1]!.stable, run!.stable);
  assert.deepEqual(next.instructions[1]!.args.map(word), run!.args.map(word));
  // Blanks typed before it move its characters: described again.
  const indented = buildModel(model.document.getText().replace('RUN', '  RUN'), undefined, undefined, model);
  assert.notEqual(indented.instructions[1]!.stable, run!.stable);
  assert.equal(at(indented.instructions[1]!.args[0]!.getRange()), '1:60-1:64');
});
