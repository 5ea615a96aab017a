/** Installs driven by a manifest: what they read, and what they cannot run without. */
import { yarnInstalls } from './packageManagers';
import { hasOption, operands, type CommandAt } from './query';

export interface DependencyInstall {
  readonly is: (c: CommandAt) => boolean;
  /** Files the install reads, for copying them first (globs allowed). */
  readonly manifests: readonly string[];
  /** Files it cannot run without, each a list of alternatives; by default the first manifest. */
  readonly needs?: (c: CommandAt) => readonly (readonly string[])[];
}

/** `-r file` / `--requirement file` / `--requirement=file` arguments; not URLs or standard input, which are not in the context. */
function requirementFiles(c: CommandAt): string[][] {
  const local = (file: string) => !/:\/\//.test(file) && file !== '-' && !file.startsWith('/dev/');
  return c.args.flatMap((a, i) => {
    if (a.value === '-r' || a.value === '--requirement') return c.args[i + 1] && local(c.args[i + 1]!.value) ? [[c.args[i + 1]!.value]] : [];
    const joined = /^(?:-r|--requirement=)(.+)$/.exec(a.value);
    return joined && local(joined[1]!) ? [[joined[1]!]] : [];
  });
}

export const INSTALLS: readonly DependencyInstall[] = [
  { is: (c) => /^pip3?(?:\.\d+)?$/.test(c.program) && c.args[0]?.value === 'install' && hasOption(c.args, 'r', ['requirement']), manifests: ['requirements*.txt'], needs: requirementFiles },
  { is: (c) => c.program === 'poetry' && c.args[0]?.value === 'install', manifests: ['pyproject.toml', 'poetry.lock'] },
  { is: (c) => c.program === 'uv' && (c.args[0]?.value === 'sync' || (c.args[0]?.value === 'pip' && c.args[1]?.value === 'install' && hasOption(c.args, 'r', ['requirement']))), manifests: ['pyproject.toml', 'uv.lock'] },
  // `pipenv install` writes a Pipfile when there is none; `pipenv sync` needs the lock.
  { is: (c) => c.program === 'pipenv' && ['install', 'sync'].includes(c.args[0]?.value ?? ''), manifests: ['Pipfile', 'Pipfile.lock'], needs: (c) => (c.args[0]?.value === 'sync' ? [['Pipfile.lock']] : []) },
  { is: (c) => c.program === 'pdm' && ['install', 'sync'].includes(c.args[0]?.value ?? ''), manifests: ['pyproject.toml', 'pdm.lock'] },
  {
    is: (c) => c.program === 'npm' && (c.args[0]?.value === 'ci' || (['install', 'i'].includes(c.args[0]?.value ?? '') && operands(c.args).length === 1)),
    manifests: ['package.json', 'package-lock.json'],
    // `npm ci` refuses to run without a lock file; `npm install` writes one.
    needs: (c) => [['package.json'], ...(c.args[0]?.value === 'ci' ? [['package-lock.json', 'npm-shrinkwrap.json']] : [])],
  },
  // `yarn`, `yarn install`, `yarn --frozen-lockfile`; not `yarn --version`, `yarn add x` or `yarn global add x`.
  { is: (c) => c.program === 'yarn' && yarnInstalls(c.args), manifests: ['package.json', 'yarn.lock'] },
  { is: (c) => c.program === 'pnpm' && ['install', 'i'].includes(c.args[0]?.value ?? '') && operands(c.args).length === 1, manifests: ['package.json', 'pnpm-lock.yaml'] },
  { is: (c) => c.program === 'go' && c.args[0]?.value === 'mod' && c.args[1]?.value === 'download', manifests: ['go.mod', 'go.sum'] },
  { is: (c) => c.program === 'bundle' && (c.args[0]?.value === 'install' || c.args.length === 0), manifests: ['Gemfile', 'Gemfile.lock'] },
  { is: (c) => c.program === 'composer' && c.args[0]?.value === 'install', manifests: ['composer.json', 'composer.lock'] },
  { is: (c) => c.program === 'cargo' && ['fetch', 'build'].includes(c.args[0]?.value ?? ''), manifests: ['Cargo.toml', 'Cargo.lock'] },
  { is: (c) => /^mvnw?$|\/mvnw$/.test(c.program) && c.args.some((a) => /go-offline/.test(a.value)), manifests: ['pom.xml'] },
];
