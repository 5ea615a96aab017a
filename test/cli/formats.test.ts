// Every output format of the built CLI: colour rules for text, GitHub workflow commands with the
// runner's escaping, GitLab Code Quality, Checkstyle XML, and control characters from a Dockerfile
// never reaching any output raw.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import type { Log } from 'sarif';
import { dockwise, workspace, type Workspace } from './run';

let ws: Workspace;
const lint = (args: string[], env: NodeJS.ProcessEnv = {}) => dockwise(['lint', ...args], { cwd: ws.dir, env });

/** An ESC colour code, an OSC 8 hyperlink (ESC ] 8 ;; url BEL text ESC ] 8 ;; BEL), a C1 CSI and a DEL, as a hostile Dockerfile could hold them. */
const HOSTILE = 'EXPOSE 80\x1b[31m \x1b]8;;https://evil.example/\x07click\x1b]8;;\x07 81\u009b2J 82\x7f';
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

before(() => {
  ws = workspace({
    'api/Dockerfile': 'FROM python\nUSER app\nCMD python app.py\n',
    'odd,dir:1/Dockerfile': 'FROM python:3.12-slim\nUSER app\nEXPOSE 80%\nCMD ["python"]\n',
    'hostile/Dockerfile': `FROM python:3.12-slim\nUSER app\n${HOSTILE}\nCMD ["python"]\n`,
    'xml/Dockerfile': 'FROM python:3.12-slim\nUSER app\nEXPOSE <80>&\nCMD python app.py\n',
  });
});

after(() => ws.remove());

test('text has colour only when asked: FORCE_COLOR forces it, NO_COLOR and --no-color win over that, a pipe gets none', () => {
  const plain = lint(['api']).stdout;
  assert.doesNotMatch(plain, /\x1b/);
  const coloured = lint(['api'], { FORCE_COLOR: '1' }).stdout;
  assert.equal(coloured.split('\n')[0], 'api/Dockerfile:1:6 \x1b[33mwarning\x1b[0m \x1b[2mimage-tag-latest\x1b[0m `python` has no tag, so it means `latest`: every rebuild can pull a different image. Pin a version tag or a digest.');
  assert.equal(coloured.replace(/\x1b\[\d+m/g, ''), plain);
  assert.equal(lint(['api'], { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout, plain);
  assert.equal(lint(['api', '--no-color'], { FORCE_COLOR: '1' }).stdout, plain);
  assert.equal(lint(['api'], { FORCE_COLOR: '0' }).stdout, plain);
});

test('github: one workflow command per finding, with the runner\'s escaping of data and properties', () => {
  // Other rules' wording is theirs: the expose-invalid line is checked for its escaping, at a pinned level.
  const { code, stdout } = lint(['api', 'odd,dir:1', '--format', 'github', '--rule', 'expose-invalid=warning']);
  assert.equal(code, 1);
  const [latest, shellForm, percent, ...rest] = stdout.trim().split('\n');
  assert.equal(latest, '::warning file=api/Dockerfile,line=1,col=6,endLine=1,endColumn=12,title=image-tag-latest::`python` has no tag, so it means `latest`: every rebuild can pull a different image. Pin a version tag or a digest.');
  assert.match(shellForm!, /^::warning file=api\/Dockerfile,line=3,col=5,endLine=3,endColumn=18,title=cmd-shell-form::CMD in shell form /);
  // `,` and `:` are escaped in the file name (a property); `%` in the message (data).
  assert.match(percent!, /^::warning file=odd%2Cdir%3A1\/Dockerfile,line=3,col=8,endLine=3,endColumn=11,title=expose-invalid::(?:[^%]|%25)*80%25(?:[^%]|%25)*$/);
  assert.deepEqual(rest, []);
  assert.equal(lint(['api', '--format', 'github', '--rule', 'image-tag-latest=error', '--rule', 'cmd-shell-form=info']).stdout.split('\n').map((l) => l.split(' ')[0]).join(), '::error,::notice,');
});

test('gitlab: a Code Quality report with GitLab severities and the SARIF fingerprints', () => {
  const { code, stdout } = lint(['api', '--format', 'gitlab', '--rule', 'cmd-shell-form=error']);
  assert.equal(code, 1);
  const report = JSON.parse(stdout) as { description: string; check_name: string; fingerprint: string; severity: string; location: { path: string; lines: { begin: number } } }[];
  assert.deepEqual(report.map((i) => [i.check_name, i.severity, i.location.path, i.location.lines.begin]), [
    ['image-tag-latest', 'major', 'api/Dockerfile', 1],
    ['cmd-shell-form', 'critical', 'api/Dockerfile', 3],
  ]);
  assert.match(report[0]!.description, /^`python` has no tag/);
  const sarif = JSON.parse(lint(['api', '--format', 'sarif', '--rule', 'cmd-shell-form=error']).stdout) as Log;
  assert.deepEqual(report.map((i) => i.fingerprint), sarif.runs[0]!.results!.map((r) => r.partialFingerprints!['dockwiseHash/v1']));
  assert.deepEqual(JSON.parse(lint(['api', '--format', 'gitlab', '--rule', 'image-tag-latest=hint', '--rule', 'cmd-shell-form=info']).stdout).map((i: { severity: string }) => i.severity), ['info', 'minor']);
});

test('checkstyle: XML with every attribute escaped', () => {
  const { code, stdout } = lint(['xml', '--format', 'checkstyle', '--rule', 'expose-invalid=warning']);
  assert.equal(code, 1);
  const attribute = '"(?:[^"<>&]|&(?:quot|lt|gt|amp|apos|#x[0-9a-f]+);)*"';
  assert.match(
    stdout,
    new RegExp(`^<\\?xml version="1\\.0" encoding="UTF-8"\\?>\n<checkstyle version="4\\.3">\n  <file name="xml/Dockerfile">\n(?:    <error line="\\d+" column="\\d+" severity="(?:error|warning|info)" message=${attribute} source="dockwise\\.[a-z-]+"/>\n)+  </file>\n</checkstyle>\n$`),
  );
  assert.match(stdout, /message="[^"]*&lt;80&gt;&amp;[^"]*" source="dockwise\.expose-invalid"/, 'the value is quoted in the message, escaped');
  assert.match(stdout, /message="[^"]*\[&quot;…&quot;, &quot;…&quot;\][^"]*" source="dockwise\.cmd-shell-form"/);
});

test('control characters from a Dockerfile never reach any format raw: visible in text and github, escaped in JSON, SARIF, GitLab and XML', () => {
  const text = lint(['hostile']).stdout;
  assert.doesNotMatch(text, RAW_CONTROL);
  // How much of the value a message quotes is the rule's business; what it quotes is visible.
  assert.match(text, /80\\x1b\[31m/);
  // A rule may quote the link already escaped (BuildKit's own words do); either way it is text.
  assert.match(text, /\\(?:x1b|u001b)\]8;;https:\/\/evil\.example\/\\(?:x07|u0007)click/);
  assert.match(text, /81\\x9b2J/);
  assert.match(text, /82\\x7f/);
  // Even where colour is on, the only escape sequences are dockwise's own.
  assert.doesNotMatch(lint(['hostile'], { FORCE_COLOR: '1' }).stdout.replace(/\x1b\[(?:0|2|31|33|34)m/g, ''), RAW_CONTROL);

  const github = lint(['hostile', '--format', 'github']).stdout;
  assert.doesNotMatch(github, RAW_CONTROL);
  assert.match(github, /::[^\n]*80\\x1b\[31m/);

  for (const format of ['json', 'sarif', 'gitlab']) {
    const out = lint(['hostile', '--format', format]).stdout;
    assert.doesNotMatch(out, RAW_CONTROL, format);
    // Escaped for transport, kept as data: the parsed message has the Dockerfile's characters.
    assert.ok(out.includes('\\u001b[31m') && out.includes('\\u009b') && out.includes('\\u007f'), format);
    const strings: string[] = [];
    JSON.parse(out, (_key, value: unknown) => (typeof value === 'string' && strings.push(value), value));
    assert.ok(strings.some((s) => s.includes('80\x1b[31m')) && strings.some((s) => s.includes('82\x7f')), format);
  }

  const xml = lint(['hostile', '--format', 'checkstyle']).stdout;
  assert.doesNotMatch(xml, RAW_CONTROL);
  assert.match(xml, /80\\x1b\[31m/, 'C0 is not allowed in XML 1.0, even as a reference: shown as text');
  assert.match(xml, /81&#x9b;2J/);
  assert.match(xml, /82&#x7f;/);
});

test('file names with control characters are made visible too', () => {
  const odd = workspace({ 'evil\x1b[2Jname/Dockerfile': 'FROM python\nUSER app\nCMD ["python"]\n' });
  try {
    for (const format of ['text', 'github']) {
      const { stdout } = dockwise(['lint', '--format', format], { cwd: odd.dir });
      assert.doesNotMatch(stdout, RAW_CONTROL, format);
      assert.match(stdout, /evil\\x1b\[2Jname\/Dockerfile/, format);
    }
  } finally {
    odd.remove();
  }
});
