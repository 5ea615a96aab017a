import { insertAt, insertLinesAfter, insertLinesBefore } from '../engine/edits';
import { nonRootUserFor, runsAsNonRoot } from '../engine/imageFamily';
import { flagNamed, instructionsNamed, keywordRange, rootBase, stageChain } from './query';
import type { Rule } from './rule';

/** Instructions that only describe how the container starts; USER goes before the first of them. */
const STARTUP = new Set(['CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'EXPOSE', 'STOPSIGNAL', 'LABEL', 'VOLUME']);

const ROOT = /^(?:root|0)(?::.*)?$/;

export const runsAsRoot: Rule = {
  meta: {
    id: 'runs-as-root',
    title: 'Final image runs as root',
    description: 'Flags a final stage with no USER, or whose last USER is root, unless its base already runs as non-root.',
    category: 'security',
    severity: 'warning',
    fixable: 'sometimes',
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
on \`scratch\` or distroless use a numeric user such as \`USER 65532:65532\`, or pick a \`:nonroot\` base. A base whose own config (read from the registry) already names a non-root user passes.

The quick fix (unsafe: the application may need to write where only root can) picks by the base image:
Debian/Ubuntu and others get \`groupadd\`/\`useradd\` right after \`FROM\`; Alpine/BusyBox get \`addgroup\`/\`adduser\`;
\`node\` images use their \`node\` user; distroless uses its built-in \`nonroot\` user; \`scratch\` and other
shell-less images get \`USER 65532:65532\`. \`USER\` goes after the last instruction that needs root and before
\`CMD\`/\`ENTRYPOINT\`, and \`COPY\`/\`ADD\` in the final stage get \`--chown\` so the user owns its files.`,
    },
  },
  check(model, context) {
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
    // The registry knows better than the name: the base image's own config may set a user.
    const configured = base?.kind === 'image' ? context.images?.(base.ref)?.user : undefined;
    if (configured && !ROOT.test(configured)) return [];
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
  fix(model) {
    const final = model.stages.at(-1);
    if (!final) return [];
    const base = rootBase(model, final);
    // A user the file already switched to before going back to root is the one to return to.
    const earlier = stageChain(model, final)
      .flatMap((stage) => instructionsNamed(stage, 'USER'))
      .map((u) => u.node.getArgumentsContent()?.trim() ?? '')
      .filter((u) => u && !ROOT.test(u) && !u.includes('$'))
      .at(-1);
    const setup = earlier ? { user: earlier, owner: earlier } : nonRootUserFor(base?.kind === 'image' ? base.ref : undefined);
    const body = final.instructions.slice(1);
    // USER goes after the last instruction that still needs root, before how the container starts.
    const lastWork = body.findLastIndex((i) => !STARTUP.has(i.keyword));
    const firstStartup = body.slice(lastWork + 1).find((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
    const userLine = firstStartup ? insertLinesBefore(model, firstStartup.range.start.line, [`USER ${setup.user}`]) : insertLinesAfter(model, body.at(-1) ?? final.instructions[0]!, [`USER ${setup.user}`]);
    const chown = body
      .filter((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && !flagNamed(i, 'chown'))
      .map((i) => insertAt(keywordRange(i).end, ` --chown=${setup.owner}`));
    const create = 'create' in setup && setup.create ? [insertLinesAfter(model, final.instructions[0]!, [`RUN ${setup.create}`])] : [];
    // Names need an /etc/passwd entry at COPY time; ids never do. Shell-less images keep root-owned files readable.
    const chownable = create.length > 0 || earlier !== undefined || setup.user === 'node';
    return [{ title: `Run as \`${setup.user}\` instead of root`, edits: [...create, ...(chownable ? chown : []), userLine], safe: false }];
  },
};
