import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { newerTags, pinCandidates, splitTag } from '../../server/src/registry/pinning';

const TAGS = ['3', '3.12', '3.12.7', '3.12.8', '3.13', '3.13.1', '3-slim', '3.12-slim', '3.12.7-slim', '3.12.8-slim', '3.12.8-slim-bookworm', 'latest', 'slim', 'alpine', '3.12.8-alpine', 'lts'];

test('a tag splits into the version written and the variant suffix', () => {
  assert.deepEqual(splitTag('3.12-slim'), { version: '3.12', suffix: '-slim' });
  assert.deepEqual(splitTag('latest'), { suffix: '' });
  assert.deepEqual(splitTag('lts-alpine'), { suffix: '-alpine' });
  assert.deepEqual(splitTag('slim'), { suffix: '-slim' });
  assert.deepEqual(splitTag('lts'), { suffix: '' });
});

test('candidates keep the variant, extend the version written, most specific and newest first', () => {
  assert.deepEqual(pinCandidates('3.12-slim', TAGS), ['3.12.8-slim', '3.12.7-slim']);
  assert.deepEqual(pinCandidates('3-slim', TAGS), ['3.12.8-slim', '3.12.7-slim', '3.12-slim']);
  assert.deepEqual(pinCandidates('latest', TAGS), ['3.13.1', '3.12.8', '3.12.7', '3.13', '3.12', '3']);
  assert.deepEqual(pinCandidates('alpine', TAGS), ['3.12.8-alpine']);
  assert.deepEqual(pinCandidates('3.12.8', TAGS), []);
});

test('newer tags in the same family: the next patch of the line and the newest of later lines', () => {
  const tags = ['3.12.7-slim', '3.12.8-slim', '3.12.9-slim', '3.13.0-slim', '3.13.1-slim', '3.13.1', '4.0.0-slim', '3.12.9-alpine', '3.13-slim'];
  assert.deepEqual(newerTags('3.12.7-slim', tags), ['3.12.9-slim', '3.13.1-slim']);
  assert.deepEqual(newerTags('3.12-slim', tags), ['3.13-slim']);
  assert.deepEqual(newerTags('latest', tags), []);
  assert.deepEqual(newerTags('3.13.1-slim', tags), []);
});
