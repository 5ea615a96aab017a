import { isAlpine } from '../engine/imageFamily';
import { commandsOf, rootImage, wordRange, type CommandAt } from './query';
import type { Rule } from './rule';

/** apk packages that mean "compile native code here". */
const TOOLCHAIN = new Set(['build-base', 'gcc', 'g++', 'musl-dev', 'python3-dev', 'linux-headers', 'libffi-dev', 'openssl-dev', 'cargo', 'rust', 'clang', 'cmake']);
/** Python packages with C/C++/Rust extensions that have no musl wheels for many releases. */
const NATIVE_PYTHON = new Set(['numpy', 'pandas', 'scipy', 'scikit-learn', 'grpcio', 'lxml', 'psycopg2', 'cryptography', 'pillow', 'uvloop', 'orjson', 'matplotlib', 'pyarrow', 'tensorflow', 'torch', 'pydantic-core']);

const installsPython = (c: CommandAt) => /^pip(?:3(?:\.\d+)?)?$/.test(c.program) && c.args[0]?.value === 'install';
const installsNode = (c: CommandAt) => ['npm', 'yarn', 'pnpm'].includes(c.program) && ['ci', 'install', 'i', undefined].includes(c.args[0]?.value);

export const alpineNativeBuild: Rule = {
  meta: {
    id: 'alpine-native-build',
    title: 'Native Python or Node packages built on Alpine (musl)',
    description: 'Flags Alpine stages that compile Python or Node packages from source because Alpine uses musl, not glibc.',
    category: 'base-image',
    severity: 'warning',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `Alpine uses musl as its C library. Most prebuilt Python wheels and Node native modules are built for glibc,
so on Alpine \`pip install numpy\` or \`npm ci\` with native modules compiles from source: the Dockerfile needs
\`build-base\`, the build takes minutes instead of seconds, the image carries a compiler unless you clean it
up, and musl's different allocator, DNS resolver and thread stack size surprise in production. A
Debian-based \`-slim\` image installs the ready-made wheels, is often no larger in the end, and behaves like
every other Linux box.

Reported when an Alpine stage installs a compiler toolchain with \`apk\` and also installs Python or Node
packages, or when it \`pip install\`s a package known for native extensions.`,
      bad: `FROM python:3.12-alpine
RUN apk add --no-cache build-base libffi-dev
RUN pip install --no-cache-dir pandas`,
      good: `FROM python:3.12-slim-bookworm
RUN pip install --no-cache-dir pandas`,
      fix: `Use the \`-slim\` (Debian) variant of the same image, or build wheels in a separate stage and copy only the
results into Alpine.`,
    },
  },
  check(model) {
    return model.stages.flatMap((stage) => {
      const image = rootImage(model, stage);
      if (!image || !isAlpine(image)) return [];
      const commands = stage.runs.flatMap((run) => commandsOf(stage, run));
      const installers = commands.filter((c) => installsPython(c) || installsNode(c));
      if (installers.length === 0) return [];
      // A toolchain removed again in the same RUN (`apk del .build-deps`) was installed on purpose for one step.
      const removedIn = new Set(commands.filter((c) => c.program === 'apk' && c.args[0]?.value === 'del').map((c) => c.run));
      const toolchain = commands
        .filter((c) => c.program === 'apk' && c.args.some((a) => a.value === 'add') && !removedIn.has(c.run))
        .flatMap((c) => c.args.filter((a) => TOOLCHAIN.has(a.value)));
      const native = installers.filter(installsPython).flatMap((c) => c.args.filter((a) => NATIVE_PYTHON.has(a.value.toLowerCase().split(/[=<>~!\[;]/)[0]!)));
      const culprit = toolchain[0] ?? native[0];
      if (!culprit) return [];
      const why = toolchain[0] ? `installs build tools (\`${culprit.value}\`) for Python/Node packages` : `installs \`${culprit.value}\`, which has native code`;
      return [{ range: wordRange(model, culprit), message: `This Alpine stage ${why}: on musl they compile from source. A Debian \`-slim\` image installs prebuilt wheels/modules instead.` }];
    });
  },
};
