import { insertAt, insertLinesAfter, insertLinesBefore } from '../../language/edits';
import { defaultsToRoot, hasShell, isWindows, nonRootUserFor, runsAsNonRoot } from '../../language/imageFamily';
import type { ImageRef } from '../../language/imageRef';
import type { DockerfileModel, InstructionInfo, Stage } from '../../language/model';
import { basename, commandsOf, flagNamed, instructionsNamed, isDevelopmentOnly, keywordRange, operands, rootBase, stageChain, stageNamed, targetStages } from '../../language/query';
import { stageRule, type RuleContext } from '../../engine/rule';

/** Instructions that only describe how the container starts; USER goes before the first of them. */
const STARTUP = new Set(['CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'EXPOSE', 'STOPSIGNAL', 'LABEL', 'VOLUME']);

const ROOT = /^(?:root|0)(?::.*)?$/;

/** Programs that run the next word as the real command. */
const LAUNCHERS = new Set(['tini', 'tini-static', 'dumb-init', 'catatonit', 'exec', 'env', 'nohup']);
/** Interpreters and shells that, with no script, just open a prompt: a base image to build on. */
const BARE = /^(?:python[\d.]*|node|nodejs|bash|sh|ash|dash|zsh|fish|ksh|mksh|irb|pry|pwsh|powershell|cmd|jshell|ghci|iex|erl|julia|R|php|deno|lua)$/;
/** Programs that step down to another user themselves before running the command they are given. */
const STEP_DOWN = /\b(?:gosu|su-exec|setpriv|runuser|s6-setuidgid|chpst|setuidgid)\b/;
/**
 * Bases whose own entrypoint starts as root only to prepare volumes, then steps down (`exec gosu
 * postgres`, s6's PUID/PGID): a file that keeps their ENTRYPOINT keeps that.
 */
const STEP_DOWN_BASES = /^(?:docker\.io\/library\/(?:postgres|postgis|mysql|mariadb|percona|mongo|redis|rabbitmq|cassandra|couchdb|influxdb|zookeeper|ghost|neo4j|redmine|wordpress|drupal|joomla|nextcloud|mediawiki|matomo|phpmyadmin|friendica|eclipse-mosquitto|telegraf|flink|storm)|docker\.io\/postgis\/postgis|(?:docker\.io|lscr\.io|ghcr\.io)\/linuxserver\/[\w.-]+)$/;
/** Daemons that start as root to bind ports or open files, then run as a user their config or flags name. */
const DAEMONS = /^(?:nginx|openresty|httpd|apache2|apache2-foreground|apache2ctl|apachectl|php-fpm[\d.]*|sshd|radiusd|freeradius|named|dnsmasq|haproxy|postfix|distccd(?:-init)?|squid|unbound|vsftpd|dovecot|exim4?|slapd|chronyd|ntpd|rsyslogd|cupsd)$/;
/** Bases whose default command is one of those daemons. */
const DAEMON_BASES = /^docker\.io\/(?:library\/(?:nginx|httpd|haproxy)|openresty\/openresty|nginx\/unit)$/;
/**
 * Tools whose work needs root: raw packets, tracing, devices and smart cards, firewalls and VPNs, kernel
 * modules and benchmarks, the system libvirt and Docker sockets, certbot's /etc/letsencrypt and port 80.
 */
const NEEDS_ROOT = /^(?:nmap|masscan|zmap|tcpdump|tshark|dumpcap|ngrep|arp-scan|hping3|mtr|iftop|nethogs|strace|ltrace|bpftrace|perf|sysdig|execsnoop|opensnoop|debootstrap|iptables|ip6tables|nft|shorewall|openvpn|wg|wg-quick|wireguard-go|gparted|parted|fdisk|htop|iotop|powertop|libvirtd|virt-manager|qemu-system-[\w-]+|virsh|virt-viewer|virtualbox|VBoxManage|watchtower|pcscd|ykman|ykpersonalize|ykinfo|yubico-piv-tool|neoman|pivman|certbot|lkp|modprobe|insmod|dmidecode|smartctl|hdparm)$/;
/** RUN commands that succeed only as root: proof the base image builds, and so runs, as root. */
const ROOT_ONLY = new Set(['apt-get', 'apt', 'apk', 'yum', 'dnf', 'microdnf', 'zypper', 'pacman', 'tdnf', 'dpkg', 'useradd', 'groupadd', 'adduser', 'addgroup', 'usermod', 'update-ca-certificates']);
const USER_NAME = /^[a-z_][a-z0-9_-]*$/;
const CREATES_USER = new Set(['useradd', 'adduser', 'addgroup', 'groupadd']);

/** How the container starts, as words: ENTRYPOINT then CMD (the last of each in the chain). */
function startupWords(chain: readonly Stage[]): string[] {
  const last = (keyword: string) => chain.flatMap((stage) => instructionsNamed(stage, keyword)).at(-1);
  const words = (info: InstructionInfo | undefined): string[] => {
    if (!info) return [];
    if (info.execForm) return [...info.execForm];
    // The shell form runs through `/bin/sh -c`; its words are close enough to tell the program.
    return info.args.map((a) => a.getValue());
  };
  const entrypoint = last('ENTRYPOINT');
  // A shell-form ENTRYPOINT ignores CMD.
  return entrypoint && !entrypoint.execForm ? words(entrypoint) : [...words(entrypoint), ...words(last('CMD'))];
}

const isScript = (word: string) => /\.(?:sh|bash)$/.test(word) || /entrypoint|(?:^|[/_-])(?:start|run|init|boot|docker-init)(?:[._-]|$)/i.test(basename(word));

/**
 * The programs the container runs, in order: launchers (`tini --`, `sh -c`) are looked through,
 * and after an entrypoint script comes the command it is handed.
 */
function programsOf(words: readonly string[]): { name: string; args: string[] }[] {
  const found: { name: string; args: string[] }[] = [];
  let rest = [...words];
  while (rest.length > 0) {
    const name = basename(rest[0]!);
    if (LAUNCHERS.has(name) || name === '--' || /^\w+=/.test(rest[0]!) || (found.length === 0 && rest[0]!.startsWith('-'))) {
      rest = rest.slice(1);
      continue;
    }
    if (/^(?:ba|da|a|z)?sh$/.test(name) && rest[1] === '-c' && rest[2] !== undefined) {
      rest = [...rest[2].split(/\s+/).filter(Boolean), ...rest.slice(3)];
      continue;
    }
    const args = rest.slice(1);
    found.push({ name, args });
    if (!isScript(rest[0]!) || args.length === 0) break;
    rest = args;
  }
  return found;
}

/** Why a final stage with no USER is still fine, or `undefined` when it is not. */
function rootIsIntended(model: DockerfileModel, chain: readonly Stage[], base: ImageRef | undefined): string | undefined {
  const words = startupWords(chain);
  const programs = programsOf(words);
  const command = programs.at(-1);
  if (base && /^docker\.io\/library\/(?:tomcat|caddy|traefik|registry)$/.test(`${base.domain}/${base.path}`) && words.length === 0) return undefined;
  // A toolchain or language image to build on: whoever builds FROM it picks the user. Shell-less
  // images (scratch, distroless) are not bases to build on: with no command they get one at run time.
  const shell = base ? hasShell(base) : false;
  if ((!command && shell) || (command && BARE.test(command.name) && command.args.every((a) => a.startsWith('-')))) return 'base image';
  if (!command) return undefined;
  if (/\.wasm$/.test(command.name) || /wasi|wasm/.test(chain[0]!.platformFlag?.getValue() ?? '')) return 'wasm';
  if (base && DAEMON_BASES.test(`${base.domain}/${base.path}`)) return 'daemon base';
  if (base && STEP_DOWN_BASES.test(`${base.domain}/${base.path}`) && !chain.some((stage) => instructionsNamed(stage, 'ENTRYPOINT').length > 0)) return 'step-down';
  if (base?.path === 'library/php' && /apache|fpm/.test(base.tag ?? '')) return 'daemon base';
  for (const { name, args } of programs) {
    if (DAEMONS.test(name) || NEEDS_ROOT.test(name) || STEP_DOWN.test(name)) return 'program';
    // `-u USER` / `--user USER`: the program switches itself. Only with a user name after it: `-u` is
    // also a count (locust) or a mode (python: unbuffered output).
    if (!/^python/.test(name) && args.some((a, i) => (/^(?:-u|--user|--uid)$/.test(a) && USER_NAME.test(args[i + 1] ?? '')) || /^--(?:user|uid)=[a-z_]/.test(a))) return 'flag';
  }
  const runs = chain.flatMap((stage) => stage.runs.map((run) => ({ stage, run })));
  // The entrypoint hands the command to gosu/su-exec after its root-only setup (chown of volumes).
  if (runs.some(({ run }) => STEP_DOWN.test(model.document.getText(run.info.range)))) return 'step-down';
  if (chain.some((stage) => stage.instructions.some((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && STEP_DOWN.test(flagNamed(i, 'from')?.getValue() ?? '')))) return 'step-down';
  // A user made but never switched to, with an entrypoint script: the script switches.
  const createsUser = runs.some(({ stage, run }) => commandsOf(stage, run).some((c) => CREATES_USER.has(c.program)));
  if (createsUser && programs.length > 0 && isScript(words.find((w) => !LAUNCHERS.has(basename(w)) && w !== '--') ?? '')) return 'step-down';
  return undefined;
}

/** Whether the file's own RUNs prove the build runs as root on this base (package installs, useradd). */
function buildsAsRoot(chain: readonly Stage[]): boolean {
  return chain.some((stage) => stage.runs.some((run) => commandsOf(stage, run).some((c) => ROOT_ONLY.has(c.program) && !/^(?:-\w*[hV]|--help|--version|--print-architecture)$/.test(c.args[0]?.value ?? ''))));
}

/** Whether the rule looks at a stage: what gets built and run, not dev, debug or test stages. */
function isChecked(model: DockerfileModel, context: RuleContext, stage: Stage): boolean {
  if (isDevelopmentOnly(model, stage)) return false;
  // The targets compose or bake build and run, and the last stage, which a plain `docker build` ships.
  // A target that is a build stage (`builder`, or copied from by a later stage) is a build environment
  // run for local development, as in compose files that run `target: builder` with the sources mounted.
  return stage.isFinal || (targetStages(model, context).includes(stage) && !isBuildStage(model, stage));
}

function isBuildStage(model: DockerfileModel, stage: Stage): boolean {
  if (stage.name !== undefined && /^(?:build|builder|build-env|compile|deps|dependencies)$/.test(stage.name)) return true;
  return model.stages.some((later) => later.index > stage.index && instructionsNamed(later, 'COPY', 'ADD').some((i) => stageNamed(model, flagNamed(i, 'from')?.getValue() ?? '', later.index) === stage));
}

export const runsAsRoot = stageRule({
  meta: {
    id: 'runs-as-root',
    title: 'Final image runs as root',
    description: 'Flags a shipped stage whose last USER is root, or that has no USER on a root base when nothing shows root is meant (a base to build on, a daemon or entrypoint that steps down, a tool that needs root).',
    category: 'security',
    severity: 'warning',
    fixable: 'sometimes',
    aliases: { hadolint: ['DL3002'], trivy: ['DS-0002'], checkov: ['CKV_DOCKER_3', 'CKV_DOCKER_8'] },
    facts: ['user'],
    docs: {
      why: `Containers run as root unless the image says otherwise, and root in a container is root on the host's
kernel: a breakout, a writable host mount or a misconfigured capability turns an application bug into a host
compromise. Running as an unprivileged user costs one line and closes that door. Kubernetes'
\`runAsNonRoot\` policies also refuse to start images that run as root.

Only the stages that are built and run matter: the last one (what a plain \`docker build\` ships) and the
\`target\` of a compose service or bake target that builds the file, unless that target is a build stage
(\`builder\`, or one a later stage copies from). A \`USER\` in an earlier stage it builds \`FROM\` counts. Dev
containers, \`dev\`/\`debug\`/\`test\` stages and \`Dockerfile.dev\`-style files are not checked.

A last \`USER root\` is always reported (that is hadolint's DL3002). With no \`USER\` at all, root is often intended,
and the stage is not reported when:
- the base already runs as non-root: distroless \`:nonroot\`, Chainguard, the Jupyter stacks, Bitnami,
  \`nginxinc/nginx-unprivileged\`, .NET's chiseled images, or a base whose registry config names a user;
- the base is not known to default to root (a third-party image may set its own user) and the file does
  nothing that only root can do (package installs, \`useradd\`); Docker Official Images, the distributions' bases
  and distroless default to root;
- it is a base to build on: no \`CMD\`/\`ENTRYPOINT\` (on a base with a shell; \`tomcat\`, \`caddy\` and
  \`traefik\`, whose own command is a server, are still checked), or only a bare interpreter or shell
  (\`python3\`, \`node\`, \`bash\`), as in the official language images;
- the container steps down by itself: \`gosu\`, \`su-exec\`, \`setpriv\` or \`runuser\` is installed or run, the file
  creates a user it never switches to and starts through an entrypoint script, or it keeps the entrypoint of a
  base that steps down (postgres, mysql, redis, mongo, rabbitmq, the LinuxServer.io images, …);
- it runs a daemon that starts as root and switches user by its config or flags (nginx, Apache httpd, php-fpm,
  sshd, HAProxy, Postfix, \`-u user\`, \`--user\`), or a tool whose job needs root (nmap, tcpdump, strace,
  iptables, OpenVPN, WireGuard, …);
- it is a Windows image (no Linux root; Nano Server already runs as \`ContainerUser\`) or a WebAssembly module.`,
      bad: `FROM python:3.12-slim
COPY app.py /app/
CMD ["python", "/app/app.py"]`,
      good: `FROM python:3.12-slim
RUN groupadd --system app && useradd --system --gid app --no-log-init app
COPY app.py /app/
USER app
CMD ["python", "/app/app.py"]`,
      fix: `Create a system user (\`useradd\` on Debian/Ubuntu, \`adduser -S\` on Alpine) and add \`USER\` before \`CMD\`;
on \`scratch\` or distroless use a numeric user such as \`USER 65532:65532\`, or pick a \`:nonroot\` base. Give the
user the folders it writes to (\`chown\` them, or \`COPY --chown\`).

The quick fix (unsafe: review what the application writes, and where) picks by the base image:
Debian/Ubuntu and others get \`groupadd\`/\`useradd\` right after \`FROM\`; Alpine/BusyBox get \`addgroup\`/\`adduser\`;
\`node\` images use their \`node\` user; distroless uses its built-in \`nonroot\` user; \`scratch\` and other
shell-less images get \`USER 65532:65532\`. \`USER\` goes after the last instruction that needs root and before
\`CMD\`/\`ENTRYPOINT\`; \`COPY\`/\`ADD\` in the stage get \`--chown\` so the user owns its files, and where there is a
shell the \`WORKDIR\`, \`VOLUME\` and \`mkdir\` folders of the stage are made and \`chown\`ed (not recursively) so the
application can still create files there. Files that \`RUN\` steps wrote as root stay root's, and shell-less images
cannot \`chown\` at all: check those by hand.`,
    },
  },
  // A later stage's COPY --from that makes this one a build stage uses it directly: it is in the stage's key.
  checkStage(stage, model, context) {
    if (!isChecked(model, context, stage)) return [];
    const chain = stageChain(model, stage);
    const last = chain.flatMap((s) => instructionsNamed(s, 'USER')).at(-1);
    if (last) {
      const value = last.argumentsContent?.trim() ?? '';
      if (!ROOT.test(value)) return [];
      return [{ range: last.argumentsRange ?? keywordRange(last), message: `The ${stage.isFinal ? 'final image' : `stage \`${stage.name ?? stage.index}\` (a build target)`} switches to \`${value}\`. Switch to an unprivileged user before CMD/ENTRYPOINT.`, data: { reason: 'root-user', stage: stage.index } }];
    }
    const base = rootBase(model, stage);
    if (base === undefined || base.kind === 'unresolved' || base.kind === 'invalid') return [];
    const ref = base.kind === 'image' ? base.ref : undefined;
    if (ref && (runsAsNonRoot(ref) || isWindows(ref))) return [];
    // A Windows PowerShell or cmd SHELL: a Windows image on a base the name did not give away (pwsh runs on Linux too).
    if (chain.some((s) => instructionsNamed(s, 'SHELL').some((i) => /(?:^|[\\/])(?:powershell|cmd)(?:\.exe)?$/i.test(i.execForm?.[0] ?? '')))) return [];
    if (ref) {
      // The registry knows better than the name: the base image's own config may set a user.
      const facts = context.images?.(ref);
      if (facts?.user !== undefined && !ROOT.test(facts.user)) return [];
      // Without its config, an image not known to default to root may have a user of its own,
      // unless the file's own RUNs show the build running as root on it.
      if (!facts && !defaultsToRoot(ref) && !buildsAsRoot(chain)) return [];
    }
    if (rootIsIntended(model, chain, ref)) return [];
    return [
      {
        range: stage.from.keywordRange,
        message: `${stage.isFinal ? 'The final stage' : `The stage \`${stage.name ?? stage.index}\` (a build target)`} has no USER, so the container runs as root${chain.length > 1 ? ' (no USER in the stages it builds on either)' : ''}. Add a USER with an unprivileged account.`,
        data: { reason: 'no-user', stage: stage.index },
      },
    ];
  },
  fix(model, finding) {
    const index = typeof finding.data?.stage === 'number' ? finding.data.stage : model.stages.length - 1;
    const final = model.stages[index];
    if (!final) return [];
    const base = rootBase(model, final);
    const ref = base?.kind === 'image' ? base.ref : undefined;
    if (ref && isWindows(ref)) return [];
    const chain = stageChain(model, final);
    // A user the file already switched to before going back to root is the one to return to.
    const earlier = chain
      .flatMap((stage) => instructionsNamed(stage, 'USER'))
      .map((u) => u.argumentsContent?.trim() ?? '')
      .filter((u) => u && !ROOT.test(u) && !u.includes('$'))
      .at(-1);
    const setup = earlier ? { user: earlier, owner: earlier } : nonRootUserFor(ref);
    const body = final.instructions.slice(1);
    // USER goes after the last instruction that still needs root, before how the container starts.
    const lastWork = body.findLastIndex((i) => !STARTUP.has(i.keyword));
    const firstStartup = body.slice(lastWork + 1).find((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
    const create = 'create' in setup && setup.create ? [`RUN ${setup.create}`] : [];
    // Names need an /etc/passwd entry at COPY time; ids never do. Shell-less images keep root-owned files readable.
    const chownable = create.length > 0 || earlier !== undefined || setup.user === 'node';
    const shell = base?.kind !== 'scratch' && (!ref || hasShell(ref));
    // Folders made as root that the application may write to: give them to the user, not recursively.
    const folders = shell && chownable ? writableFolders(chain) : [];
    const userLine = firstStartup ? insertLinesBefore(model, firstStartup.range.start.line, [`USER ${setup.user}`]) : insertLinesAfter(model, body.at(-1) ?? final.instructions[0]!, [`USER ${setup.user}`]);
    // Right after the last step that builds the image: before any VOLUME that follows it, whose later
    // changes the classic builder discards (so the folder may not exist yet: mkdir -p).
    const afterWork = body[lastWork] ?? final.instructions[0]!;
    const chownFolders = folders.length > 0 ? [insertLinesAfter(model, afterWork, [`RUN mkdir -p ${folders.join(' ')} && chown ${setup.owner} ${folders.join(' ')}`])] : [];
    const chown = body
      .filter((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && !flagNamed(i, 'chown'))
      .map((i) => insertAt(keywordRange(i).end, ` --chown=${setup.owner}`));
    const createLine = create.length > 0 ? [insertLinesAfter(model, final.instructions[0]!, create)] : [];
    return [{ title: `Run as \`${setup.user}\` instead of root`, edits: [...createLine, ...(chownable ? chown : []), ...chownFolders, userLine], safe: false }];
  },
});

/** Folders of the system, not of the application: never handed to it. */
const SYSTEM_FOLDER = /^\/(?:(?:tmp|var\/tmp|proc|sys|dev|etc|bin|sbin|lib(?:32|64|x32)?|run|root|usr\/(?:bin|sbin|lib(?:32|64|x32)?|share|include)|usr\/local\/(?:bin|sbin|lib(?:32|64|x32)?|share|include|etc))(?:\/.*)?|usr|usr\/local)?$/;

/** Folders the stage chain makes with WORKDIR, VOLUME or `mkdir`, written literally, made absolute against the WORKDIR. */
function writableFolders(chain: readonly Stage[]): string[] {
  const found: string[] = [];
  let workdir = '/';
  const resolve = (path: string, from: string) => (path.startsWith('/') ? path : `${from.replace(/\/$/, '')}/${path.replace(/^\.\//, '')}`);
  for (const stage of chain) {
    for (const info of stage.instructions) {
      if (info.keyword === 'WORKDIR') {
        workdir = resolve(info.argumentsContent?.trim() ?? '', workdir);
        found.push(workdir);
      }
      if (info.keyword === 'VOLUME') found.push(...(info.execForm ?? info.args.map((a) => a.getValue())).map((v) => resolve(v, workdir)));
      const run = stage.runs.find((r) => r.info === info);
      if (!run) continue;
      const commands = commandsOf(stage, run);
      // After a `cd`, a relative folder is relative to somewhere the file does not say.
      const moves = commands.some((c) => c.program === 'cd' || c.program === 'pushd');
      for (const command of commands) {
        if (command.program !== 'mkdir') continue;
        const args = command.args.filter((_, i) => !/^-(?:m|-mode)$/.test(command.args[i - 1]?.value ?? ''));
        for (const dir of operands(args).map((a) => a.value)) if (dir.startsWith('/') || !moves) found.push(resolve(dir, workdir));
      }
    }
  }
  const literal = found.map((f) => f.replace(/\/+$/, '').replace(/\/\.(?=\/|$)/g, '')).filter((f) => /^\/[\w./-]+$/.test(f) && !f.split('/').includes('..') && !SYSTEM_FOLDER.test(f));
  return [...new Set(literal)];
}
