import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { applyEdits } from '../../server/src/language/edits';
import { buildModel } from '../../server/src/language/model';
import { disableForFile, disableForLine } from '../../server/src/engine/suppression';
import { lint } from '../../server/src/linter';

const disableLine = (text: string, id: string, line: number) => applyEdits(text, [disableForLine(buildModel(text), id, line)]);
const disableFile = (text: string, id: string) => applyEdits(text, [disableForFile(buildModel(text), id)]);

test('disable for a line goes above the instruction, with its indentation, even from a continuation line', () => {
  const text = 'FROM alpine:3.20\n  RUN apk add curl && \\\n      sudo true\n';
  assert.equal(disableLine(text, 'sudo-in-run', 2), 'FROM alpine:3.20\n  # dockwise-ignore sudo-in-run\n  RUN apk add curl && \\\n      sudo true\n');
});

test('disable for a line reuses an ignore comment already there', () => {
  const text = 'FROM alpine:3.20\n# dockwise-ignore cd-in-run\nRUN cd /x && sudo true\n';
  const result = disableLine(text, 'sudo-in-run', 2);
  assert.equal(result, 'FROM alpine:3.20\n# dockwise-ignore cd-in-run,sudo-in-run\nRUN cd /x && sudo true\n');
  assert.deepEqual(lint(result).filter((d) => d.code === 'sudo-in-run' || d.code === 'cd-in-run'), []);
});

test('disable for the file goes after the parser directives, which must stay first, and keeps CRLF', () => {
  const text = '# syntax=docker/dockerfile:1\r\n# escape=\\\r\nFROM python\r\n';
  assert.equal(disableFile(text, 'image-tag-latest'), '# syntax=docker/dockerfile:1\r\n# escape=\\\r\n# dockwise-ignore-file image-tag-latest\r\nFROM python\r\n');
  assert.equal(buildModel(disableFile(text, 'image-tag-latest')).directives.syntax?.value, 'docker/dockerfile:1');
});

test('disable for the file adds to an existing file-wide comment', () => {
  const text = 'FROM python\n# dockwise-ignore-file runs-as-root\n';
  const result = disableFile(text, 'image-tag-latest');
  assert.equal(result, 'FROM python\n# dockwise-ignore-file runs-as-root,image-tag-latest\n');
  assert.deepEqual(lint(result), []);
});
