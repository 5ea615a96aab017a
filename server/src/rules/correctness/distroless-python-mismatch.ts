import { pythonVersion } from '../../language/imageFamily';
import type { DockerfileModel, Stage } from '../../language/model';
import { cleanPath, copyOperands } from '../../language/contextPaths';
import { commandsOf, rootImage, stageChain, stageNamed } from '../../language/query';
import type { Rule } from '../../engine/rule';

/** Where installed packages (and compiled extensions) live, as opposed to plain `.py` files. */
const INSTALLED = /(?:^|\/)(?:site-packages|dist-packages|\.?venv|virtualenv|\.local)(?:\/|$)|^usr\/(?:local\/)?lib\/python3|^root\/\.local(?:\/|$)|^home\/[^/]+\/\.local(?:\/|$)/;

/** Folders the source stage installs packages or virtualenvs into: `pip install --target/--prefix`, `python -m venv`. */
function installFolders(model: DockerfileModel, stage: Stage): string[] {
  const folders: string[] = [];
  for (const s of stageChain(model, stage)) {
    for (const run of s.runs) {
      for (const c of commandsOf(s, run)) {
        const words = c.args.map((a) => a.value);
        const pip = /^pip3?(?:\.\d+)?$/.test(c.program) || words.includes('pip');
        words.forEach((w, i) => {
          const next = words[i + 1];
          const joined = /^--(?:target|prefix|root)=(.+)$/.exec(w);
          if (pip && joined) folders.push(joined[1]!);
          else if (pip && ['--target', '-t', '--prefix', '--root'].includes(w) && next) folders.push(next);
          else if (pip && w === '--user') folders.push('/root/.local');
          else if (w === 'venv' && next && (words[i - 1] === '-m' || c.program === 'uv') && !next.startsWith('-')) folders.push(next);
        });
        if ((c.program === 'virtualenv' || c.program === 'pyvenv') && words.at(-1)) folders.push(words.at(-1)!);
      }
    }
  }
  return folders.filter((f) => !f.includes('$')).map(cleanPath);
}

export const distrolessPythonMismatch: Rule = {
  meta: {
    id: 'distroless-python-mismatch',
    title: 'Build stage Python differs from the distroless Python it copies into',
    description: 'Flags installed packages or virtualenvs built with one Python minor version and copied into a distroless Python image that runs another.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `\`gcr.io/distroless/python3-debian12\` ships Debian's own Python, 3.11 (debian11: 3.9, debian13: 3.13).
Packages installed in a \`python:3.12\` build stage land in \`python3.12/site-packages\` and their compiled
extensions are built for 3.12's ABI: in the 3.11 final image they are not on the path, or fail to import. The
build succeeds and the container crashes at start. Only copies of installed packages are reported:
\`site-packages\`, a virtualenv, \`~/.local\`, or the folder a \`pip install --target\`/\`--prefix\` of the build
stage wrote to. Plain \`.py\` source files run on any Python 3.`,
      bad: `FROM python:3.12-slim AS build
RUN pip install --target=/deps flask
FROM gcr.io/distroless/python3-debian12
COPY --from=build /deps /deps`,
      good: `FROM python:3.11-slim AS build
RUN pip install --target=/deps flask
FROM gcr.io/distroless/python3-debian12
COPY --from=build /deps /deps`,
      fix: `Use \`python:<same minor>-slim\` for the build stage (3.11 for debian12, 3.9 for debian11).`,
    },
  },
  check(model) {
    return model.stages.flatMap((stage) => {
      const finalImage = rootImage(model, stage);
      const runtime = finalImage?.domain === 'gcr.io' ? pythonVersion(finalImage) : undefined;
      if (!runtime) return [];
      return stage.instructions.flatMap((info) => {
        if (info.keyword !== 'COPY') return [];
        const { from, sources } = copyOperands(model, info);
        const source = from !== undefined ? stageNamed(model, from, stage.index) : undefined;
        const built = source && rootImage(model, source);
        const buildPython = built && pythonVersion(built);
        if (!source || !buildPython || buildPython === runtime) return [];
        const targets = installFolders(model, source);
        const installed = sources.some(({ value }) => {
          const path = cleanPath(value);
          return INSTALLED.test(path) || targets.some((t) => path === t || path.startsWith(`${t}/`) || (t.startsWith(`${path}/`) && path !== ''));
        });
        if (!installed) return [];
        const flag = info.flags.find((f) => f.getName().toLowerCase() === 'from');
        return [
          {
            range: flag ? (flag.getValueRange() ?? flag.getRange()) : info.range,
            message: `Stage \`${from}\` installs packages with Python ${buildPython} but \`${finalImage!.familiar}\` runs Python ${runtime}: they will not load there, and the container fails at start. Build with python:${runtime}.`,
          },
        ];
      });
    });
  },
};
