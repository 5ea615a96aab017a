import type { DockerfileModel, Stage } from '../../language/model';
import { commandsOf, copySpec, hasOption, productionStages, stageNamed, wordRange, type CommandAt } from '../../language/query';
import { stageRule, type Finding } from '../../engine/rule';
import { looksSecret } from '../shared/secretNames';
import { absolutePath, commandText, filesWritten, removedBy, workdirAt } from '../shared/shellWrites';

interface Generated {
  /** What it makes, for the message: `SSH host keys`. */
  readonly what: string;
  /** Where it writes, as written; empty when the command does not say (printed, or a default place). */
  readonly paths: readonly string[];
}

/** ssh-keygen options that inspect, convert or sign keys rather than make one. */
const SSH_KEYGEN_OTHER = 'lFRyeiLQkDHrYpcBGTMs';
/** Secrets by what their destination is called: `SECRET_KEY=$(…)`, `> /etc/app/jwt_secret`, `sed -i "s/SECRET_KEY = …/…$(…)/"`. */
const SECRET_CONTEXT = /secret|passw(?:or)?d|token|api[_-]?key|private|signing|jwt|session[_-]?key|encryption[_-]?key/i;
/** Python one-liners that make a secret: Django's key helper, the `secrets` module, Fernet keys. */
const PYTHON_SECRET = /get_random_secret_key|secrets\.token_|Fernet\.generate_key/;

function optionValue(c: CommandAt, ...names: string[]): string[] {
  return c.args.flatMap((a, i) => (names.includes(a.value) && c.args[i + 1] ? [c.args[i + 1]!.value] : []));
}

/** The text of the commands whose `$(…)` holds `c`: what its output is assigned to or written into. */
function enclosingText(model: DockerfileModel, commands: readonly CommandAt[], c: CommandAt): string {
  const run = model.document.getText(c.run.info.range);
  const runStart = model.document.offsetAt(c.run.info.range.start);
  // An assignment right before the substitution (`KEY=$(…)`, `export KEY="$(…)"`) has no command of its own.
  const before = run.slice(0, c.command.start - runStart);
  const assigned = /(\w+)=["']?\$\(\s*$/.exec(before)?.[1];
  const around = commands.filter((o) => o !== c && o.command.start < c.command.start && o.command.end >= c.command.end).map((o) => commandText(model, o));
  return [assigned && looksSecret(assigned) ? assigned : '', ...around].join(' ');
}

/** What `c` generates, if it makes a key or a secret. */
function generated(model: DockerfileModel, commands: readonly CommandAt[], c: CommandAt): Generated | undefined {
  const args = c.args.map((a) => a.value);
  switch (c.program) {
    case 'ssh-keygen':
      if (hasOption(c.args, SSH_KEYGEN_OTHER)) return undefined;
      return hasOption(c.args, 'A') ? { what: 'SSH host keys', paths: ['/etc/ssh'] } : { what: 'an SSH key pair', paths: optionValue(c, '-f') };
    case 'dropbearkey':
      return { what: 'an SSH host key', paths: optionValue(c, '-f') };
    case 'wg':
      return args[0] === 'genkey' ? { what: 'a WireGuard private key', paths: filesWritten(model, c) } : undefined;
    case 'keytool':
      return args.some((a) => /^-genkey(?:pair)?$/.test(a)) ? { what: 'a key store with a private key', paths: optionValue(c, '-keystore') } : undefined;
    case 'gpg':
    case 'gpg2':
      return args.some((a) => /^--(?:gen-key|generate-key|full-gen-key|full-generate-key|quick-gen-key|quick-generate-key)$/.test(a)) ? { what: 'a GPG private key', paths: [] } : undefined;
    case 'openssl':
      return opensslKey(c) ?? opensslRand(model, commands, c);
    default:
      if (/^python[\d.]*$/.test(c.program) && hasOption(c.args, 'c') && PYTHON_SECRET.test(commandText(model, c))) return { what: 'a secret key', paths: filesWritten(model, c) };
      return undefined;
  }
}

function opensslKey(c: CommandAt): Generated | undefined {
  const [sub, ...rest] = c.args.map((a) => a.value);
  const out = [...optionValue(c, '-out'), ...optionValue(c, '-keyout')];
  if (sub === 'genrsa' || sub === 'genpkey' || sub === 'gendsa' || (sub === 'ecparam' && rest.includes('-genkey'))) return { what: 'a private key', paths: optionValue(c, '-out') };
  // `req -new -key k.pem` makes a request for a key that exists; `-newkey`, or `-new`/`-x509` without `-key`, makes the key too.
  if (sub === 'req' && (rest.includes('-newkey') || ((rest.includes('-new') || rest.includes('-x509')) && !rest.includes('-key')))) return { what: 'a private key', paths: optionValue(c, '-keyout').length > 0 ? optionValue(c, '-keyout') : out };
  return undefined;
}

/** `openssl rand` is also used for nonces and names; it is a secret when where it goes says so. */
function opensslRand(model: DockerfileModel, commands: readonly CommandAt[], c: CommandAt): Generated | undefined {
  if (c.args[0]?.value !== 'rand') return undefined;
  const pipeline = c.command.pipeline;
  const last = pipeline ? commands.find((o) => o.command.pipeline?.id === pipeline.id && o.command.pipeline.position === pipeline.size - 1) : undefined;
  const paths = [...optionValue(c, '-out'), ...filesWritten(model, c), ...(last ? filesWritten(model, last) : [])];
  const secret = paths.some((p) => SECRET_CONTEXT.test(p.slice(p.lastIndexOf('/') + 1))) || SECRET_CONTEXT.test(enclosingText(model, commands, c));
  return secret ? { what: 'a random secret', paths } : undefined;
}

function message(what: string, how: string): string {
  return `${how} ${what} at build time: it is part of the image, so every container has the same secret and anyone who pulls the image can read it. Generate it when the container starts (in the entrypoint), or give it at run time (a mounted secret or volume).`;
}

export const secretGeneratedInImage = stageRule({
  meta: {
    id: 'secret-generated-in-image',
    title: 'Key or secret generated at build time',
    description: 'Flags ssh-keygen, openssl key generation, Django secret keys and similar in a stage that ends up in the image: every container shares the secret, and everyone who pulls the image has it.',
    category: 'security',
    severity: 'warning',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `A key made in a \`RUN\` is part of a layer. Every container started from the image has the same one, and
anyone who can pull the image can read it. For SSH host keys (\`ssh-keygen -A\`) that means every container answers
with the same host identity, so a man in the middle who pulled the image can pose as any of them; for a TLS key it
means the private key of the certificate is public; for a framework's secret key (Django's \`SECRET_KEY\`, a JWT
signing key) it means anyone can forge sessions and tokens for every deployment of the image.

Reported in the stages that end up in the image (the build target and the stages it builds on), and in a builder
stage when a shipped stage copies the generated file out of it (\`COPY --from=certs /certs …\`); not in development
or test stages:
- \`ssh-keygen\` making keys (not \`-l\`, \`-y\`, \`-F\`, \`-R\` and the other options that read or convert keys), \`dropbearkey\`;
- \`openssl genrsa\`, \`genpkey\`, \`gendsa\`, \`ecparam -genkey\`, and \`openssl req\` with \`-newkey\` or \`-x509\`/\`-new\`
  without \`-key\` (a self-signed certificate with a new key);
- \`wg genkey\`, \`keytool -genkeypair\`, \`gpg --gen-key\` and its variants;
- \`python -c\` with Django's \`get_random_secret_key\`, \`secrets.token_*\` or \`Fernet.generate_key\`;
- \`openssl rand\` when its output goes to something named like a secret (\`SECRET_KEY=$(openssl rand -hex 32)\`,
  \`> /etc/app/jwt_secret\`); other uses (nonces, random names) are not secrets.

A key removed again in the same \`RUN\` (a signing key used once) is not reported. Installing \`openssh-server\` on
Debian or Ubuntu also generates host keys in its install script; that is not detected.`,
      bad: `FROM alpine:3.21
RUN apk add --no-cache openssh && ssh-keygen -A
CMD ["/usr/sbin/sshd", "-D", "-e"]`,
      good: `FROM alpine:3.21
RUN apk add --no-cache openssh
COPY entrypoint.sh /entrypoint.sh
# entrypoint.sh: ssh-keygen -A && exec "$@"
ENTRYPOINT ["/entrypoint.sh"]
CMD ["/usr/sbin/sshd", "-D", "-e"]`,
      fix: `Move the generation to container start (an entrypoint script that creates the key when it is missing, so a
volume can keep it), or create the key outside the image and give it to the container at run time: a mounted secret,
a volume, or an environment variable for secret keys. For a self-signed certificate that only a test setup uses, build
it in a test stage or file.`,
    },
  },
  // The shipped stages that copy out of this one use it directly, so they are in its key.
  checkStage(stage, model, context) {
    const shipped = productionStages(model, context);
    if (!shipped.has(stage) && !copiedOnward(model, stage, shipped)) return [];
    return stage.runs.flatMap((run) => {
      const commands = commandsOf(stage, run);
      return commands.flatMap((c, index): Finding[] => {
        const made = generated(model, commands, c);
        if (!made) return [];
        const dir = workdirAt(model, stage, run.info.range.start.line);
        if (made.paths.length > 0 && made.paths.every((p) => removedBy(commands.slice(index + 1), p, dir))) return [];
        if (!shipped.has(stage) && !made.paths.some((p) => reachesImage(model, stage, shipped, absolutePath(p, dir)))) return [];
        const how = shipped.has(stage) ? `\`${c.program}\` generates` : `\`${c.program}\` generates, in a stage a shipped stage copies from,`;
        return [{ range: wordRange(model, c.nameWord), message: message(made.what, how) }];
      });
    });
  },
});

/** `COPY --from` sources that shipped stages take out of `stage` (relative ones from its root, as BuildKit reads them). */
function copiedOut(model: DockerfileModel, stage: Stage, shipped: ReadonlySet<Stage>): string[] {
  return [...shipped].flatMap((user) =>
    user.instructions.flatMap((info) => {
      if (info.keyword !== 'COPY') return [];
      const spec = copySpec(info);
      if (spec.from === undefined || stageNamed(model, spec.from, user.index) !== stage) return [];
      return spec.sources.flatMap((s) => absolutePath(s.value, '/') ?? []);
    }),
  );
}

function copiedOnward(model: DockerfileModel, stage: Stage, shipped: ReadonlySet<Stage>): boolean {
  return copiedOut(model, stage, shipped).length > 0;
}

/** Whether a file made at `path` in `stage` is copied into a shipped stage (the file itself or a folder above it). */
function reachesImage(model: DockerfileModel, stage: Stage, shipped: ReadonlySet<Stage>, path: string | undefined): boolean {
  if (path === undefined) return false;
  return copiedOut(model, stage, shipped).some((source) => source === '/' || path === source || path.startsWith(`${source}/`));
}
