// `dockwise lint - --stdin-filename PATH`: stdin linted as if it were the file at PATH, with that
// file's build context, configuration and ignore comments; a PATH that does not exist has no context.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { dockwise, workspace, type Workspace } from './run';

let ws: Workspace;
const fromStdin = (input: string, ...args: string[]) => dockwise(['lint', '-', ...args], { cwd: ws.dir, input });
const codes = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => l.split(' ').slice(0, 3).join(' '));

/** Unsaved text as an editor or formatter would pipe it: a typo in a COPY source. */
const EDITED = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirments.txt .\nCOPY . .\nUSER app\nCMD ["python", "app.py"]\n';

before(() => {
  ws = workspace({
    '.dockwise.yaml': 'rules:\n  image-tag-latest: error\n',
    'api/Dockerfile': 'FROM python:3.12-slim\nUSER app\nCMD ["python", "app.py"]\n',
    'api/requirements.txt': 'flask\n',
    'api/.dockerignore': '.git\n',
    'api/.dockwise.yaml': 'rules:\n  cmd-shell-form: error\n  copy-source-missing: error\n',
  });
});

after(() => ws.remove());

test('stdin is linted as the file it names: its build context and its .dockwise.yaml, not what is on disk', () => {
  const { code, stdout, stderr } = fromStdin(EDITED.replace('CMD ["python", "app.py"]', 'CMD python app.py'), '--stdin-filename', 'api/Dockerfile');
  assert.equal(code, 1);
  assert.deepEqual(codes(stdout), ['api/Dockerfile:3:6 error copy-source-missing', 'api/Dockerfile:6:5 error cmd-shell-form']);
  assert.match(stdout, /Did you mean `requirements\.txt`\?/, 'the context listing of api/ is used');
  assert.equal(stderr, 'dockwise: 1 file(s), 2 problem(s): 2 error(s), 0 warning(s), 0 info, 0 hint(s)\n');
});

test('ignore comments in the piped text are honoured', () => {
  const { code, stdout } = fromStdin(`# dockwise-ignore-file copy-source-missing\n${EDITED}`, '--stdin-filename', 'api/Dockerfile');
  assert.equal(code, 0);
  assert.equal(stdout, '');
});

test('a path that does not exist has no build context, but still the configuration above it', () => {
  const { code, stdout } = fromStdin(EDITED, '--stdin-filename', 'services/new/Dockerfile');
  // No context: neither the missing source nor the missing .dockerignore can be judged.
  assert.equal(code, 0);
  assert.equal(stdout, '');
  const config = fromStdin('FROM python\n', '--stdin-filename', 'services/new/Dockerfile', '--format', 'json', '--fail-level', 'none');
  assert.equal(JSON.parse(config.stdout).files[0].path, 'services/new/Dockerfile');
});

test('"-" without a file name is <stdin>, with no build context, as `docker build -` has none', () => {
  const { code, stdout } = fromStdin('FROM python\nCOPY missing.txt /x\nUSER app\nCMD ["python"]\n');
  assert.equal(code, 1);
  assert.deepEqual(codes(stdout), ['<stdin>:1:6 error image-tag-latest'], 'the .dockwise.yaml of the working folder applies');
});

test('stdin matching ignorePaths is left out, saying so', () => {
  ws.write('vendor/.dockwise.yaml', 'ignorePaths: ["*"]\n');
  const { code, stdout, stderr } = fromStdin('FROM python\n', '--stdin-filename', 'vendor/Dockerfile', '--format', 'json');
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(stdout).files, []);
  assert.equal(stderr, 'dockwise: vendor/Dockerfile is left out by ignorePaths in vendor/.dockwise.yaml\ndockwise: 0 file(s), no problems\n');
});

test('"-" takes no other paths, and --stdin-filename needs it (exit 2)', () => {
  for (const args of [['lint', '-', 'api'], ['lint', 'api', '--stdin-filename', 'api/Dockerfile']]) {
    const { code, stderr } = dockwise(args, { cwd: ws.dir });
    assert.equal(code, 2, args.join(' '));
    assert.match(stderr, /^dockwise: .*(stdin|"-")/);
  }
});
