import { binSh } from '../../language/imageFamily';
import type { DockerfileModel, InstructionInfo, RunInstruction, Stage } from '../../language/model';
import { basename, commandsOf, hasOption, rootImage, stageChain, wordRange, type CommandAt } from '../../language/query';
import { FETCHERS, readsProgramFromStdin } from '../shared/downloads';
import { stageRule } from '../../engine/rule';

/** Consumers that fail by themselves on empty or cut-off input: nothing is hidden. */
const CHECKS_INPUT = /^(?:tar|bsdtar|gtar|gunzip|zcat|unxz|xzcat|bunzip2|bzcat|unzstd|zstdcat|gpg2?|apt-key|grep|egrep|fgrep|cpio|unzip|dpkg|rpm)$/;

/** Whether `command` exits 0 when its standard input is empty or truncated, so that a failed fetch before it goes unnoticed. */
function succeedsOnEmptyInput(model: DockerfileModel, command: CommandAt): boolean {
  const { program, args } = command;
  if (CHECKS_INPUT.test(program)) return false;
  if (/^(?:gzip|xz|bzip2|zstd|lzma)$/.test(program) && hasOption(args, 'd', ['decompress', 'uncompress'])) return false;
  if (/sum$/.test(program) && hasOption(args, 'c', ['check'])) return false;
  if (program === 'jq' && hasOption(args, 'e', ['exit-status'])) return false;
  // `sh -c '…'`, `sh script.sh` and `python3 get-pip.py` do not take their program from the pipe; `sh`, `sh -s -- args` and `python3 -` do.
  const fromPipe = readsProgramFromStdin(program, args);
  if (fromPipe !== undefined) return fromPipe;
  if (program === 'tee' || program === 'xargs') return true;
  // `… | wc -l > /number`, `… | cat > file`, `… | sed … > file`: an empty result lands in the file.
  return writesStdoutToFile(model.document.getText(model.rangeOf(command.command.start, command.command.end)));
}

/** `>`, `>>`, `1>`, `&>` to something other than another descriptor or /dev/null, outside quotes. */
function writesStdoutToFile(text: string): boolean {
  const bare = text.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, '""');
  return /(?:^|[\s;])(?:1|&)?>>?\|?[ \t]*(?!&|\/dev\/(?:null|stderr)\b)[^\s&|;<>]/.test(bare);
}

/** The last `SHELL` in effect at `info`: this stage's before it, else the nearest of the stages it builds on. */
function shellAt(model: DockerfileModel, stage: Stage, info: InstructionInfo): InstructionInfo | undefined {
  const chain = stageChain(model, stage);
  for (let i = chain.length - 1; i >= 0; i--) {
    const found = chain[i]!.instructions.filter((s) => s.keyword === 'SHELL' && (chain[i] !== stage || s.range.start.line < info.range.start.line)).at(-1);
    if (found) return found;
  }
  return undefined;
}

function setsPipefail(commands: readonly CommandAt[]): boolean {
  return commands.some((c) => c.program === 'set' && c.args.some((a) => a.value === 'pipefail') && c.args.some((a) => /^[-+]\w*o\w*$/.test(a.value)));
}

function advice(model: DockerfileModel, stage: Stage, run: RunInstruction): string {
  const shell = shellAt(model, stage, run.info)?.execForm?.[0];
  if (shell && basename(shell) !== 'sh') return `add \`-o pipefail\` to this stage's \`SHELL\` (\`["${shell}", "-o", "pipefail", "-c"]\`), or start the command with \`set -o pipefail &&\``;
  switch (binSh(rootImage(model, stage))) {
    case 'ash':
      return 'start the command with `set -o pipefail &&` (busybox ash has it), or set `SHELL ["/bin/ash", "-eo", "pipefail", "-c"]` before it';
    case 'bash':
      return 'start the command with `set -o pipefail &&`, or set `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before it';
    case 'dash':
      return 'set `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before it (this image\'s /bin/sh is dash, which rejects `set -o pipefail`)';
    default:
      return 'set `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before it where the image has bash (dash, Debian\'s and Ubuntu\'s /bin/sh, rejects `set -o pipefail`), or start the command with `set -o pipefail &&` where /bin/sh is busybox ash or bash';
  }
}

export const pipeWithoutPipefail = stageRule({
  meta: {
    id: 'pipe-without-pipefail',
    title: 'Download piped into a command that succeeds on empty input',
    description: 'Flags RUN pipelines that pipe curl or wget into a shell, interpreter, tee, xargs or a file without pipefail, so a failed download still passes.',
    category: 'correctness',
    severity: 'warning',
    fixable: 'never',
    aliases: { hadolint: ['DL4006'] },
    docs: {
      why: `A pipeline's exit status is that of its last command. In \`RUN curl -fsSL https://example.com/install.sh | sh\`
a failed or cut-off download gives \`sh\` empty or partial input, \`sh\` runs it and exits 0, and the build carries
on with nothing (or half of something) installed. With \`pipefail\` the pipeline fails when any part fails.

Only the pipelines where that happens are reported: a network fetch (\`curl\`, \`wget\`, \`fetch\`, \`aria2c\`) piped
into a command that succeeds on empty input: a shell or interpreter reading its program from the pipe, \`tee\`,
\`xargs\`, or a command whose output goes to a file (\`| wc -l > /number\`, \`| sed … > file\`). A consumer that
checks its input already fails the build (\`| tar -x\`, \`| gunzip\`, \`| gpg --dearmor\`, \`| apt-key add -\`,
\`| sha256sum -c -\`, \`| grep\`), and a pipeline over local files (\`dpkg --print-architecture | awk …\`,
\`find … | xargs …\`) hides no download; turning on \`pipefail\` there can even break working builds
(\`dpkg-query --search\` exits 1 when a pattern matches nothing).

Where to turn it on depends on the image's \`/bin/sh\`: busybox ash (Alpine) and bash have \`set -o pipefail\`; dash
(Debian, Ubuntu) rejects it, so those stages need \`SHELL ["/bin/bash", "-o", "pipefail", "-c"]\`, and Alpine has
no bash for that \`SHELL\` unless you install it.`,
      bad: `FROM debian:bookworm-slim
RUN curl -fsSL https://example.com/install.sh | sh`,
      good: `FROM debian:bookworm-slim
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/install.sh | sh`,
      fix: `On Debian and Ubuntu bases set \`SHELL ["/bin/bash", "-o", "pipefail", "-c"]\` before the \`RUN\`; on Alpine start
the command with \`set -o pipefail &&\` or set \`SHELL ["/bin/ash", "-eo", "pipefail", "-c"]\`. Give \`curl\` \`-f\` too:
without it an HTTP error page is piped on with exit status 0, which \`pipefail\` cannot see.`,
    },
  },
  checkStage(stage, model) {
    return stage.runs.flatMap((run) => {
      if (run.form === 'exec' || !run.posixShell) return [];
      if (shellAt(model, stage, run.info)?.execForm?.includes('pipefail')) return [];
      const commands = commandsOf(stage, run);
      if (setsPipefail(commands)) return [];
      const pipelines = new Map<number, CommandAt[]>();
      for (const c of commands) if (c.command.pipeline) pipelines.set(c.command.pipeline.id, [...(pipelines.get(c.command.pipeline.id) ?? []), c]);
      return [...pipelines.values()].flatMap((members) => {
        const size = members[0]!.command.pipeline!.size;
        // In `… | (cd x && sh)` every command of the group sits at the last position; the group's status is its last command's.
        const last = members.filter((c) => c.command.pipeline!.position === size - 1).at(-1);
        const fetch = members.find((c) => c.command.pipeline!.position < size - 1 && FETCHERS.has(basename(c.program)));
        if (!last || !fetch || !succeedsOnEmptyInput(model, last)) return [];
        const noFail = fetch.program === 'curl' && !hasOption(fetch.args, 'f', ['fail', 'fail-with-body']);
        const message =
          `If \`${fetch.program}\` fails, \`${last.program}\` still succeeds on the empty or cut-off input and the build goes on: ${advice(model, stage, run)}.` +
          (noFail ? ' Give curl `-f` as well: without it an HTTP error page is piped on with exit status 0, which pipefail cannot see.' : '');
        return [{ range: wordRange(model, fetch.nameWord), message }];
      });
    });
  },
});
