import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { buildModel } from '../../server/src/language/model';
import { variablesOf } from '../../server/src/language/query';

/** Each RUN as `form: cmd args | cmd args`, with the words as the document has them. */
function runs(text: string): string[] {
  const model = buildModel(text);
  return model.stages.flatMap((s) =>
    s.runs.map((r) => `${r.form}: ${r.script.commands.map((c) => [c.name, ...c.args].map((w) => text.slice(w!.start, w!.end)).join(' ')).join(' | ')}`),
  );
}

test('RUN shell scripts are split into simple commands across continuations and comment lines', () => {
  const text = 'FROM debian:bookworm-slim\nRUN apt-get update && \\\n    # curl for the health check\n    apt-get install -y \\\n      curl ; rm -rf /var/lib/apt/lists/*\n';
  assert.deepEqual(runs(text), ['shell: apt-get update | apt-get install -y curl | rm -rf /var/lib/apt/lists/*']);
});

test('a lone heredoc is parsed as the script; exec form is one command; flags are not words', () => {
  const text = 'FROM alpine:3.20\nRUN <<EOF\napk add --no-cache curl\nadduser -D app\nEOF\nRUN ["pip", "install", "flask"]\nRUN --mount=type=cache,target=/root/.cache pip install x\n';
  assert.deepEqual(runs(text), ['heredoc: apk add --no-cache curl | adduser -D app', 'exec: "pip" "install" "flask"', 'shell: pip install x']);
  const [, , cached] = buildModel(text).stages[0]!.runs;
  assert.deepEqual([cached!.mounts[0]!.type, cached!.mounts[0]!.options.get('target')], ['cache', '/root/.cache']);
});

test('the escape directive changes the continuation character', () => {
  const text = '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo one && `\n    echo two\n';
  assert.deepEqual(runs(text), ['shell: echo one | echo two']);
});

test('a non-POSIX SHELL leaves RUN without commands instead of misreading it', () => {
  const text = 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN Get-ChildItem | Select-Object Name\n';
  assert.deepEqual(runs(text), ['shell: ']);
  assert.equal(buildModel(text).stages[0]!.runs[0]!.posixShell, false);
});

test('stages know their base: image, earlier stage (any case), scratch, or an unresolved argument', () => {
  const model = buildModel('ARG BASE\nFROM golang:1.23 AS Build\nFROM build AS test\nFROM scratch\nFROM ${BASE}\n');
  assert.deepEqual(model.stages.map((s) => s.base?.kind), ['image', 'stage', 'scratch', 'unresolved']);
  assert.deepEqual(model.stages.map((s) => s.name), ['build', 'test', undefined, undefined]);
  assert.deepEqual(model.stages.map((s) => s.isFinal), [false, false, false, true]);
});

test('exec form is strict JSON, as the builder reads it', () => {
  const model = buildModel('FROM node:20\nCMD ["node", "a.js"]\nENTRYPOINT ["node", "b.js",]\nSHELL [\'/bin/bash\']\n');
  assert.deepEqual(model.instructions.map((i) => i.execForm), [undefined, ['node', 'a.js'], undefined, undefined]);
});

test('properties and variables are the instruction\'s own, placed on its lines: indented, after a lone CR, behind an escape directive', () => {
  const names = (text: string) => {
    const model = buildModel(text);
    return model.instructions.map((i) => `${i.keyword}@${i.range.start.line}:${i.properties.map((p) => `${p.getName()}@${p.getNameRange().start.line}`).join(',')}:${variablesOf(model, i).map((v) => `${v.getName()}@${v.getNameRange().start.line}:${v.getNameRange().start.character}`).join(',')}`);
  };
  // dockerfile-ast finds no stage for an instruction parsed alone before any FROM, and looked for one without end.
  assert.deepEqual(names('FROM scratch\nENV APP_HOME=/a\n  WORKDIR $APP_HOEM\n'), ['FROM@0::', 'ENV@1:APP_HOME@1:', 'WORKDIR@2::APP_HOEM@2:11']);
  // A lone CR ends a line for the document, not for the reader: the RUN holds `ENV R=$Q` (so `$Q` is the RUN's), the ENV on the document's line 3 is `C`.
  assert.deepEqual(names('FROM a\nRUN echo 1\rENV R=$Q\nENV C=$D\n'), ['FROM@0::', 'RUN@1::Q@2:7', 'ENV@3:C@3:D@3:7']);
  assert.deepEqual(names('# escape=`\nFROM a\nENV A=1 `\n  B=$A\n'), ['FROM@1::', 'ENV@2:A@2,B@3:A@3:5']);
});

test('past an instruction BuildKit refuses, the model reads on: the refusal is the reading\'s, the stages after it are still there', () => {
  const model = buildModel('FROM a AS one\nENV X\nUSER root\nFROM b\nRUN echo hi\n');
  assert.equal(model.reading.refusal?.message, 'ENV must have two arguments');
  assert.deepEqual(model.instructions.map((i) => `${i.keyword}@${i.range.start.line}`), ['FROM@0', 'USER@2', 'FROM@3', 'RUN@4']);
  assert.deepEqual(model.stages.map((s) => s.instructions.length), [2, 2]);
  // An unterminated heredoc runs to the end of the file: nothing after it to read on.
  assert.deepEqual(buildModel('FROM a\nRUN <<EOF\necho\n').instructions.map((i) => i.keyword), ['FROM']);
});

test('an edit that keeps an instruction\'s offsets but moves its column describes it again', () => {
  // Not the last instruction: the reader reads the last one again anyway.
  const before = buildModel('FROM alpine:3\n  run echo a\nUSER app\n');
  const after = buildModel('FROM alpine:3.2\nrun echo a\nUSER app\n', undefined, undefined, before);
  assert.deepEqual(after.instructions[1]!.keywordRange, { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } });
  assert.deepEqual(after.instructions[1]!.args[0]!.getRange(), { start: { line: 1, character: 4 }, end: { line: 1, character: 8 } });
});
