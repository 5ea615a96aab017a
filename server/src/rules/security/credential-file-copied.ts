import type { DockerfileModel, InstructionInfo, Stage } from '../../language/model';
import { basename, commandsOf, copySpec, hasOption, operands, productionStages, stageChain, wordRange, type CommandAt } from '../../language/query';
import { stageRule } from '../../engine/rule';
import { looksSecret } from '../shared/secretNames';
import { absolutePath, commandText, filesWritten, removedBy, workdirAt } from '../shared/shellWrites';

interface CredentialFile {
  /** Matched against the path as written and against where it lands. */
  readonly path: RegExp;
  readonly what: string;
  /**
   * `false` for files that are as often plain settings (`.npmrc` with `save-exact=true`, `.env` with
   * ports): reported only when the file shows it holds a secret (a later `rm`, a token written into it).
   */
  readonly alwaysSecret: boolean;
  /** SSH keys have their own BuildKit mount, which forwards the agent instead of copying a key. */
  readonly ssh?: true;
}

const CREDENTIAL_FILES: readonly CredentialFile[] = [
  { path: /(?:^|\/)id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?$/, what: 'an SSH private key', alwaysSecret: true, ssh: true },
  { path: /(?:^|\/)\.ssh$/, what: 'an `.ssh` folder, where private keys live', alwaysSecret: true, ssh: true },
  { path: /(?:^|\/)[_.]netrc$/, what: 'a `.netrc`, which holds logins and passwords for hosts', alwaysSecret: true },
  { path: /(?:^|\/)\.git-credentials$/, what: "git's stored credentials", alwaysSecret: true },
  { path: /(?:^|\/)\.pypirc$/, what: 'PyPI upload credentials', alwaysSecret: true },
  { path: /(?:^|\/)\.pgpass$/, what: 'PostgreSQL passwords', alwaysSecret: true },
  { path: /(?:^|\/)\.aws(?:\/credentials)?$/, what: 'AWS credentials', alwaysSecret: true },
  { path: /(?:^|\/)\.docker\/config\.json$/, what: 'Docker registry logins', alwaysSecret: true },
  { path: /(?:^|\/)\.(?:gem|cargo)\/credentials(?:\.toml)?$/, what: 'package registry credentials', alwaysSecret: true },
  { path: /(?:^|\/)[^/]*(?:privkey|private[-_.]?key)[^/]*$|(?:^|[/_.-])key\.pem$/i, what: 'a private key', alwaysSecret: true },
  { path: /\.(?:p12|pfx)$/i, what: 'a key store, which holds private keys', alwaysSecret: true },
  { path: /(?:^|\/)\.npmrc$/, what: 'an `.npmrc`', alwaysSecret: false },
  { path: /(?:^|\/)\.yarnrc(?:\.yml)?$/, what: 'a Yarn configuration', alwaysSecret: false },
  { path: /(?:^|\/)pip\.conf$/, what: 'a pip configuration', alwaysSecret: false },
  { path: /(?:^|\/)\.m2\/settings\.xml$|(?:^|\/)settings\.xml$/, what: 'a Maven settings file', alwaysSecret: false },
  { path: /(?:^|\/)auth\.json$/, what: 'a Composer auth file', alwaysSecret: false },
  { path: /(?:^|\/)\.env(?:\.(?!example|sample|template|dist|defaults?)[\w-]+)?$/, what: 'an `.env` file', alwaysSecret: false },
];

/** Public halves and lists of hosts: nothing to hide. */
const PUBLIC = /\.(?:pub|crt|cer)$|(?:^|\/)(?:known_hosts|authorized_keys)$/;
/** What a file written by a RUN shows of a secret: a token key, a password, a login in a URL, or a variable named like one. */
const SECRET_CONTENT = /_auth(?:Token)?\b|_password\b|npmAuthToken|\bpassword\s|\/\/[^\s/:@]+:[^\s/@]+@/;

function credentialFile(path: string): CredentialFile | undefined {
  const normal = path.replace(/\/+$/, '');
  return PUBLIC.test(normal) ? undefined : CREDENTIAL_FILES.find((kind) => kind.path.test(normal));
}

function mentionsSecretVariable(text: string): boolean {
  return [...text.matchAll(/\$\{?(\w+)/g)].some((m) => looksSecret(m[1]!));
}

/** Where a source lands: the destination folder plus its name, or the destination itself for one source. */
function landsAt(source: string, dest: string | undefined, single: boolean): string | undefined {
  if (dest === undefined) return undefined;
  return single && !dest.endsWith('/') ? dest : `${dest.replace(/\/+$/, '')}/${basename(source.replace(/\/+$/, ''))}`;
}

/** The `RUN`s after `info` in its stage and in the stages that build on it, with their commands. */
function laterCommands(model: DockerfileModel, stage: Stage, info: InstructionInfo): CommandAt[] {
  return model.stages
    .filter((s) => s === stage || (s.index > stage.index && stageChain(model, s).includes(stage)))
    .flatMap((s) => s.runs.filter((r) => r.info.range.start.line > info.range.end.line).flatMap((r) => commandsOf(s, r)));
}

function secretId(path: string): string {
  return basename(path.replace(/\/+$/, '')).replace(/^[._]+/, '').replace(/[^\w-]+/g, '_').toLowerCase() || 'credential';
}

/** A mount target as BuildKit takes it: absolute, or relative to WORKDIR; `~` and `$HOME` are not expanded there. */
function mountTarget(path: string, dir: string | undefined, rootHome: boolean): string {
  const known = absolutePath(path, dir);
  if (known !== undefined) return known;
  const home = /^(?:~|\$HOME|\$\{HOME\})\//.exec(path);
  if (home) return `${rootHome ? '/root' : '<home>'}/${path.slice(home[0].length)}`;
  return path.replace(/^\.\//, '');
}

/** Whether the user at `line` is root: no `USER` before it in the stage's chain, or `USER root`/`0`. */
function rootAt(model: DockerfileModel, stage: Stage, line: number): boolean {
  const user = stageChain(model, stage).flatMap((s) => s.instructions).filter((i) => i.keyword === 'USER' && i.range.start.line < line).at(-1);
  return !user || /^(?:root|0)(?::|$)/.test(user.args[0]?.getValue() ?? '');
}

function advice(kind: CredentialFile, target: string): string {
  if (kind.ssh) return 'For git or ssh during the build, forward your SSH agent instead: `RUN --mount=type=ssh …` (build with `--ssh default`).';
  const id = secretId(target);
  return `Mount it only for the RUN that needs it: \`RUN --mount=type=secret,id=${id},target=${target} …\` (build with \`--secret id=${id},src=<file>\`).`;
}

export const credentialFileCopied = stageRule({
  meta: {
    id: 'credential-file-copied',
    title: 'Credential file in an image layer',
    description: 'Flags COPY of SSH keys, .netrc, .pypirc, cloud and registry credentials into a shipped stage, and RUNs that write a token into .npmrc or a key file without removing it in the same RUN.',
    category: 'security',
    severity: 'warning',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `Every \`COPY\` and every \`RUN\` is a layer, and a layer keeps every file it holds for anyone who pulls the
image (\`docker save\` unpacks them all). A credential copied in stays readable even when a later \`RUN rm\` deletes
it: the later layer only hides the file, the earlier one still has it. The same goes for a \`RUN\` that writes a token
into \`.npmrc\` or a key into \`~/.ssh/id_rsa\` and does not remove it before the \`RUN\` ends.

Reported in the stages that end up in the image (the build target and the stages it builds on), not in a builder
stage whose output is copied on, nor in development or test stages:
- \`COPY\`/\`ADD\` of files that always hold secrets: SSH private keys (\`id_rsa\`, \`id_ed25519\`, an \`.ssh\` folder),
  \`.netrc\`, \`.git-credentials\`, \`.pypirc\`, \`.pgpass\`, \`.aws/credentials\`, \`.docker/config.json\`, gem and
  cargo credentials, private keys named so (\`privkey.pem\`, \`server-key.pem\`) and \`.p12\`/\`.pfx\` key stores;
- \`COPY\` of files that often hold only settings (\`.npmrc\`, \`.yarnrc.yml\`, \`pip.conf\`, Maven's \`settings.xml\`,
  Composer's \`auth.json\`, \`.env\`) only when a later \`RUN\` removes them, which shows they were needed for the build
  alone and still ship in the \`COPY\`'s layer;
- a \`RUN\` that writes such a file (\`>\`, \`>>\`, \`tee\`, \`sed -i\`, \`npm config set …:_authToken\`) with a token, a
  password or a secret-named variable in it, and does not remove it in the same \`RUN\`. A secret mount does not help
  if the command copies the secret into a file that stays.

Public halves (\`*.pub\`, \`known_hosts\`, \`authorized_keys\`, certificates) are not reported.`,
      bad: `FROM node:22-slim
WORKDIR /app
COPY .npmrc package.json package-lock.json ./
RUN npm ci && rm .npmrc`,
      good: `FROM node:22-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npmrc,target=/app/.npmrc npm ci`,
      fix: `Give the build the file as a secret: \`RUN --mount=type=secret,id=npmrc,target=/app/.npmrc npm ci\`, built with
\`docker build --secret id=npmrc,src=$HOME/.npmrc .\`; the file exists only while that \`RUN\` runs. For SSH (private git
dependencies) use \`RUN --mount=type=ssh\` with \`docker build --ssh default\`. If a \`RUN\` must write the file, remove it
in the same \`RUN\`. Credentials the running container needs are given at run time (a mounted secret, a volume).`,
    },
  },
  // Whether a copied file is reported depends on the later RUNs of every stage built on this one, also
  // through another (FROM b, b FROM a): the stage's key holds those stages at any depth.
  checkStage: (stage, model, context) => (productionStages(model, context).has(stage) ? [...copiedCredentials(model, stage), ...writtenCredentials(model, stage)] : []),
});

function copiedCredentials(model: DockerfileModel, stage: Stage) {
  return stage.instructions.flatMap((info) => {
    if (info.keyword !== 'COPY' && info.keyword !== 'ADD') return [];
    const spec = copySpec(info);
    return spec.sources.flatMap((source) => {
      if (/^[a-z][\w+.-]*:\/\//i.test(source.value) || source.value.startsWith('git@')) return [];
      const target = landsAt(source.value, spec.dest?.value, spec.sources.length === 1);
      const kind = credentialFile(source.value) ?? (target !== undefined ? credentialFile(target) : undefined);
      if (!kind) return [];
      const dir = workdirAt(model, stage, info.range.start.line);
      const removed = removedBy(laterCommands(model, stage, info), target ?? source.value, dir);
      if (!kind.alwaysSecret && !removed) return [];
      const later = removed ? ' The later `rm` does not help: the file stays in this layer.' : '';
      return [{
        range: source.range,
        message: `\`${source.value}\` is ${kind.what}; ${info.keyword} puts it in a layer of the image, readable by anyone who pulls it.${later} ${advice(kind, target === undefined ? `/run/secrets/${secretId(source.value)}` : mountTarget(target, dir, rootAt(model, stage, info.range.start.line)))}`,
      }];
    });
  });
}

/** Files a command writes or edits in place, and the user config file `npm config set` writes. */
function filesChanged(model: DockerfileModel, c: CommandAt): string[] {
  if (c.program === 'sed' && c.args.some((a) => /^-[a-zA-Z]*i/.test(a.value) || a.value.startsWith('--in-place'))) {
    // The first operand is the script unless `-e`/`-f` gave it.
    const files = operands(c.args);
    return (hasOption(c.args, 'ef', ['expression', 'file']) ? files : files.slice(1)).map((a) => a.value);
  }
  if (/^(?:npm|pnpm)$/.test(c.program) && c.args[0]?.value === 'config' && c.args[1]?.value === 'set') return ['~/.npmrc'];
  return filesWritten(model, c);
}

function writtenCredentials(model: DockerfileModel, stage: Stage) {
  return stage.runs.flatMap((run) => {
    const commands = commandsOf(stage, run);
    return commands.flatMap((c, index) =>
      filesChanged(model, c).flatMap((path) => {
        const kind = credentialFile(path);
        if (!kind || removedBy(commands.slice(index + 1), path, workdirAt(model, stage, run.info.range.start.line))) return [];
        // A heredoc's body is not part of the command's own text.
        const text = commandText(model, c).includes('<<') ? model.document.getText(run.info.range) : commandText(model, c);
        if (!kind.alwaysSecret && !SECRET_CONTENT.test(text) && !mentionsSecretVariable(text)) return [];
        return [{
          range: wordRange(model, c.nameWord),
          message: `This RUN writes ${kind.alwaysSecret ? kind.what : 'a secret'} into \`${path}\` and leaves it in the layer, readable by anyone who pulls the image; removing it in a later RUN does not take it out. Remove it before this RUN ends, or better: ${advice(kind, mountTarget(path, workdirAt(model, stage, run.info.range.start.line), rootAt(model, stage, run.info.range.start.line))).replace(/^\w/, (ch) => ch.toLowerCase())}`,
        }];
      }),
    );
  });
}
