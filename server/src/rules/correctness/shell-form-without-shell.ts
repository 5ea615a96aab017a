import { hasShell } from '../../language/imageFamily';
import type { ImageRef } from '../../language/imageRef';
import type { InstructionInfo } from '../../language/model';
import { cleanPath, copyOperands } from '../../language/contextPaths';
import { keywordRange, rootBase, stageChain } from '../../language/query';
import { stageRule, type Finding } from '../../engine/rule';

const SHELL_USERS = new Set(['RUN', 'CMD', 'ENTRYPOINT']);

/** Chainguard images that are a shell environment, whatever the tag. */
const CHAINGUARD_WITH_SHELL = new Set(['chainguard/wolfi-base', 'chainguard/busybox', 'chainguard/bash']);

const shellLess = (ref: ImageRef) => !hasShell(ref) && !(ref.domain === 'cgr.dev' && CHAINGUARD_WITH_SHELL.has(ref.path));

/** A path that is a shell or brings one: `/bin/sh`, `bash`, busybox, a whole `bin` folder. */
const SHELLISH = /(?:^|\/)(?:sh|bash|ash|dash|zsh|ksh|mksh|busybox[^/]*)$|busybox|^(?:usr\/)?bin$/;

/** A COPY or ADD that may bring a shell: a root filesystem unpacked or copied into `/`, or a shell binary. */
function bringsShell(model: Parameters<typeof copyOperands>[0], info: InstructionInfo): boolean {
  if (info.keyword !== 'COPY' && info.keyword !== 'ADD') return false;
  const { sources, dest } = copyOperands(model, info);
  if (!dest) return false;
  if (cleanPath(dest.value.replace(/^["']|["']$/g, '')) === '' && !dest.value.includes('$')) return true;
  return [...sources, dest].some((o) => SHELLISH.test(cleanPath(o.value.replace(/^["']|["']$/g, ''))));
}

export const shellFormWithoutShell = stageRule({
  meta: {
    id: 'shell-form-without-shell',
    title: 'Shell form in a stage whose image has no shell',
    description: 'Flags shell-form RUN (which fails the build), CMD and ENTRYPOINT (which fail at start) on scratch or distroless, which have no /bin/sh.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `The shell form means \`/bin/sh -c "…"\`. \`scratch\` has no files at all and distroless images ship the
application runtime without a shell, \`ls\` or \`cat\`. A shell-form \`RUN\` fails the build (an error); a shell-form
\`CMD\` or \`ENTRYPOINT\` builds fine and then fails when the container starts, with "exec: /bin/sh: no such
file or directory" (a warning). Use the JSON form, do the shell work in a build stage, or use the \`:debug\`
variant (which has busybox) while debugging. Nothing is reported once the stage (or one it builds on) sets a
\`SHELL\`, unpacks or copies a root filesystem into \`/\`, or copies in busybox or a shell; Chainguard's
\`wolfi-base\`, \`busybox\` and \`bash\` images have a shell.`,
      bad: `FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
CMD /app --port 8080`,
      good: `FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
CMD ["/app", "--port", "8080"]`,
      fix: `Rewrite the instruction in JSON form, or move shell steps to a build stage and \`COPY --from\` the result.`,
    },
  },
  checkStage(stage, model) {
    const base = rootBase(model, stage);
    if (!(base?.kind === 'scratch' || (base?.kind === 'image' && shellLess(base.ref)))) return [];
    const image = base.kind === 'scratch' ? 'scratch' : base.ref.familiar;
    const chain = stageChain(model, stage);
    const earlier = chain.slice(0, -1).flatMap((s) => s.instructions);
    if (earlier.some((i) => i.keyword === 'SHELL' || bringsShell(model, i))) return [];
    const findings: Finding[] = [];
    for (const info of stage.instructions) {
      if (info.keyword === 'SHELL' || bringsShell(model, info)) break;
      const read = info.read;
      if (!SHELL_USERS.has(info.keyword) || !read || read.json || read.rest === '') continue;
      const range = keywordRange(info);
      if (info.keyword === 'RUN') findings.push({ range, message: `\`${image}\` has no shell, so this shell-form RUN fails the build ("/bin/sh: no such file or directory"). Use the JSON form, or run it in a build stage.`, severity: 'error' });
      else findings.push({ range, message: `\`${image}\` has no shell, so this shell-form ${info.keyword} makes a container that fails at start ("exec: /bin/sh: no such file or directory"). Use the JSON form.` });
    }
    return findings;
  },
});
