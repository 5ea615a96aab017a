import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { buildModel } from '../../server/src/language/model';
import { newerTags, pinCandidates, splitTag } from '../../server/src/registry/pinning';
import { pinFixes } from '../../server/src/rules/shared/pin';
import type { ImageFacts, RuleContext } from '../../server/src/engine/rule';

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

test('"Pin to digest" writes name:tag@digest: the most specific tag when found, else the tag written, else latest; the name as written; nothing for a reference from build arguments', () => {
  const digest = `sha256:${'b'.repeat(64)}`;
  const facts: Record<string, ImageFacts> = {
    'python:3.12-slim': { digest, manifestKind: 'index', platforms: ['linux/amd64', 'linux/arm64/v8'], pinTag: '3.12.8-slim' },
    'node:lts': { digest, manifestKind: 'index', platforms: ['linux/amd64'] },
    alpine: { digest, manifestKind: 'index', platforms: ['linux/amd64'] },
  };
  const context: RuleContext = { trustedRegistries: [], images: (ref) => facts[ref.familiar] };
  const pins = (text: string) => {
    const model = buildModel(text);
    return pinFixes(model, { range: model.stages[0]!.base!.source.range, message: '' }, context).map((f) => [f.title, f.edits.map((e) => e.newText).join(), f.safe]);
  };
  assert.deepEqual(pins('FROM docker.io/library/python:3.12-slim\n'), [
    ['Pin to docker.io/library/python:3.12.8-slim', 'docker.io/library/python:3.12.8-slim', false],
    [`Pin to digest docker.io/library/python:3.12.8-slim@${digest.slice(0, 19)}…`, `docker.io/library/python:3.12.8-slim@${digest}`, false],
  ]);
  assert.deepEqual(pins('FROM node:lts\n'), [[`Pin to digest node:lts@${digest.slice(0, 19)}…`, `node:lts@${digest}`, false]]);
  assert.deepEqual(pins('FROM alpine\n'), [[`Pin to digest alpine:latest@${digest.slice(0, 19)}…`, `alpine:latest@${digest}`, false]]);
  assert.deepEqual(pins('ARG TAG=3.12-slim\nFROM python:${TAG}\n'), []);
  assert.deepEqual(pins('FROM debian:12\n'), [], 'no registry facts, no pin');
});
