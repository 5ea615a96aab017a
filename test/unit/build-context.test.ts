// Build contexts from compose files, the context reader, and the report's pure parts (the
// definitions themselves: build-definitions.test.ts).
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { buildModel } from '../../server/src/language/model';
import { codeLenses } from '../../server/src/features/codeLens';
import { parseImageRef } from '../../server/src/language/imageRef';
import { reportHtml, sameDigestCandidates, variantTags } from '../../server/src/registry/baseImageReport';
import { findBuildDefinitions } from '../../server/src/workspace/definitions';
import { BuildContextReader } from '../../server/src/workspace/buildContext';
import { lint } from '../../server/src/linter';

const root = mkdtempSync(join(tmpdir(), 'dockwise-context-'));
after(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): string {
  const full = join(root, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, text);
  return full;
}

test('the reader lists the context a compose service names, applies its .dockerignore, and measures what should not be sent', async () => {
  write('svc/compose.yaml', 'services:\n  api:\n    build:\n      context: ..\n      dockerfile: svc/Dockerfile\n      args: { BASE: "python:3.12-slim" }\n      target: prod\n');
  const dockerfile = write('svc/Dockerfile', 'ARG BASE=python:latest\nFROM ${BASE} AS prod\nCOPY src/app.py requirments.txt /app/\nCOPY . .\n');
  write('src/app.py', 'print(1)\n');
  write('requirements.txt', 'flask\n');
  write('.git/HEAD', 'ref: refs/heads/main\n');
  write('.git/objects/pack', 'x'.repeat(5000));
  write('.env', 'TOKEN=1\n');
  write('.dockerignore', '.env\n');
  const definitions = await findBuildDefinitions([root]);
  const found = new BuildContextReader().read(dockerfile, definitions.get(dockerfile));
  assert.equal(found.contextDir, root);
  assert.deepEqual(found.buildArgs, { BASE: 'python:3.12-slim' });
  assert.equal(found.buildContext.dir, '..');
  assert.equal(found.buildContext.origin, 'compose service api');
  assert.deepEqual(found.buildContext.targets, ['prod']);
  assert.ok(found.buildContext.paths?.has('src/app.py'));
  assert.deepEqual(found.buildContext.unwanted?.map((u) => [u.path, u.bytes]), [['.git', 5021]]);
  assert.equal(found.buildContext.isIgnored?.('.env'), true);
  const codes = lint('ARG BASE=python:latest\nFROM ${BASE} AS prod\nCOPY src/app.py requirments.txt /app/\nCOPY . .\n', { context: { buildContext: found.buildContext, trustedRegistries: [] }, buildArgs: found.buildArgs }).map((d) => `${d.range.start.line + 1}:${String(d.code)}:${d.message}`);
  // The build argument from compose resolves FROM: no `latest` finding; the typo gets a suggestion.
  assert.ok(!codes.some((c) => c.includes('image-tag-latest')), codes.join('\n'));
  assert.ok(codes.some((c) => c.startsWith('3:copy-source-missing') && c.includes('(`..`, from compose service api)') && c.includes('Did you mean `requirements.txt`?')), codes.join('\n'));
  assert.ok(codes.some((c) => c.startsWith('4:context-includes-unwanted') && c.includes('`.git` (5.0 KB')), codes.join('\n'));
  const lenses = codeLenses(buildModel('FROM a AS one\nFROM one\n'), found.buildContext).map((l) => [l.range.start.line, l.command?.title]);
  assert.deepEqual(lenses, [[0, 'build context: .., from compose service api'], [0, 'used by stage 1 (FROM)']]);
});

test('report: variants of the same version and tags that may share the digest', () => {
  const tags = ['3', '3-slim', '3.12', '3.12-slim', '3.12.7', '3.12.7-slim', '3.12.7-alpine', '3.12.7-bookworm', '3.12.8-slim', 'latest'];
  assert.deepEqual(variantTags('3.12.7-slim', tags), ['3.12.7-slim', '3.12.7', '3.12.7-alpine', '3.12.7-bookworm']);
  assert.deepEqual(sameDigestCandidates('3.12-slim', tags), ['3-slim', '3.12.7-slim', '3.12.8-slim']);
});

test('report page: registry text is escaped, nothing can run, and sizes are drawn per platform', () => {
  const ref = parseImageRef('python:3.12-slim')!.ref;
  const platform = (architecture: string, compressedSize: number) => ({ os: 'linux', architecture, digest: 'sha256:1', compressedSize, config: { exposedPorts: [], labels: {}, created: '2026-10-08T02:11:00Z', user: '<script>' } });
  const html = reportHtml({ ref, rows: [{ label: '3.12-slim', ref, current: true, description: { digest: `sha256:${'a'.repeat(64)}`, mediaType: 'x', fetchedAt: 0, platforms: [platform('amd64', 2_900_000), platform('arm64', 2_700_000)] } }, { label: '3.12', ref, current: false, error: 'offline <b>' }], sameDigest: ['3.12.7-slim'] }, 'n0nce');
  assert.match(html, /content="default-src 'none'; style-src 'nonce-n0nce';"/);
  assert.doesNotMatch(html, /<script|<b>/);
  assert.match(html, /&#60;script&#62;/);
  assert.equal(html.match(/<rect /g)?.length, 2);
  assert.match(html, /linux\/amd64<\/text><rect x="120" y="2" width="360"/);
  assert.match(html, /Same digest as <code>3\.12-slim<\/code>: <code>3\.12\.7-slim<\/code>/);
});

test('a context that cannot be read is not listed as empty: no COPY source is called missing there', () => {
  const text = 'FROM alpine:3.20\nCOPY app.py /app/\n';
  const missingCodes = (dockerfile: string) =>
    lint(text, { context: { buildContext: new BuildContextReader().read(dockerfile).buildContext, trustedRegistries: [] } }).filter((d) => d.code === 'copy-source-missing');
  // The folder the document says it is in does not exist (deleted, or a path that was never on this disk).
  const gone = new BuildContextReader().read(join(root, 'gone/Dockerfile')).buildContext;
  assert.equal(gone.paths, undefined);
  assert.deepEqual(missingCodes(join(root, 'gone/Dockerfile')), []);
  // The same text beside a readable, empty folder does report it: the rule is on, only the listing was unknown.
  const here = write('empty/Dockerfile', text);
  assert.equal(missingCodes(here).length, 1);
});
