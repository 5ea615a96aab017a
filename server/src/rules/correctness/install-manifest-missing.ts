import type { InstructionInfo, Stage } from '../../language/model';
import { isBinderDockerfile, listingIndex } from '../../language/contextPaths';
import { INSTALLS } from '../../language/dependencyInstalls';
import { commandsOf, stageChain, type CommandAt } from '../../language/query';
import { stageRule, type Finding } from '../../engine/rule';

const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** Words of a command, after the program. */
const sub = (c: CommandAt, i = 0) => c.args[i]?.value ?? '';

/**
 * Commands that may put a project's files in place: fetch or unpack them, move them around, or
 * generate a new project (and its manifest).
 */
function mayCreateFiles(c: CommandAt): boolean {
  const p = c.program;
  const first = sub(c);
  switch (p) {
    case 'git':
      return c.args.some((a) => ['clone', 'pull', 'checkout', 'fetch', 'archive', 'worktree', 'submodule', 'restore', 'switch'].includes(a.value));
    case 'gh':
      return first === 'repo' && sub(c, 1) === 'clone';
    case 'svn':
      return ['checkout', 'co', 'export'].includes(first);
    case 'hg':
      return first === 'clone';
    case 'curl':
    case 'wget':
    case 'aria2c':
    case 'unzip':
    case 'bsdtar':
    case 'cp':
    case 'mv':
    case 'rsync':
    case 'ln':
    case 'install':
    case 'cpio':
    case 'ditto':
      return true;
    case 'tar':
      return c.args.some((a) => /^-?[A-Za-z]*x|^--extract$|^--get$/.test(a.value));
    case '7z':
    case '7za':
      return first === 'x' || first === 'e';
    case 'npm':
      return ['init', 'create', 'exec'].includes(first) || (first === 'pkg' && sub(c, 1) === 'set');
    case 'npx':
    case 'pnpx':
    case 'bunx':
      return true;
    case 'yarn':
    case 'pnpm':
    case 'bun':
      return ['init', 'create', 'dlx'].includes(first);
    case 'go':
      return first === 'mod' && sub(c, 1) === 'init';
    case 'cargo':
      return ['new', 'init', 'generate-lockfile', 'update'].includes(first);
    case 'poetry':
      return ['new', 'init', 'lock'].includes(first);
    case 'uv':
      return first === 'init' || first === 'lock' || (first === 'pip' && sub(c, 1) === 'compile');
    case 'pip-compile':
    case 'pipenv':
      return true;
    case 'bundle':
    case 'bundler':
      return first === 'init' || first === 'lock';
    case 'composer':
      return ['create-project', 'init', 'update'].includes(first);
    default:
      return false;
  }
}

/** `pip install -r` from a URL or standard input reads nothing in the context. */
const notInContext = (file: string) => /:\/\//.test(file) || file === '-' || file.startsWith('/dev/');

export const installManifestMissing = stageRule({
  meta: {
    id: 'install-manifest-missing',
    title: 'Dependency install without its manifest in the build context',
    description: 'Flags installs such as npm ci or pip install -r whose file the build context does not have and no earlier step brings in.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'never',
    aliases: {},
    insideOnbuild: false,
    docs: {
      why: `\`npm ci\` stops without \`package-lock.json\`, \`pip install -r requirements.txt\` without the file, \`go mod
download\` without \`go.mod\`. When the build context has no such file anywhere, the build fails at that step,
after everything before it has run; often the lock file is listed in .gitignore, or the Dockerfile was copied
from a project that had one.

The file may also come from elsewhere, which is why this is a warning: a step before it (in this stage or the
stages it builds on) that copies from another stage or image, adds a URL or a Git repository, clones, downloads,
unpacks, copies or moves files, or creates a new project (\`npm init\`, \`cargo new\`, \`poetry init\`, \`go mod
init\`, \`composer create-project\`, …) silences the rule, and so does the base image, which dockwise cannot see.
A Dockerfile in \`binder/\` is built from the repository root, which dockwise does not list: not reported.`,
      bad: `# the context has package.json but no package-lock.json
COPY package.json ./
RUN npm ci`,
      good: `# commit package-lock.json (npm install writes it), then
COPY package.json package-lock.json ./
RUN npm ci`,
      fix: `Add the file to the build context (commit the lock file, remove it from .dockerignore), or use the install
command that works without it (\`npm install\` instead of \`npm ci\`).`,
    },
  },
  checkStage(stage, model, context): Finding[] {
    const facts = context.buildContext;
    const paths = facts?.paths;
    if (!paths) return [];
    if (facts.origin === undefined && isBinderDockerfile(model)) return [];
    const present = listingIndex(paths).names;
    const text = model.document.getText();
    const where = facts.origin === undefined ? "the build context (dockwise assumes the Dockerfile's folder)" : 'the build context';
    const chain = stageChain(model, stage);
    /** Instructions that run before `run` in this stage or the stages it builds on. */
    const before = (info: InstructionInfo) =>
      chain.flatMap((s) => (s === stage ? s.instructions.filter((i) => i.range.start.line < info.range.start.line) : s.instructions));
    const bringsFiles = (i: InstructionInfo, s: Stage | undefined, file: string) => {
      if (i.keyword === 'COPY' || i.keyword === 'ADD') {
        const written = text.slice(model.document.offsetAt(i.range.start), model.document.offsetAt(i.range.end));
        if (written.includes(file) || i.read.flags.some((f) => f.text.startsWith('--from='))) return true;
        // ADD of a URL or a Git repository, which may hold anything.
        return i.keyword === 'ADD' && i.read.args.slice(0, -1).some((a) => /^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(a));
      }
      if (i.keyword !== 'RUN' || !s) return false;
      const run = s.runs.find((r) => r.info === i);
      if (!run) return false;
      return text.slice(model.document.offsetAt(i.range.start), model.document.offsetAt(i.range.end)).includes(file) || commandsOf(s, run).some(mayCreateFiles);
    };
    const stageOf = (i: InstructionInfo) => chain.find((s) => s.instructions.includes(i));
    return stage.runs.flatMap((run) => {
      // A bind mount may put the file in place for this RUN only.
      if (run.mounts.some((m) => m.type === 'bind')) return [];
      const commands = commandsOf(stage, run);
      return commands.flatMap((command, index): Finding[] => {
        const install = INSTALLS.find((i) => i.is(command));
        if (!install) return [];
        // `pipenv install` writes a Pipfile when there is none.
        if (command.program === 'pipenv' && sub(command) === 'install') return [];
        const needs = (install.needs?.(command) ?? [[install.manifests[0]!]]).filter((alternatives) => !alternatives.some(notInContext));
        const earlier = commands.slice(0, index);
        const runText = text.slice(model.document.offsetAt(run.info.range.start), command.command.start);
        const made = (file: string) =>
          earlier.some(mayCreateFiles) || runText.includes(file) || before(run.info).some((i) => bringsFiles(i, stageOf(i), file));
        const missing = needs.find((alternatives) => alternatives.every((file) => !present.has(basename(file)) && !made(basename(file))));
        if (!missing || missing.some((file) => /[*?[$]/.test(file))) return [];
        const what = [command.program, command.args[0]?.value].filter(Boolean).join(' ');
        return [
          {
            range: model.rangeOf(command.command.start, command.command.end),
            message: `\`${what}\` needs ${missing.map((m) => `\`${m}\``).join(' or ')}, which is nowhere in ${where}, and no earlier step brings it in: unless the base image has it, the build fails here.`,
          },
        ];
      });
    });
  },
});
