// The editor features on their own, over models of small Dockerfiles.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, TextEdit } from 'vscode-languageserver-types';
import { buildModel } from '../../server/src/language/model';
import { completionContext, completionItems, orderTags } from '../../server/src/features/completion';
import { foldingRanges } from '../../server/src/features/folding';
import { formatEdits, proposedFormatEdits } from '../../server/src/features/formatting';
import { inlayHints } from '../../server/src/features/inlayHints';
import { imageLinks, sourceLinks } from '../../server/src/features/links';
import { definition, highlights, references, rename } from '../../server/src/features/navigation';
import { documentSymbols, workspaceSymbols } from '../../server/src/features/outline';
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from '../../server/src/features/semanticTokens';
import { signatureHelp } from '../../server/src/features/signatureHelp';

const SAMPLE = [
  'ARG VERSION=3.12', //                                   0
  'FROM python:${VERSION}-slim AS build', //               1
  'ARG VERSION', //                                        2
  'RUN echo $VERSION > /v', //                             3
  '', //                                                   4
  '# the runtime', //                                      5
  '# stage', //                                            6
  'FROM gcr.io/distroless/python3 AS runtime', //          7
  'COPY --from=build /v /v', //                            8
  'RUN --mount=type=cache,from=Build,target=/c true', //   9
  '',
].join('\n');

/** Position of the nth (0-based) occurrence of `needle` in the text, plus `offset` characters. */
function at(text: string, needle: string, nth = 0, offset = 0): Position {
  let index = -1;
  for (let i = 0; i <= nth; i++) index = text.indexOf(needle, index + 1);
  assert.notEqual(index, -1, needle);
  return TextDocument.create('u', 'dockerfile', 0, text).positionAt(index + offset);
}

function applied(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('u', 'dockerfile', 0, text), [...edits]);
}

test('definition: a variable goes to the declaration its stage sees, a stage reference to its AS name', () => {
  const model = buildModel(SAMPLE);
  assert.deepEqual(definition(model, at(SAMPLE, '$VERSION', 0, 2))?.range.start, { line: 2, character: 4 });
  assert.deepEqual(definition(model, at(SAMPLE, '${VERSION}', 0, 3))?.range.start, { line: 0, character: 4 });
  assert.deepEqual(definition(model, at(SAMPLE, '--from=build', 0, 9))?.range, { start: { line: 1, character: 31 }, end: { line: 1, character: 36 } });
  assert.equal(definition(model, at(SAMPLE, 'python', 0, 1)), undefined);
});

test('references and highlights cover every use, stage names case-insensitively', () => {
  const model = buildModel(SAMPLE);
  const stage = references(model, at(SAMPLE, 'AS build', 0, 4), true).map((l) => l.range.start.line);
  assert.deepEqual(stage, [1, 8, 9]);
  assert.deepEqual(references(model, at(SAMPLE, 'AS build', 0, 4), false).map((l) => l.range.start.line), [8, 9]);
  assert.deepEqual(highlights(model, at(SAMPLE, '$VERSION', 0, 2)).map((h) => [h.range.start.line, h.kind]), [[0, 3], [1, 2], [2, 3], [3, 2]]);
});

test('rename rewrites every occurrence, and refuses invalid or clashing names', () => {
  const model = buildModel(SAMPLE);
  const edit = rename(model, at(SAMPLE, '--from=build', 0, 8), 'compile');
  assert.ok('changes' in edit);
  const renamed = applied(SAMPLE, edit.changes![model.document.uri]!);
  assert.match(renamed, /AS compile\n/);
  assert.match(renamed, /COPY --from=compile /);
  assert.match(renamed, /from=compile,target/);
  const variable = rename(model, at(SAMPLE, '$VERSION', 0, 2), 'PY_VERSION');
  assert.ok('changes' in variable);
  assert.equal(applied(SAMPLE, variable.changes![model.document.uri]!).match(/PY_VERSION/g)?.length, 4);
  assert.deepEqual(rename(model, at(SAMPLE, 'AS build', 0, 4), '1bad'), { error: '`1bad` is not a valid stage name.' });
  assert.deepEqual(rename(model, at(SAMPLE, 'AS build', 0, 4), 'Runtime'), { error: 'A stage named `Runtime` already exists.' });
  assert.ok('error' in rename(model, at(SAMPLE, 'python', 0, 1), 'x'));
});

test('document symbols: global ARGs, then stages holding their instructions; workspace symbols match fuzzily', () => {
  const model = buildModel(SAMPLE);
  const symbols = documentSymbols(model);
  assert.deepEqual(symbols.map((s) => s.name), ['VERSION', 'build', 'runtime']);
  assert.deepEqual(symbols[1]!.children!.map((c) => c.name), ['VERSION', 'RUN']);
  assert.equal(symbols[1]!.detail, 'python:${VERSION}-slim');
  assert.deepEqual(symbols[2]!.range, { start: { line: 7, character: 0 }, end: { line: 9, character: 48 } });
  assert.deepEqual(workspaceSymbols(model, 'rtm').map((s) => s.name), ['runtime']);
  assert.deepEqual(workspaceSymbols(model, '').map((s) => s.name), ['build', 'runtime', 'VERSION']);
});

test('folding: stages, continued instructions, heredocs and comment blocks', () => {
  const text = 'FROM alpine:3.20\nRUN apk add \\\n    curl \\\n    git\n# one\n# two\nRUN <<EOF\necho hi\nEOF\nCMD ["sh"]\n';
  assert.deepEqual(foldingRanges(buildModel(text)).map((r) => [r.startLine, r.endLine, r.kind ?? '']), [[0, 9, ''], [1, 3, ''], [4, 5, 'comment'], [6, 8, '']]);
});

test('links: images to their registry pages, plain local COPY sources only', () => {
  const text = 'FROM python:3.12\nFROM ghcr.io/org/tool:1 AS t\nFROM registry.example.com/x:1\nCOPY --from=t /a /a\nCOPY requirements.txt src/ ./\nADD https://example.com/f.tgz *.py $X/y /d/\n';
  const model = buildModel(text);
  assert.deepEqual(imageLinks(model).map((l) => l.target), ['https://hub.docker.com/_/python', 'https://ghcr.io/org/tool']);
  assert.deepEqual(sourceLinks(model).map((l) => l.path), ['requirements.txt', 'src/']);
});

test('completion contexts: instruction, directive, flags, stages, variables, image, tag, AS', () => {
  const cases: [string, string, number, string][] = [
    ['FROM alpine\nRU', 'RU', 2, 'instruction'],
    ['# sy', '# sy', 4, 'directive'],
    ['FROM alpine\nCOPY --', 'COPY --', 7, 'flag'],
    ['FROM alpine AS b\nFROM alpine\nCOPY --from=', '--from=', 7, 'stage'],
    ['FROM alpine\nRUN --mount=type=cache,', 'cache,', 6, 'mount-option'],
    ['ARG V=1\nFROM alpine\nRUN echo ${', '${', 2, 'variable'],
    ['FROM pyth', 'pyth', 4, 'image'],
    ['FROM python:3.1', '3.1', 3, 'tag'],
    ['FROM python:3.12 a', ' a', 2, 'as'],
    ['FROM alpine\nRUN echo \\\n  ', '\n  ', 3, 'none'],
  ];
  for (const [text, needle, offset, kind] of cases) {
    const context = completionContext(buildModel(text), at(text, needle, 0, offset));
    assert.equal(context?.kind ?? 'none', kind, text);
  }
});

test('completion items: snippets for instructions, unused flags, earlier stages, declared names, ordered tags', () => {
  const text = 'ARG BASE=alpine\nFROM ${BASE} AS deps\nENV APP_HOME=/app\nFROM alpine\nCOPY --chown=a:a --';
  const model = buildModel(text);
  const labels = (t: string, needle: string, offset: number, tags?: string[]) => {
    const m = buildModel(t);
    return completionItems(m, completionContext(m, at(t, needle, 0, offset))!, tags).map((i) => i.label);
  };
  const flags = completionItems(model, completionContext(model, at(text, '--chown=a:a --', 0, 14))!).map((i) => i.label);
  assert.ok(flags.includes('--from') && flags.includes('--link') && !flags.includes('--chown'), flags.join());
  assert.ok(labels('FROM a\nW', 'W', 1).includes('WORKDIR'));
  assert.deepEqual(labels('FROM a AS one\nFROM b AS two\nFROM c\nCOPY --from=', '--from=', 7), ['one', 'two']);
  const variables = labels('ARG BASE=alpine\nFROM alpine\nENV APP_HOME=/app\nWORKDIR $', 'WORKDIR $', 9);
  assert.ok(variables.includes('BASE') && variables.includes('APP_HOME') && variables.includes('TARGETARCH'), variables.join());
  assert.deepEqual(labels('FROM python:', 'python:', 7, ['3', 'latest', '3.12', '3.12.7', '3.13.0-slim', '3.13.0', 'slim']), ['3.13.0', '3.13.0-slim', '3.12.7', '3.12', '3', 'latest', 'slim']);
});

test('orderTags puts newer versions first and, within one, the most specific', () => {
  assert.deepEqual(orderTags(['1.2', '1.10', '1.10.1', 'v2.0', 'edge']), ['v2.0', '1.10.1', '1.10', '1.2', 'edge']);
});

test('signature help shows the instruction syntax with the parameter being typed', () => {
  const text = 'FROM alpine\nCOPY --chown=a:a src ';
  const help = signatureHelp(buildModel(text), at(text, 'src ', 0, 4))!;
  const signature = help.signatures[0]!;
  assert.match(signature.label, /^COPY \[--from=<stage\|image\|index>\] \[--chown=<user>:<group>\].* <src>… <dest>$/);
  const [start, end] = signature.parameters![help.activeParameter!]!.label as [number, number];
  assert.equal(signature.label.slice(start, end), '<dest>');
  const flagHelp = signatureHelp(buildModel(text), at(text, '--chown', 0, 4))!;
  const [fs, fe] = flagHelp.signatures[0]!.parameters![flagHelp.activeParameter!]!.label as [number, number];
  assert.equal(flagHelp.signatures[0]!.label.slice(fs, fe), '[--chown=<user>:<group>]');
});

test('semantic tokens mark declarations, build arguments, BuildKit names and unresolved variables', () => {
  const text = 'ARG V=1\nFROM alpine:$V AS b\nARG TARGETARCH\nENV HOME_DIR=/h\nRUN echo $V $HOME_DIR $TARGETARCH $NOPE\n';
  const { data } = semanticTokens(buildModel(text));
  const decoded: string[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i]!;
    character = data[i] === 0 ? character + data[i + 1]! : data[i + 1]!;
    const modifiers = SEMANTIC_TOKENS_LEGEND.tokenModifiers.filter((_, bit) => data[i + 4]! & (1 << bit));
    decoded.push(`${text.split('\n')[line]!.slice(character, character + data[i + 2]!)}:${SEMANTIC_TOKENS_LEGEND.tokenTypes[data[i + 3]!]}:${modifiers.join('+')}`);
  }
  assert.deepEqual(decoded, [
    'V:variable:declaration+readonly',
    'V:variable:readonly',
    'b:namespace:declaration',
    'TARGETARCH:variable:declaration+readonly',
    'HOME_DIR:variable:declaration',
    'V:variable:readonly',
    'HOME_DIR:variable:',
    'TARGETARCH:variable:readonly',
    'NOPE:variable:unresolved',
  ]);
});

test('inlay hints: what a FROM built from build arguments resolves to, and the age of a digest pin', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  const text = `ARG BASE=python\nARG TAG=3.12-slim\nFROM \${BASE}:\${TAG}\nFROM alpine@${digest}\nFROM alpine:3.20\nFROM alpine:3.20@${digest}\n`;
  const options = { resolvedImages: true, digestAge: true, createdOf: () => '2026-10-26T00:00:00Z', now: Date.parse('2026-11-25T12:00:00Z') };
  const all = { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } };
  const hints = inlayHints(buildModel(text), all, options);
  assert.deepEqual(hints.map((h) => [h.position.line, h.label]), [[2, '= python:3.12-slim'], [3, 'built 30 days ago'], [5, 'built 30 days ago']]);
  assert.deepEqual(inlayHints(buildModel(text), all, { ...options, resolvedImages: false, digestAge: false }), []);
});

test('formatting: keyword case, margins, one indent for continuations, nothing after a continuation', () => {
  const text = '  from alpine:3.20 as base\nrun apk add \\   \n        curl \\\n  git\nenv A="x \\\n   keep"\nonbuild run echo hi\nRUN <<EOF\n    keep\nEOF\n';
  const model = buildModel(text);
  const formatted = applied(text, formatEdits(model, { indent: 4 }));
  assert.equal(formatted, 'FROM alpine:3.20 AS base\nRUN apk add \\\n    curl \\\n    git\nENV A="x \\\n   keep"\nONBUILD RUN echo hi\nRUN <<EOF\n    keep\nEOF\n');
  assert.deepEqual(formatEdits(buildModel(formatted), { indent: 4 }), []);
  const ranged = applied(text, formatEdits(model, { indent: 2 }, { start: { line: 6, character: 0 }, end: { line: 6, character: 3 } }));
  assert.equal(ranged.split('\n')[6], 'ONBUILD RUN echo hi');
  assert.equal(ranged.split('\n')[0], '  from alpine:3.20 as base');
});

test('formatting leaves an instruction alone when re-indenting would change what the builder reads', () => {
  // Legacy `ENV key value`: the blanks of a continued line are part of the value.
  const text = 'FROM alpine:3.20\nenv GREETING hello \\\n        world\n';
  const formatted = applied(text, formatEdits(buildModel(text), { indent: 4 }));
  assert.equal(formatted, 'FROM alpine:3.20\nenv GREETING hello \\\n        world\n');
  assert.notEqual(applied(text, proposedFormatEdits(buildModel(text), { indent: 4 })), text);
});
