import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { buildModel } from '../../server/src/language/model';

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
