// Stage keys (language/stageKeys.ts): what decides whether a stage's findings carry over to the next version.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { EMPTY_CONTEXT } from '../../server/src/language/context';
import { buildModel } from '../../server/src/language/model';
import { stageContentKeys, stageKeys } from '../../server/src/language/stageKeys';

const FILE = `ARG BASE=alpine:3.20
FROM $BASE AS base
RUN apk add curl
FROM base AS build
RUN make
FROM golang:1.23 AS tools
RUN go install x
FROM scratch
COPY --from=build /out /out
`;

const keys = (text: string, context = EMPTY_CONTEXT) => stageKeys(buildModel(text), context);
/** Which stages' keys differ between the file and `edited`. */
const changed = (edited: string, context = EMPTY_CONTEXT) => {
  const before = keys(FILE, context);
  const after = keys(edited, context);
  return before.flatMap((key, index) => (after[index] === key ? [] : [index]));
};

test('every stage has its own key, also stages related to each other', () => {
  assert.equal(new Set(keys(FILE)).size, 4);
});

test('an edit changes the keys of its stage and of the stages related to it, not the others', () => {
  // `tools` is unrelated to the rest; `base` is used by `build`, which the final stage copies from.
  assert.deepEqual(changed(FILE.replace('go install x', 'go install y')), [2]);
  assert.deepEqual(changed(FILE.replace('RUN make', 'RUN make all')), [0, 1, 3]);
  // The final stage copies from `build`, which builds on `base`: related through it.
  assert.deepEqual(changed(FILE.replace('apk add curl', 'apk add wget')), [0, 1, 3]);
});

test('typing on a line keeps the keys of the stages after it; a new line changes them', () => {
  assert.deepEqual(changed(FILE.replace('go install x', 'go install xyz')), [2]);
  // The final stage moves down a line, and with it the keys of `build` and `base`, which it uses.
  assert.deepEqual(changed(FILE.replace('go install x', 'go install x\nRUN true')), [0, 1, 2, 3]);
});

test('what the stages read before the first FROM, a stage name and the context are in every key', () => {
  assert.deepEqual(changed(FILE.replace('alpine:3.20', 'alpine:3.21')), [0, 1, 2, 3]);
  // The meta ARG as written (its column too: findings may point at it), and the parser directives.
  assert.deepEqual(changed(FILE.replace('ARG BASE', ' ARG BASE')), [0, 1, 2, 3]);
  assert.deepEqual(changed(FILE.replace('ARG BASE', 'ARG BASE=alpine:3.20 OTHER\nARG BASE')), [0, 1, 2, 3]);
  assert.notDeepEqual(keys(`# syntax=docker/dockerfile:1\n${FILE}`), keys(`# syntax=docker/dockerfile:1.7\n${FILE}`));
  assert.notDeepEqual(keys(`# escape=\\\n${FILE}`), keys(`# escape=\`\n${FILE}`));
  assert.deepEqual(changed(FILE.replace('AS tools', 'AS tooling')), [0, 1, 2, 3]);
  // A target changes the roles of the stages in the build.
  const targeted = { ...EMPTY_CONTEXT, buildContext: { hasDockerignore: false, targets: ['tools'] } };
  assert.notDeepEqual(keys(FILE, targeted), keys(FILE));
});

test('a comment, a blank line or another instruction before the first FROM changes no key of the same lines', () => {
  // Typing on an empty first line or in a header comment (the line count stays): no stage is checked again.
  const headed = `\n# header\n${FILE}`;
  const [plain, typed, commented] = [headed, `x\n# header\n${FILE}`, `\n# header, typed in\n${FILE}`].map((text) => keys(text));
  assert.deepEqual(typed, plain);
  assert.deepEqual(commented, plain);
});

test('where BuildKit refuses the file is in the keys of the stages it reaches: it reads no instruction after that', () => {
  assert.deepEqual(changed(FILE.replace('RUN go install x', 'RUN <<EOF\ngo install x')), [0, 1, 2, 3]);
  // Stage a ends before the unterminated heredoc in b, and is read whole either way.
  const two = 'FROM alpine AS a\nRUN a\nFROM alpine AS b\nRUN b\n';
  const [before, after] = [two, two.replace('RUN b', 'RUN <<EOF')].map((text) => keys(text));
  assert.equal(after![0], before![0]);
  assert.notEqual(after![1], before![1]);
});

test('content keys leave out what a context changes, and nothing of the text', () => {
  const targeted = { ...EMPTY_CONTEXT, buildContext: { hasDockerignore: false, targets: ['tools'] }, today: '2030-01-01' };
  const model = buildModel(FILE);
  assert.notDeepEqual(stageKeys(model, targeted), stageKeys(model, EMPTY_CONTEXT));
  assert.deepEqual(stageContentKeys(model), stageContentKeys(buildModel(FILE)));
  const edited = stageContentKeys(buildModel(FILE.replace('RUN make', 'RUN make all')));
  const before = stageContentKeys(model);
  assert.deepEqual(before.flatMap((key, index) => (edited[index] === key ? [] : [index])), [0, 1, 3]);
});
