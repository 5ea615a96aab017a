import type { ShellWord } from '../../language/shell';
import { FETCHERS, localOrUnknownHost, programWords, readsProgramFromStdin, savedAs, urlsOf, verifiesSomething } from '../shared/downloads';
import { basename, commandsOf, wordRange, type CommandAt } from '../../language/query';
import { stageRule } from '../../engine/rule';

/** A command that runs a downloaded script, and what it runs. */
interface Hit {
  readonly runner: CommandAt;
  readonly what: string;
  /** The script is in a file already: only the check is missing. */
  readonly file?: string;
}

const hit = (runner: CommandAt, what: string, file?: string): Hit => ({ runner, what, ...(file ? { file } : {}) });

function advice(file: string | undefined): string {
  const check = `(\`echo "<sha256>  ${file ?? 'install.sh'}" | sha256sum -c -\`, or \`gpg --verify\` against the publisher's key)`;
  const steps = file ? `Check the file before running it ${check}` : `Download it to a file, check it ${check}, then run the file`;
  return `${steps}; better still, install a released package or binary whose checksum you pin.`;
}

/** The fetch's URL for the message, or a word that says there is one. */
function source(fetch: CommandAt): string {
  const url = urlsOf(fetch.args)[0]?.value;
  return url ? `\`${url}\`` : `what \`${fetch.program}\` downloads`;
}

/** Every URL of the fetch points at this machine or a private network, or at a host only a variable names. */
function onlyLocal(fetch: CommandAt): boolean {
  const urls = urlsOf(fetch.args);
  return urls.length > 0 && urls.every((u) => localOrUnknownHost(u.value) && !u.value.includes('$'));
}

/** `curl … | sh`, `wget -O- … | sudo bash -s --`, `curl … | python3 -`: a later part of the pipeline runs what the fetch prints. */
function pipedIntoShell(commands: readonly CommandAt[]): Hit[] {
  const hits: Hit[] = [];
  for (const runner of commands) {
    const pipe = runner.command.pipeline;
    if (!pipe || readsProgramFromStdin(runner.program, runner.args) !== true) continue;
    const fetch = commands.find((c) => c.command.pipeline?.id === pipe.id && c.command.pipeline.position < pipe.position && FETCHERS.has(c.program));
    if (fetch && !onlyLocal(fetch)) hits.push(hit(runner, `\`${runner.program}\` runs a script piped from ${source(fetch)} without checking it`));
  }
  return hits;
}

/** `sh -c "$(curl …)"`, `bash <(curl …)`, `eval "$(wget -qO- …)"`, `. <(curl …)`: the fetch is the program. */
function substitutedIntoShell(commands: readonly CommandAt[]): Hit[] {
  return commands.flatMap((runner) => {
    const words = programWords(runner.program, runner.args);
    const inside = (w: ShellWord) => commands.find((c) => FETCHERS.has(c.program) && c.command.start >= w.start && c.command.end <= w.end);
    const fetch = words.map(inside).find((c) => c !== undefined);
    return fetch && !onlyLocal(fetch) ? [hit(runner, `\`${runner.program}\` runs a script fetched from ${source(fetch)} without checking it`)] : [];
  });
}

const SCRIPT = /\.(?:sh|bash|py|pl|rb|js|php)$/;

/** `curl -o install.sh … && sh install.sh`, `wget …/get-pip.py && python3 get-pip.py`, `chmod +x x.sh && ./x.sh`, with no checksum or signature checked in between. */
function downloadedThenRun(commands: readonly CommandAt[]): Hit[] {
  const hits: Hit[] = [];
  commands.forEach((fetch, at) => {
    const file = FETCHERS.has(fetch.program) && !onlyLocal(fetch) ? savedAs(fetch.program, fetch.args) : undefined;
    if (!file) return;
    const name = basename(file);
    const later = commands.slice(at + 1);
    // Given to a shell or interpreter, or run by its path when its name says it is a script (a binary run so is another question).
    const runner = later.find((c) => programWords(c.program, c.args).some((w) => basename(w.value) === name) || (c.nameWord.value.includes('/') && c.program === name && SCRIPT.test(name)));
    if (!runner || verifiesSomething(later.slice(0, later.indexOf(runner)))) return;
    hits.push(hit(runner, `\`${runner.nameWord.value}\` runs \`${name}\`, downloaded from ${source(fetch)}, without checking it first`, name));
  });
  return hits;
}

export const remoteScriptPiped = stageRule({
  meta: {
    id: 'remote-script-piped',
    title: 'Remote script run without checking it',
    description: 'Flags RUN commands that run a script straight from the network (curl piped into sh, sh -c "$(curl …)", bash <(curl …)) or download a script and run it with no checksum or signature check.',
    category: 'security',
    severity: 'warning',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `\`curl https://example.com/install.sh | sh\` runs, as root in the build, whatever that URL serves at that
moment: a compromised or moved site, a hijacked domain or a proxy in the way changes what goes into the image,
and nothing in the build notices. Install scripts usually fetch more binaries the same way, so the image cannot
be rebuilt the same twice. TLS only proves who answered, not what they sent.

Reported: a shell or interpreter that reads its program from a pipe fed by \`curl\`, \`wget\`, \`fetch\` or
\`aria2c\` (\`| sh\`, \`| sudo -E bash -\`, \`| bash -s -- --version 2\`, \`| python3 -\`); a download given to a shell
as its program (\`sh -c "$(curl …)"\`, \`bash <(curl …)\`, \`eval "$(wget -qO- …)"\`, \`. <(curl …)\`); and a script
downloaded to a file (\`.sh\`, \`.py\`, \`.pl\`, \`.rb\`, \`.js\`, \`.php\`) and run later in the same \`RUN\` with no
checksum or signature check in between. Not reported: a checked download (\`sha256sum -c\`, \`shasum -a 256 -c\`,
\`gpg --verify\`, \`gpgv\`, \`cosign verify-blob\`, \`minisign -V\`, or a digest computed to compare), \`python3 -c …\`
reading a download as data (\`curl … | python3 -c 'import json,sys; …'\`), and fetches from this machine or a
private network (\`http://localhost\`, \`http://10.…\`, single-label names such as \`http://nexus:8081\`).

This is a security finding; \`pipe-without-pipefail\` reports the same pipelines for a different reason (a failed
download is not noticed).`,
      bad: `FROM debian:bookworm-slim
RUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash -`,
      good: `FROM debian:bookworm-slim
ARG NODE_SETUP_SHA256=<sha256 of the script you reviewed>
RUN curl -fsSL -o /tmp/setup.sh https://deb.nodesource.com/setup_20.x \\
 && echo "$NODE_SETUP_SHA256  /tmp/setup.sh" | sha256sum -c - \\
 && bash /tmp/setup.sh && rm /tmp/setup.sh`,
      fix: `Download the script to a file, check it against a SHA-256 you took when you reviewed it (\`echo "<sha256>  file" |
sha256sum -c -\`) or against the publisher's signature (\`gpg --verify\`), then run the file. Often better: install
what the script would install directly, from the distribution's packages, from the vendor's signed apt or yum
repository, or as a released binary fetched with \`ADD --checksum=sha256:…\`. There is no quick fix: the checksum
has to come from a copy you trust.`,
    },
  },
  checkStage(stage, model) {
    return stage.runs.flatMap((run) => {
      if (run.form === 'exec' || !run.posixShell || run.script.broken) return [];
      const commands = commandsOf(stage, run);
      const hits = [...pipedIntoShell(commands), ...substitutedIntoShell(commands), ...downloadedThenRun(commands)];
      const seen = new Set<CommandAt>();
      return hits.flatMap(({ runner, what, file }) => {
        if (seen.has(runner)) return [];
        seen.add(runner);
        return [{ range: wordRange(model, runner.nameWord), message: `${what}: whoever controls that URL, or the network on the way, decides what this build runs. ${advice(file)}` }];
      });
    });
  },
});
