import { runsAsNonRoot } from '../engine/imageFamily';
import { instructionsNamed, keywordRange, rootBase, stageChain } from './query';
import type { Rule } from './rule';

const ROOT = /^(?:root|0)(?::.*)?$/;

export const runsAsRoot: Rule = {
  meta: {
    id: 'runs-as-root',
    title: 'Final image runs as root',
    description: 'Flags a final stage with no USER, or whose last USER is root, unless its base already runs as non-root.',
    category: 'security',
    severity: 'warning',
    fixable: 'never',
    aliases: { hadolint: ['DL3002'] },
    docs: {
      why: `Containers run as root unless the image says otherwise, and root in a container is root on the host's
kernel: a breakout, a writable host mount or a misconfigured capability turns an application bug into a host
compromise. Running as an unprivileged user costs one line and closes that door. Kubernetes'
\`runAsNonRoot\` policies also refuse to start images that run as root.

Only the final stage matters (build stages never run in production), and a \`USER\` in an earlier stage the
final one builds \`FROM\` counts. Bases that already run as non-root (distroless \`:nonroot\`, Chainguard)
pass.`,
      bad: `FROM python:3.12-slim
COPY app.py /app/
CMD ["python", "/app/app.py"]`,
      good: `FROM python:3.12-slim
RUN groupadd --system app && useradd --system --gid app --no-log-init app
COPY app.py /app/
USER app
CMD ["python", "/app/app.py"]`,
      fix: `Create a system user (\`useradd\` on Debian/Ubuntu, \`adduser -S\` on Alpine) and add \`USER\` before \`CMD\`;
on \`scratch\` or distroless use a numeric user such as \`USER 65532:65532\`, or pick a \`:nonroot\` base.`,
    },
  },
  check(model) {
    const final = model.stages.at(-1);
    if (!final) return [];
    const users = stageChain(model, final).flatMap((stage) => instructionsNamed(stage, 'USER'));
    const last = users.at(-1);
    if (last) {
      const value = last.node.getArgumentsContent()?.trim() ?? '';
      if (!ROOT.test(value)) return [];
      return [{ range: last.node.getArgumentsRange() ?? keywordRange(last), message: `The final image switches to \`${value}\`. Switch to an unprivileged user before CMD/ENTRYPOINT.`, data: { reason: 'root-user' } }];
    }
    const base = rootBase(model, final);
    if (base?.kind === 'image' && runsAsNonRoot(base.ref)) return [];
    if (base?.kind === 'unresolved' || base?.kind === 'invalid') return [];
    const from = model.stages[stageChain(model, final)[0]!.index]!;
    return [
      {
        range: final.from.getInstructionRange(),
        message: `The final stage has no USER, so the container runs as root${from !== final ? ' (no USER in the stages it builds on either)' : ''}. Add a USER with an unprivileged account.`,
        data: { reason: 'no-user' },
      },
    ];
  },
};
