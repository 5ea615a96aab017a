import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { parseHadolintConfig } from '../../server/src/engine/hadolintConfig';
import { type LintOptions } from '../../server/src/engine/lint';
import { parseCheckDirective } from '../../server/src/engine/suppression';
import { lint } from '../../server/src/linter';

// The samples' first stage is deliberately unused; that finding is not what these tests are about.
const codes = (text: string, options: LintOptions = {}) => lint(text, { ...options, rules: { 'stage-unused': 'off', ...options.rules } }).map((d) => `${d.range.start.line + 1}:${String(d.code)}`);

const TWO_LATEST = 'FROM python AS a\nFROM node\nUSER app\nCMD node server.js\n';

test('without comments both images and the shell-form CMD are reported', () => {
  assert.deepEqual(codes(TWO_LATEST), ['1:image-tag-latest', '2:image-tag-latest', '4:cmd-shell-form']);
});

for (const comment of ['# dockwise-ignore image-tag-latest', '# hadolint ignore=DL3006', '#dockwise-ignore cmd-shell-form, image-tag-latest', '# hadolint ignore=DL3007,DL3006']) {
  test(`"${comment}" silences only the next instruction`, () => {
    assert.deepEqual(codes(`${comment}\n${TWO_LATEST}`), ['3:image-tag-latest', '5:cmd-shell-form']);
  });
}

test('an ignore comment reaches across other comment lines to the next instruction', () => {
  assert.deepEqual(codes(`FROM python:3.12\n# dockwise-ignore cmd-shell-form\n# start the app\nUSER app\nCMD node server.js\n`), ['5:cmd-shell-form']);
  assert.deepEqual(codes(`FROM python:3.12\nUSER app\n# dockwise-ignore cmd-shell-form\n# start the app\nCMD node server.js\n`), []);
});

for (const comment of ['# dockwise-ignore-file image-tag-latest', '# hadolint global ignore=DL3006']) {
  test(`"${comment}" silences the rule in the whole file`, () => {
    assert.deepEqual(codes(`${TWO_LATEST}${comment}\n`), ['4:cmd-shell-form']);
  });
}

test('# check=skip= silences the BuildKit checks it names, by their BuildKit names', () => {
  assert.deepEqual(codes(`# check=skip=JSONArgsRecommended\n${TWO_LATEST}`), ['2:image-tag-latest', '3:image-tag-latest']);
});

test('# check=skip=all silences every BuildKit-mapped rule and nothing else', () => {
  assert.deepEqual(codes(`# check=skip=all\n${TWO_LATEST}`), ['2:image-tag-latest', '3:image-tag-latest']);
});

test('# check=error=true turns BuildKit-mapped findings into errors', () => {
  const diagnostics = lint(`# check=error=true\n${TWO_LATEST}`);
  const severity = (code: string) => diagnostics.find((d) => d.code === code)?.severity;
  assert.equal(severity('cmd-shell-form'), DiagnosticSeverity.Error);
  assert.equal(severity('image-tag-latest'), DiagnosticSeverity.Warning);
});

test('the check directive is read the way BuildKit reads it', () => {
  assert.deepEqual(parseCheckDirective('skip=A,B;error=true'), { skip: ['A', 'B'], error: true });
  assert.deepEqual(parseCheckDirective('skip=all'), { skip: 'all', error: false });
  assert.deepEqual(parseCheckDirective(''), { skip: [], error: false });
});

test('.hadolint.yaml ignores and overrides apply through the aliases; settings win', () => {
  const { config, problem } = parseHadolintConfig('ignored:\n  - DL3006\noverride:\n  error: [DL3025]\n  style: [DL3007]\ntrustedRegistries: [docker.io]\n');
  assert.equal(problem, undefined);
  assert.deepEqual(config.trustedRegistries, ['docker.io']);
  const diagnostics = lint(TWO_LATEST, { hadolint: config, rules: { 'stage-unused': 'off' } });
  assert.deepEqual(diagnostics.map((d) => [d.code, d.severity]), [['cmd-shell-form', DiagnosticSeverity.Error]]);
  const withSettings = lint(TWO_LATEST, { hadolint: config, rules: { 'image-tag-latest': 'info', 'cmd-shell-form': 'hint', 'stage-unused': 'off' } });
  assert.deepEqual(withSettings.map((d) => [d.code, d.severity]), [
    ['image-tag-latest', DiagnosticSeverity.Information],
    ['image-tag-latest', DiagnosticSeverity.Information],
    ['cmd-shell-form', DiagnosticSeverity.Hint],
  ]);
});

test('a broken .hadolint.yaml yields an empty configuration and says why', () => {
  const { config, problem } = parseHadolintConfig('ignored: [DL3006\n');
  assert.deepEqual(config.ignored, []);
  assert.ok(problem && problem.length > 0);
});
