import { formatBytes } from '../../language/format';
import { commandsOf } from '../../language/query';
import { stageRule } from '../../engine/rule';

/** Installs that compile native code on musl, where an Alpine suggestion needs a warning. */
const NATIVE_INSTALLERS = /^(?:pip3?(?:\.\d+)?|npm|yarn|pnpm)$/;

export const smallerVariant = stageRule({
  meta: {
    id: 'smaller-variant',
    title: 'A smaller variant of the same version exists',
    description: 'Flags base images with a -slim or -alpine variant of the same version that downloads much less, with the real sizes (needs registry data).',
    category: 'image-size',
    severity: 'info',
    fixable: 'never',
    aliases: {},
    facts: ['compressedSize', 'smallerVariant'],
    docs: {
      why: `Every megabyte of the base image is downloaded by every build machine and every node that runs the
container, and stored in every registry it passes through. The full official images carry compilers, headers
and tools a running application rarely needs, and each package is a vulnerability to triage. The \`-slim\`
variant of the same version usually cuts the download by two thirds; \`-alpine\` goes further but uses musl
(see \`alpine-native-build\`). dockwise compares the compressed sizes the registry reports and mentions a
variant only when it saves at least a fifth.`,
      bad: `FROM python:3.12.7`,
      good: `FROM python:3.12.7-slim`,
      fix: `Switch to the variant named in the message, and install the few packages you miss explicitly. For Alpine,
check first that your Python or Node dependencies have musl builds.`,
    },
  },
  checkStage(stage, _model, context) {
    const base = stage.base;
    if (base?.kind !== 'image') return [];
    const facts = context.images?.(base.ref);
    const smaller = facts?.smallerVariant;
    if (!facts?.compressedSize || !smaller) return [];
    const builds = stage.runs.some((run) => commandsOf(stage, run).some((c) => NATIVE_INSTALLERS.test(c.program)));
    const musl = smaller.tag.endsWith('-alpine') && builds ? ' (Alpine uses musl: this stage installs Python/Node packages, which may then compile from source)' : '';
    const saved = Math.round((1 - smaller.compressedSize / facts.compressedSize) * 100);
    // Below a fifth, the switch is not worth a message.
    if (saved < 20) return [];
    return [
      {
        range: base.source.spans.tag ?? base.source.spans.name,
        message: `\`${smaller.tag}\` is the same version at ${formatBytes(smaller.compressedSize)} instead of ${formatBytes(facts.compressedSize)} (${saved}% less to download)${musl}.`,
        data: { tag: smaller.tag },
      },
    ];
  },
});
