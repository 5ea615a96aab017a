import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseImageRef } from '../../server/src/language/imageRef';

const DIGEST = 'sha256:3d0f463de06b7ddff27684ec3bfd0b54a425149d0f8685308b1fdf297b0265e9';

const valid: [string, { canonicalName: string; tag?: string; digest?: string; familiar: string }][] = [
  ['python', { canonicalName: 'docker.io/library/python', familiar: 'python' }],
  ['python:3.12-slim', { canonicalName: 'docker.io/library/python', tag: '3.12-slim', familiar: 'python:3.12-slim' }],
  ['docker.io/library/python:3', { canonicalName: 'docker.io/library/python', tag: '3', familiar: 'python:3' }],
  ['index.docker.io/bitnami/redis', { canonicalName: 'docker.io/bitnami/redis', familiar: 'bitnami/redis' }],
  ['bitnami/redis:7.2', { canonicalName: 'docker.io/bitnami/redis', tag: '7.2', familiar: 'bitnami/redis:7.2' }],
  ['localhost:5000/team/app', { canonicalName: 'localhost:5000/team/app', familiar: 'localhost:5000/team/app' }],
  ['localhost/app:1', { canonicalName: 'localhost/app', tag: '1', familiar: 'localhost/app:1' }],
  ['ghcr.io/o/r/deep:v1.2', { canonicalName: 'ghcr.io/o/r/deep', tag: 'v1.2', familiar: 'ghcr.io/o/r/deep:v1.2' }],
  [`gcr.io/distroless/static@${DIGEST}`, { canonicalName: 'gcr.io/distroless/static', digest: DIGEST, familiar: `gcr.io/distroless/static@${DIGEST}` }],
  [`node:20@${DIGEST}`, { canonicalName: 'docker.io/library/node', tag: '20', digest: DIGEST, familiar: `node:20@${DIGEST}` }],
  ['[::1]:5000/app:2', { canonicalName: '[::1]:5000/app', tag: '2', familiar: '[::1]:5000/app:2' }],
  ['my_org/my-app__x', { canonicalName: 'docker.io/my_org/my-app__x', familiar: 'my_org/my-app__x' }],
];

for (const [text, expected] of valid) {
  test(`parses ${text}`, () => {
    const parsed = parseImageRef(text);
    assert.ok(parsed, `${text} should parse`);
    const { canonicalName, tag, digest, familiar } = parsed.ref;
    assert.deepEqual({ canonicalName, tag, digest, familiar }, { tag: undefined, digest: undefined, ...expected });
  });
}

for (const text of ['', 'Python', 'python:', 'python:-bad', 'a//b', 'python@sha256:short', 'UPPER.io', 'x:y:z', 'a/b:c/d', 'repo/-x']) {
  test(`rejects ${JSON.stringify(text)}`, () => assert.equal(parseImageRef(text), undefined));
}

test('spans point at name, tag and digest inside the text', () => {
  const text = `localhost:5000/app:1.0@${DIGEST}`;
  const parsed = parseImageRef(text);
  assert.ok(parsed);
  const slice = ([a, b]: readonly [number, number]) => text.slice(a, b);
  assert.equal(slice(parsed.spans.name), 'localhost:5000/app');
  assert.equal(slice(parsed.spans.tag!), '1.0');
  assert.equal(slice(parsed.spans.digest!), DIGEST);
});
