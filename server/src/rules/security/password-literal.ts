import type { ShellWord } from '../../language/shell';
import { commandsOf, hasOption, operands, productionStages, wordRange, type CommandAt } from '../../language/query';
import { stageRule, type Finding } from '../../engine/rule';

/** Programs that read a new password from standard input, and what they read: `user:password` lines or the password itself. */
const READS_PASSWORD: ReadonlyMap<string, 'user:password' | 'password'> = new Map([
  ['chpasswd', 'user:password'],
  ['passwd', 'password'],
  ['smbpasswd', 'password'],
  ['pdbedit', 'password'],
]);
const PRINTERS = new Set(['echo', 'printf']);
/**
 * Azure App Service reaches a custom container's sshd only through its own tunnel and requires exactly this
 * root password (learn.microsoft.com, "Configure a custom container for Azure App Service", Enable SSH).
 */
const AZURE_APP_SERVICE = /^root:Docker!$/;

/** A word the shell passes as written, holding a non-empty password (after `user:` for chpasswd). */
function literalPassword(word: ShellWord, shape: 'user:password' | 'password'): boolean {
  if (!word.literal || word.value.includes('$') || AZURE_APP_SERVICE.test(word.value)) return false;
  if (shape === 'password') return word.value.replace(/\\n/g, '').trim() !== '';
  return word.value.split(/\\n|\n/).some((line) => /^[^:\s]+:[^:\s]/.test(line.trim()));
}

/** `echo 'root:secret' | chpasswd`, `printf 'pw\npw\n' | passwd app`: the password words printed into a reader. */
function pipedPasswords(commands: readonly CommandAt[], reader: CommandAt, shape: 'user:password' | 'password'): ShellWord[] {
  const pipe = reader.command.pipeline;
  if (!pipe) return [];
  // `chpasswd -e` takes hashes, not passwords.
  if (reader.program === 'chpasswd' && hasOption(reader.args, 'e', ['encrypted'])) return [];
  return commands
    .filter((c) => c.command.pipeline?.id === pipe.id && c.command.pipeline.position < pipe.position && PRINTERS.has(c.program))
    // A printf format with `%` takes its values from the words after it.
    .flatMap((c) => operands(c.args).filter((w) => !(c.program === 'printf' && w.value.includes('%')) && literalPassword(w, shape)));
}

/** Password options whose value is the password itself. */
function optionPasswords(c: CommandAt): ShellWord[] {
  const args = c.args;
  switch (c.program) {
    case 'mysql':
    case 'mysqladmin':
    case 'mariadb':
    case 'mariadb-admin':
      // `-p` alone prompts; `-psecret` and `--password=secret` carry it; `mysqladmin password new` sets one.
      return args.flatMap((a, i) => {
        if (c.program.endsWith('admin') && args[i - 1]?.value === 'password') return a.literal && !a.value.includes('$') ? [a] : [];
        const value = /^-p(.+)$/.exec(a.value)?.[1] ?? /^--password=(.+)$/.exec(a.value)?.[1];
        return value !== undefined && a.literal && !value.includes('$') ? [a] : [];
      });
    case 'htpasswd': {
      // With -b the password is the operand after the file and the user.
      if (!args.some((a) => /^-[a-zA-Z]*b/.test(a.value))) return [];
      const word = operands(args)[2];
      return word && word.literal && !word.value.includes('$') ? [word] : [];
    }
    case 'openssl':
    case 'mkpasswd': {
      // A hash made from a password written in the file: the password is in the history all the same.
      if (c.program === 'openssl' && args[0]?.value !== 'passwd') return [];
      const rest = c.program === 'openssl' ? args.slice(1) : args;
      const word = rest.filter((a, i) => !a.value.startsWith('-') && !/^-(?:salt|m|S|R|-method|-salt|-rounds)$/.test(rest[i - 1]?.value ?? '')).at(-1);
      return word && word.literal && !word.value.includes('$') && !hasOption(rest, '', ['stdin']) ? [word] : [];
    }
    default:
      return [];
  }
}

export const passwordLiteral = stageRule({
  meta: {
    id: 'password-literal',
    title: 'Password written in a `RUN`',
    description: 'Flags passwords written literally in a RUN of a shipped stage (echo user:pw | chpasswd, passwd from echo, htpasswd -b, mysql -ppw, openssl passwd): they are in the image history and the same in every container.',
    category: 'security',
    severity: 'warning',
    fixable: 'never',
    aliases: {},
    docs: {
      why: `The text of every \`RUN\` is stored in the image (\`docker history --no-trunc\` prints it), so a password
written there is published with the image, along with the Dockerfile in the repository. An account password set
this way is also the same in every container: anyone who has seen the Dockerfile can log in to any of them.

Reported in the stages that end up in the image (not builder, development or test stages), when the password is
written as it is, not taken from a variable:
- \`echo 'root:secret' | chpasswd\` (not \`chpasswd -e\`, which takes hashes), \`echo secret | passwd --stdin app\`,
  \`printf 'pw\\npw\\n' | passwd app\`, the same into \`smbpasswd\` and \`pdbedit\`;
- \`htpasswd -b file user secret\`;
- \`mysql -psecret\`, \`--password=secret\` (also \`mysqladmin\`, \`mariadb\`);
- \`openssl passwd … secret\` and \`mkpasswd secret\` (the hash goes into \`useradd -p\`, the password into the history).

A password taken from a variable (\`echo "$APP_USER:$APP_PASSWORD" | chpasswd\`) is not reported here; if that
variable is an \`ARG\`, \`secrets-in-arg-env\` reports it.`,
      bad: `FROM debian:bookworm-slim
RUN useradd -m app && echo 'app:changeme' | chpasswd`,
      good: `FROM debian:bookworm-slim
# No password: log in with keys, or set one when the container starts.
RUN useradd -m app && passwd -l app`,
      fix: `Do not give image accounts passwords: lock them (\`passwd -l\`) and use keys, or set the password when the
container starts from a secret it is given at run time. Where the build itself needs a password (a database set up
during the build), pass it as a build secret: \`RUN --mount=type=secret,id=db_password,env=DB_PASSWORD …\` with
\`docker build --secret id=db_password,env=DB_PASSWORD\` (Dockerfile syntax 1.10 or later).`,
    },
  },
  checkStage(stage, model, context) {
    if (!productionStages(model, context).has(stage)) return [];
    return stage.runs.flatMap((run) => {
      const commands = commandsOf(stage, run);
      return commands.flatMap((c): Finding[] => {
        const shape = READS_PASSWORD.get(c.program);
        const words = shape ? pipedPasswords(commands, c, shape) : optionPasswords(c);
        // One finding per command, however many times it is given the password.
        const word = words[0];
        if (!word) return [];
        const login = /^(?:mysql|mariadb)$/.test(c.program) || (c.program.endsWith('admin') && !c.args.some((a) => a.value === 'password'));
        const advice = login
          ? 'Pass it as a build secret instead (`RUN --mount=type=secret,id=db_password,env=MYSQL_PWD …`).'
          : 'Every container gets the same one. Set it when the container starts, from a secret given at run time, or use keys and lock the account.';
        return [{ range: wordRange(model, word), message: `\`${c.program}\` is given a password written in the Dockerfile, which stays in the image history for anyone who pulls the image. ${advice}` }];
      });
    });
  },
});
