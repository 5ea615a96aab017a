import { hasShell } from '../engine/imageFamily';
import { keywordRange, rootBase } from './query';
import type { Rule } from './rule';

const SHELL_USERS = new Set(['RUN', 'CMD', 'ENTRYPOINT']);

export const shellFormWithoutShell: Rule = {
  meta: {
    id: 'shell-form-without-shell',
    title: 'Shell form in a stage whose image has no shell',
    description: 'Flags shell-form RUN, CMD and ENTRYPOINT on scratch or distroless, which have no /bin/sh to run them.',
    category: 'correctness',
    severity: 'error',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `The shell form means \`/bin/sh -c "…"\`. \`scratch\` has no files at all and distroless images ship the
application runtime without a shell, \`ls\` or \`cat\`. A shell-form \`RUN\` fails the build; a shell-form
\`CMD\` builds fine and then fails when the container starts, with "exec: /bin/sh: no such file or
directory". Use the JSON form, do the shell work in a build stage, or use the \`:debug\` variant (which has
busybox) while debugging.`,
      bad: `FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
CMD /app --port 8080`,
      good: `FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
CMD ["/app", "--port", "8080"]`,
      fix: `Rewrite the instruction in JSON form, or move shell steps to a build stage and \`COPY --from\` the result.`,
    },
  },
  check(model) {
    return model.stages.flatMap((stage) => {
      const base = rootBase(model, stage);
      const shellLess = base?.kind === 'scratch' || (base?.kind === 'image' && !hasShell(base.ref));
      if (!shellLess) return [];
      const image = base.kind === 'scratch' ? 'scratch' : base.ref.familiar;
      return stage.instructions.flatMap((info) =>
        SHELL_USERS.has(info.keyword) && !info.execForm && info.args.length > 0
          ? [{ range: keywordRange(info), message: `\`${image}\` has no shell, so this shell-form ${info.keyword} cannot run. Use the JSON form.` }]
          : [],
      );
    });
  },
};
