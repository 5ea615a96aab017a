// --fix, --fix-dry-run and --fix-unsafe through the built CLI, fixes in the JSON and SARIF
// reports, and SARIF fingerprints that stay put when lines above a finding move.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Log } from 'sarif';
import { dockwise, workspace } from './run';

const DOCKERFILE = 'FROM python:3.12-slim\nMAINTAINER Jane <j@x.org>\nADD app.py /app/\nRUN apt-get update && apt-get install -y curl\nCMD python app.py\n';
/** The four safe fixes: MAINTAINER → LABEL, ADD → COPY, the apt lists removed, exec form. */
const SAFELY_FIXED = 'FROM python:3.12-slim\nLABEL org.opencontainers.image.authors="Jane <j@x.org>"\nCOPY app.py /app/\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nCMD ["python", "app.py"]\n';
/** `path:line severity rule`: where in the line other rules point is theirs to change. */
const codes = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => l.split(' ').slice(0, 3).join(' ').replace(/^([^:]+:\d+):\d+/, '$1'));

test('--fix applies the safe fixes in place, then reports what is left', () => {
  const ws = workspace({ 'Dockerfile': DOCKERFILE, 'app.py': '', 'clean/Dockerfile': 'FROM python:3.12-slim\nUSER app\nCMD ["python"]\n' });
  try {
    const { code, stdout, stderr } = dockwise(['lint', '--fix'], { cwd: ws.dir });
    assert.equal(ws.read('Dockerfile'), SAFELY_FIXED);
    assert.equal(ws.read('clean/Dockerfile'), 'FROM python:3.12-slim\nUSER app\nCMD ["python"]\n', 'a file with nothing to fix is left alone');
    assert.equal(code, 1, 'runs-as-root is left, and it is a warning');
    assert.deepEqual(codes(stdout), ['Dockerfile:1 warning runs-as-root', 'Dockerfile:4 info apt-get-no-install-recommends']);
    assert.equal(stderr, 'dockwise: fixed 1 file(s); 2 file(s), 2 problem(s): 0 error(s), 1 warning(s), 1 info, 0 hint(s)\n');
    // Nothing left to fix: a second run changes nothing.
    dockwise(['lint', '--fix'], { cwd: ws.dir });
    assert.equal(ws.read('Dockerfile'), SAFELY_FIXED);
  } finally {
    ws.remove();
  }
});

test('unsafe fixes only with --fix-unsafe', () => {
  const ws = workspace({ 'Dockerfile': DOCKERFILE, 'app.py': '' });
  try {
    const { code, stdout } = dockwise(['lint', '--fix', '--fix-unsafe'], { cwd: ws.dir });
    assert.equal(code, 0);
    assert.equal(stdout, '');
    assert.equal(
      ws.read('Dockerfile'),
      'FROM python:3.12-slim\nRUN groupadd --system app && useradd --system --gid app --no-log-init --create-home app\nLABEL org.opencontainers.image.authors="Jane <j@x.org>"\nCOPY --chown=app:app app.py /app/\nRUN apt-get update && apt-get install --no-install-recommends -y curl && rm -rf /var/lib/apt/lists/*\nUSER app\nCMD ["python", "app.py"]\n',
    );
    assert.equal(dockwise(['lint', '--fix-unsafe'], { cwd: ws.dir }).code, 2, '--fix-unsafe alone is a usage error');
  } finally {
    ws.remove();
  }
});

test('--fix-dry-run prints the fixes as a unified diff and changes no file; the exit code is what --fix would leave', () => {
  const ws = workspace({ 'api/Dockerfile': DOCKERFILE, 'api/app.py': '' });
  try {
    const { code, stdout, stderr } = dockwise(['lint', '--fix-dry-run'], { cwd: ws.dir });
    assert.equal(ws.read('api/Dockerfile'), DOCKERFILE);
    assert.equal(code, 1);
    assert.equal(
      stdout,
      [
        '--- a/api/Dockerfile',
        '+++ b/api/Dockerfile',
        '@@ -1,5 +1,5 @@',
        ' FROM python:3.12-slim',
        '-MAINTAINER Jane <j@x.org>',
        '-ADD app.py /app/',
        '-RUN apt-get update && apt-get install -y curl',
        '-CMD python app.py',
        '+LABEL org.opencontainers.image.authors="Jane <j@x.org>"',
        '+COPY app.py /app/',
        '+RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
        '+CMD ["python", "app.py"]',
        '',
      ].join('\n'),
    );
    assert.equal(stderr, 'dockwise: 1 file(s) would be fixed; 1 file(s), 2 problem(s): 0 error(s), 1 warning(s), 1 info, 0 hint(s)\n');
    assert.equal(dockwise(['lint', '--fix-dry-run', '--format', 'json'], { cwd: ws.dir }).code, 2, 'the diff is the output: no --format');
  } finally {
    ws.remove();
  }
});

test('with stdin, --fix writes the fixed text to stdout and the report to stderr', () => {
  const ws = workspace({ 'app.py': '' });
  try {
    const { code, stdout, stderr } = dockwise(['lint', '-', '--stdin-filename', 'Dockerfile', '--fix'], { cwd: ws.dir, input: DOCKERFILE });
    assert.equal(code, 1);
    assert.equal(stdout, SAFELY_FIXED);
    const lines = stderr.trimEnd().split('\n');
    assert.deepEqual(codes(lines.slice(0, -1).join('\n')), ['Dockerfile:1 warning runs-as-root', 'Dockerfile:4 info apt-get-no-install-recommends']);
    assert.equal(lines.at(-1), 'dockwise: fixed 1 file(s); 1 file(s), 2 problem(s): 0 error(s), 1 warning(s), 1 info, 0 hint(s)');
    // Any format: the report goes to stderr, ahead of the summary.
    const json = dockwise(['lint', '-', '--stdin-filename', 'Dockerfile', '--fix', '--format', 'json'], { cwd: ws.dir, input: DOCKERFILE });
    assert.equal(json.stdout, SAFELY_FIXED);
    assert.equal(JSON.parse(json.stderr.slice(0, json.stderr.lastIndexOf('dockwise: '))).summary.warnings, 1);
    const dry = dockwise(['lint', '-', '--stdin-filename', 'svc/Dockerfile', '--fix-dry-run'], { cwd: ws.dir, input: DOCKERFILE });
    assert.match(dry.stdout, /^--- a\/svc\/Dockerfile\n\+\+\+ b\/svc\/Dockerfile\n@@ -1,5 \+1,5 @@\n/);
  } finally {
    ws.remove();
  }
});

test('JSON diagnostics carry their fixes: title, safe, edits with 1-based ranges and the new text', () => {
  const ws = workspace({ 'Dockerfile': DOCKERFILE, 'app.py': '' });
  try {
    const report = JSON.parse(dockwise(['lint', '--format', 'json'], { cwd: ws.dir }).stdout);
    const byRule = Object.fromEntries(report.files[0].diagnostics.map((d: { rule: string; fixes: unknown }) => [d.rule, d.fixes]));
    assert.deepEqual(byRule['cmd-shell-form'], [{ title: 'Switch to exec form', safe: true, edits: [{ start: { line: 5, column: 5 }, end: { line: 5, column: 18 }, newText: '["python", "app.py"]' }] }]);
    assert.deepEqual(byRule['add-local-file'], [{ title: 'Use COPY', safe: true, edits: [{ start: { line: 3, column: 1 }, end: { line: 3, column: 4 }, newText: 'COPY' }] }]);
    assert.equal((byRule['runs-as-root'] as { safe: boolean }[])[0]!.safe, false);
  } finally {
    ws.remove();
  }
});

test('SARIF results carry fixes as artifact changes with deleted regions and inserted content', () => {
  const ws = workspace({ 'Dockerfile': DOCKERFILE, 'app.py': '' });
  try {
    const log = JSON.parse(dockwise(['lint', '--format', 'sarif'], { cwd: ws.dir }).stdout) as Log;
    const results = log.runs[0]!.results!;
    const exec = results.find((r) => r.ruleId === 'cmd-shell-form')!;
    assert.deepEqual(exec.fixes, [
      {
        description: { text: 'Switch to exec form' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'Dockerfile', uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { startLine: 5, startColumn: 5, endLine: 5, endColumn: 18 }, insertedContent: { text: '["python", "app.py"]' } }],
          },
        ],
        properties: { safe: true },
      },
    ]);
    // An insertion is an empty deleted region.
    const user = results.find((r) => r.ruleId === 'runs-as-root')!.fixes![0]!.artifactChanges[0]!.replacements;
    assert.ok(user.some((r) => r.deletedRegion.startLine === r.deletedRegion.endLine && r.deletedRegion.startColumn === r.deletedRegion.endColumn && r.insertedContent?.text?.includes('useradd')));
    assert.equal(results.find((r) => r.ruleId === 'image-tag-latest'), undefined);
  } finally {
    ws.remove();
  }
});

test('SARIF fingerprints stay the same when lines above a finding move, and tell identical instructions apart', () => {
  const ws = workspace({ 'Dockerfile': 'FROM python:3.12-slim\nRUN pip install flask\nRUN pip install flask\nCMD python app.py\n' });
  try {
    const prints = () => {
      const log = JSON.parse(dockwise(['lint', '--format', 'sarif'], { cwd: ws.dir }).stdout) as Log;
      return log.runs[0]!.results!.map((r) => ({ rule: r.ruleId, line: r.locations![0]!.physicalLocation!.region!.startLine, print: r.partialFingerprints!['dockwiseHash/v1']! }));
    };
    const before = prints();
    const pips = before.filter((r) => r.rule === 'pip-no-cache-dir');
    assert.equal(pips.length, 2);
    assert.notEqual(pips[0]!.print, pips[1]!.print, 'the second identical RUN is another finding');
    assert.ok(before.every((r) => /^[0-9a-f]{64}$/.test(r.print)));
    // Lines inserted above, and the instruction re-wrapped with a continuation: the same findings.
    ws.write('Dockerfile', '# the API image\n# built by CI\nFROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\n\nRUN pip install flask\nRUN pip install \\\n    flask\nCMD python app.py\n');
    const after = prints();
    assert.deepEqual(after.map((r) => r.print).sort(), before.map((r) => r.print).sort());
    assert.notDeepEqual(after.map((r) => r.line), before.map((r) => r.line), 'the lines did move');
  } finally {
    ws.remove();
  }
});
