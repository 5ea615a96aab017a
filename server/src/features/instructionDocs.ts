/**
 * What each instruction takes, as people read it: the syntax line shown by signature help, a
 * one-line summary, a snippet for completion, and its flags. The flag names come from the rules'
 * instruction table, so a flag the rules know is a flag the editor offers.
 */
import { INSTRUCTIONS } from '../language/instructionTable';

export interface Parameter {
  /** As shown in the syntax line: `--chown=<user>:<group>`, `<src>...`. */
  readonly label: string;
  readonly documentation: string;
  /** The flag name for flags; positional parameters have none. */
  readonly flag?: string;
  /** Takes every remaining argument but the ones after it (`<src>...` before `<dest>`). */
  readonly rest?: boolean;
}

export interface InstructionDoc {
  readonly summary: string;
  readonly snippet: string;
  readonly parameters: readonly Parameter[];
}

/** Flags with their syntax and what they do; the snippet is what completion inserts. */
export const FLAGS: Readonly<Record<string, { readonly label: string; readonly snippet: string; readonly documentation: string }>> = {
  platform: { label: '--platform=<os>/<arch>', snippet: '--platform=${1|linux/amd64,linux/arm64,\\$BUILDPLATFORM,\\$TARGETPLATFORM|}', documentation: 'Platform of the image to use, for multi-platform builds.' },
  mount: { label: '--mount=type=<type>,…', snippet: '--mount=type=${1|cache,bind,secret,ssh,tmpfs|},target=${2:/root/.cache}', documentation: 'Mount a cache, a secret, an SSH agent, a tmpfs or another stage for this RUN only.' },
  network: { label: '--network=<default|none|host>', snippet: '--network=${1|default,none,host|}', documentation: 'Network access of this RUN.' },
  security: { label: '--security=<sandbox|insecure>', snippet: '--security=${1|sandbox,insecure|}', documentation: 'Run with elevated privileges (needs the builder to allow it).' },
  device: { label: '--device=<name>', snippet: '--device=${1:name}', documentation: 'Expose a CDI device to this RUN (labs syntax).' },
  from: { label: '--from=<stage|image|index>', snippet: '--from=${1:stage}', documentation: 'Copy from an earlier stage, an image or a named build context instead of the build context.' },
  chown: { label: '--chown=<user>:<group>', snippet: '--chown=${1:user}:${2:group}', documentation: 'Owner of the copied files (otherwise root).' },
  chmod: { label: '--chmod=<perms>', snippet: '--chmod=${1:644}', documentation: 'Permissions of the copied files.' },
  link: { label: '--link', snippet: '--link', documentation: 'Copy into an independent layer, so it survives changes to earlier layers in the cache.' },
  parents: { label: '--parents', snippet: '--parents', documentation: 'Keep the parent directories of the sources.' },
  exclude: { label: '--exclude=<pattern>', snippet: '--exclude=${1:pattern}', documentation: 'Leave out files matching the pattern.' },
  'keep-git-dir': { label: '--keep-git-dir', snippet: '--keep-git-dir', documentation: 'Keep the .git directory when adding a Git repository.' },
  checksum: { label: '--checksum=<sha256:…>', snippet: '--checksum=sha256:${1}', documentation: 'Verify a remote file against this checksum.' },
  unpack: { label: '--unpack', snippet: '--unpack', documentation: 'Unpack a remote archive (local archives are always unpacked).' },
  interval: { label: '--interval=<duration>', snippet: '--interval=${1:30s}', documentation: 'Time between checks (default 30s).' },
  timeout: { label: '--timeout=<duration>', snippet: '--timeout=${1:30s}', documentation: 'Time a check may take before it counts as failed (default 30s).' },
  'start-period': { label: '--start-period=<duration>', snippet: '--start-period=${1:5s}', documentation: 'Start-up time during which failures do not count (default 0s).' },
  'start-interval': { label: '--start-interval=<duration>', snippet: '--start-interval=${1:5s}', documentation: 'Time between checks during the start period (default 5s).' },
  retries: { label: '--retries=<n>', snippet: '--retries=${1:3}', documentation: 'Consecutive failures before the container is unhealthy (default 3).' },
};

const positional = (label: string, documentation: string, rest = false): Parameter => ({ label, documentation, ...(rest ? { rest } : {}) });

const DOCS: Readonly<Record<string, Omit<InstructionDoc, 'parameters'> & { readonly positional: readonly Parameter[] }>> = {
  FROM: { summary: 'Start a build stage from a base image.', snippet: 'FROM ${1:image}:${2:tag}', positional: [positional('<image>[:<tag>|@<digest>]', 'The base image, or an earlier stage by name.'), positional('[AS <name>]', 'Name this stage so later stages can use it.')] },
  RUN: { summary: 'Run a command in a new layer.', snippet: 'RUN ${1:command}', positional: [positional('<command>', 'Shell form, run by the stage\'s shell; or exec form ["program", "arg"].', true)] },
  CMD: { summary: 'Default command (or default arguments to ENTRYPOINT) of the container.', snippet: 'CMD ["${1:executable}", "${2:arg}"]', positional: [positional('["executable", "arg", …]', 'Exec form: the program gets signals directly. Shell form wraps it in /bin/sh -c.', true)] },
  LABEL: { summary: 'Add metadata to the image.', snippet: 'LABEL ${1:key}="${2:value}"', positional: [positional('<key>=<value> …', 'One or more key=value pairs.', true)] },
  MAINTAINER: { summary: 'Deprecated: use LABEL org.opencontainers.image.authors.', snippet: 'MAINTAINER ${1:name}', positional: [positional('<name>', 'Author of the image.')] },
  EXPOSE: { summary: 'Document the ports the container listens on.', snippet: 'EXPOSE ${1:8080}', positional: [positional('<port>[/<protocol>] …', 'Ports, optionally with tcp (default) or udp.', true)] },
  ENV: { summary: 'Set environment variables for later instructions and the container.', snippet: 'ENV ${1:NAME}=${2:value}', positional: [positional('<key>=<value> …', 'One or more key=value pairs.', true)] },
  ADD: { summary: 'Copy files, URLs or Git repositories into the image; archives are unpacked.', snippet: 'ADD ${1:src} ${2:dest}', positional: [positional('<src>…', 'Files in the build context, URLs or Git repositories.', true), positional('<dest>', 'Destination in the image.')] },
  COPY: { summary: 'Copy files from the build context or another stage into the image.', snippet: 'COPY ${1:src} ${2:dest}', positional: [positional('<src>…', 'Files or directories in the build context (or the --from stage).', true), positional('<dest>', 'Destination in the image; ends with / for a directory.')] },
  ENTRYPOINT: { summary: 'The program the container runs.', snippet: 'ENTRYPOINT ["${1:executable}"]', positional: [positional('["executable", "arg", …]', 'Exec form, so the program is PID 1 and receives signals.', true)] },
  VOLUME: { summary: 'Declare mount points for external volumes.', snippet: 'VOLUME ["${1:/data}"]', positional: [positional('<path> …', 'Paths in the image.', true)] },
  USER: { summary: 'User (and group) for later instructions and the container.', snippet: 'USER ${1:app}', positional: [positional('<user>[:<group>]', 'Name or numeric id.')] },
  WORKDIR: { summary: 'Working directory for later instructions and the container.', snippet: 'WORKDIR ${1:/app}', positional: [positional('<path>', 'An absolute path; created if missing.')] },
  ARG: { summary: 'Declare a build argument, optionally with a default.', snippet: 'ARG ${1:NAME}=${2:default}', positional: [positional('<name>[=<default>] …', 'Build arguments, set with --build-arg.', true)] },
  ONBUILD: { summary: 'Instruction to run when this image is used as a base.', snippet: 'ONBUILD ${1:instruction}', positional: [positional('<instruction>', 'Any instruction but FROM, ONBUILD and MAINTAINER.', true)] },
  STOPSIGNAL: { summary: 'Signal that stops the container.', snippet: 'STOPSIGNAL ${1:SIGTERM}', positional: [positional('<signal>', 'A name such as SIGTERM, or a number.')] },
  HEALTHCHECK: { summary: 'How to check that the container still works.', snippet: 'HEALTHCHECK --interval=${1:30s} CMD ${2:curl -f http://localhost/ || exit 1}', positional: [positional('CMD <command> | NONE', 'The check command, or NONE to turn off an inherited check.', true)] },
  SHELL: { summary: 'Shell used by the shell form of later instructions.', snippet: 'SHELL ["${1:/bin/bash}", "-o", "pipefail", "-c"]', positional: [positional('["executable", "parameters"]', 'Exec form only.', true)] },
};

export const INSTRUCTION_DOCS: Readonly<Record<string, InstructionDoc>> = Object.fromEntries(
  Object.entries(DOCS).map(([keyword, doc]) => [
    keyword,
    {
      summary: doc.summary,
      snippet: doc.snippet,
      parameters: [...(INSTRUCTIONS[keyword] ?? []).flatMap((name) => (FLAGS[name] ? [{ label: `[${FLAGS[name].label}]`, documentation: FLAGS[name].documentation, flag: name }] : [])), ...doc.positional],
    },
  ]),
);

/** The syntax line of an instruction, as signature help shows it. */
export function syntaxLine(keyword: string): string {
  return [keyword, ...(INSTRUCTION_DOCS[keyword]?.parameters ?? []).map((p) => p.label)].join(' ');
}

/** Options of `RUN --mount=`, per BuildKit's reference. */
export const MOUNT_OPTIONS: readonly string[] = ['type', 'target', 'source', 'from', 'id', 'sharing', 'mode', 'uid', 'gid', 'readonly', 'required', 'env', 'size'];
