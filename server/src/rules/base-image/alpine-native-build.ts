import { isAlpine } from '../../language/imageFamily';
import { pipInstallWord } from '../../language/packageManagers';
import { commandsOf, productionStages, rootImage, stageChain, wordRange } from '../../language/query';
import { stageRule } from '../../engine/rule';

/** apk packages that mean "compile native code here". */
const TOOLCHAIN = new Set(['build-base', 'gcc', 'g++', 'musl-dev', 'python3-dev', 'linux-headers', 'libffi-dev', 'openssl-dev', 'cargo', 'rust', 'clang', 'cmake']);
/**
 * Python packages with C/C++/Rust extensions that ship glibc (manylinux) wheels but, for many
 * releases and Python versions, no musl ones. Not psycopg2: it has no wheels on any libc
 * (psycopg2-binary has them), so it compiles on Debian just the same.
 */
const NATIVE_PYTHON = new Set(['numpy', 'pandas', 'scipy', 'scikit-learn', 'grpcio', 'lxml', 'cryptography', 'pillow', 'uvloop', 'orjson', 'matplotlib', 'pyarrow', 'tensorflow', 'torch', 'pydantic-core']);

export const alpineNativeBuild = stageRule({
  meta: {
    id: 'alpine-native-build',
    title: 'Native Python packages compiled on Alpine (musl)',
    description: 'Flags shipped Alpine stages that install a compiler and pip-install a package with native extensions, which on musl often builds from source.',
    category: 'base-image',
    severity: 'info',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `Alpine uses musl as its C library. Prebuilt Python wheels are published for glibc far more often than
for musl, so on Alpine \`pip install lxml\` may compile from source: the Dockerfile needs \`build-base\`, the build
takes minutes instead of seconds, the image carries a compiler unless you clean it up, and musl's different
allocator, DNS resolver and thread stack size surprise in production. A Debian-based \`-slim\` image installs
the ready-made wheels, is often no larger in the end, and behaves like every other Linux box.

Reported when a stage of the shipped image (a build target or a stage it builds on; not a development
stage) is based on Alpine, installs a compiler toolchain with \`apk\` (the sign that something is compiled)
and \`pip install\`s a package known for native extensions (numpy, pandas, lxml, cryptography, …). A
toolchain alone is not evidence (the packages may be pure Python, and node-gyp compiles on glibc too);
an exact pin (\`pillow==2.8.0\`) may name a release that has no wheels on any libc; and a builder stage
whose results are copied into a clean Alpine stage is the pattern this rule recommends. Whether wheels
exist for a given release and Python version is not something the Dockerfile shows, so this is a hint.`,
      bad: `FROM python:3.12-alpine
RUN apk add --no-cache build-base libffi-dev
RUN pip install --no-cache-dir pandas`,
      good: `FROM python:3.12-slim-bookworm
RUN pip install --no-cache-dir pandas`,
      fix: `Use the \`-slim\` (Debian) variant of the same image, or build wheels in a separate stage and copy only the
results into Alpine.`,
    },
  },
  checkStage(stage, model, context) {
    if (!productionStages(model, context).has(stage)) return [];
    const image = rootImage(model, stage);
    if (!image || !isAlpine(image)) return [];
    // The compiler may come from a stage this one builds on, and may be removed again in the same RUN
    // (`apk del .build-deps`): either way the package was compiled here.
    const toolchain = stageChain(model, stage)
      .flatMap((s) => s.runs.flatMap((run) => commandsOf(s, run)))
      .some((c) => c.program === 'apk' && c.args.some((a) => a.value === 'add') && c.args.some((a) => TOOLCHAIN.has(a.value)));
    if (!toolchain) return [];
    const native = stage.runs
      .flatMap((run) => commandsOf(stage, run))
      .flatMap((c) => {
        const install = pipInstallWord(c);
        if (!install) return [];
        return c.args.slice(c.args.indexOf(install) + 1).filter((a) => {
          const [name, pin] = [a.value.toLowerCase().split(/[=<>~!\[;]/)[0]!, /==/.test(a.value)];
          return NATIVE_PYTHON.has(name.replace(/_/g, '-')) && !pin;
        });
      });
    const culprit = native[0];
    if (!culprit) return [];
    return [{ range: wordRange(model, culprit), message: `This Alpine stage compiles \`${culprit.value}\` with the toolchain it installs: musl wheels are rarer than glibc ones. A Debian \`-slim\` image usually installs a prebuilt wheel instead.` }];
  },
});
