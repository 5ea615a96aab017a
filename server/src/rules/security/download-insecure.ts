import { boundedMemo } from '../../language/memo';
import { replace } from '../../language/edits';
import type { DockerfileModel, InstructionInfo } from '../../language/model';
import type { ShellWord } from '../../language/shell';
import { commandsOf, operands, wordRange, type CommandAt } from '../../language/query';
import { stageRule, type Finding } from '../../engine/rule';

/** A switch that turns off a TLS or signature check, where it is used, and the safe way to get what it was added for. */
interface Switch {
  /** The programs it belongs to (after `sudo`, `env` and the like). */
  readonly programs: RegExp;
  /** The words that turn the check off. */
  readonly find: (args: readonly ShellWord[]) => ShellWord[];
  /** What it turns off. */
  readonly what: string;
  /** The safe counterpart. */
  readonly instead: string;
}

const word = (pattern: RegExp) => (args: readonly ShellWord[]) => args.filter((a) => pattern.test(a.value));
/** `NAME value` or `NAME=value` among the words, `NAME` matched case-insensitively. */
const setting = (name: RegExp, value: RegExp) => (args: readonly ShellWord[]) =>
  args.filter((a, i) => {
    const eq = a.value.indexOf('=');
    if (eq !== -1) return name.test(a.value.slice(0, eq)) && value.test(a.value.slice(eq + 1));
    return name.test(a.value) && value.test(args[i + 1]?.value ?? '');
  });
/** Packages installed from files in the image (built by an earlier stage or step) rather than fetched. */
const LOCAL_PACKAGE = /^(?:\.{0,2}\/|\$)[^:]*$|^[^:/]+\.(?:apk|rpm|deb)$/;
const localOnly = (find: Switch['find']) => (args: readonly ShellWord[]) => {
  const packages = operands(args).filter((a) => !/^(?:add|install|reinstall|localinstall|upgrade|update|-i|-U)$/.test(a.value));
  return packages.length > 0 && packages.every((a) => LOCAL_PACKAGE.test(a.value) && /\.(?:apk|rpm|deb|\*)$|\/$/.test(a.value)) ? [] : find(args);
};

const TLS = 'TLS certificate check, so anyone on the network path can answer in the server\'s place';
const SIGNATURES = 'package signature check, so a mirror, proxy or attacker can hand over any package';

const SWITCHES: readonly Switch[] = [
  // Letters that curl users cluster with -k (`-fsSLk`); an option that takes a value would end the cluster.
  { programs: /^curl$/, find: word(/^--(?:proxy-)?insecure$|^-[fsSLIivqgGjlnNpRZ#0-9]*k[fsSLIivqgGjlnNpRZ#0-9]*$/), what: `curl's ${TLS}`, instead: 'give curl the private CA with `--cacert <file>`, or add it to the image\'s trust store (`update-ca-certificates`)' },
  { programs: /^wget$/, find: word(/^--no-check-certificate$/), what: `wget's ${TLS}`, instead: 'give wget the private CA with `--ca-certificate=<file>`, or add it to the image\'s trust store (`update-ca-certificates`)' },
  {
    programs: /^(?:pip[\d.]*|python[\d.]*|uv)$/,
    find: word(/^--(?:trusted-host|allow-insecure-host)(?:=|$)|^(?:global|install)\.trusted-host(?:=|$)/),
    what: `pip's ${TLS} (and lets it use plain HTTP) for that host`,
    instead: 'use the index over HTTPS (`--index-url https://…`) and give pip a private CA with `--cert <file>`',
  },
  { programs: /^apk$/, find: localOnly(word(/^--allow-untrusted$/)), what: `apk's ${SIGNATURES}`, instead: "add the repository's public key to `/etc/apk/keys`" },
  {
    programs: /^(?:apt-get|apt|aptitude)$/,
    find: word(/^--(?:allow-unauthenticated|allow-insecure-repositories)$|(?:AllowUnauthenticated|AllowInsecureRepositories|AllowDowngradeToInsecureRepositories)=(?:1|true|yes)$/i),
    what: `apt's ${SIGNATURES}`,
    instead: "install the repository's key and name it in the source with `signed-by=`",
  },
  { programs: /^(?:apt-get|apt|aptitude)$/, find: word(/Verify-(?:Peer|Host)=(?:0|false|no)$/i), what: `apt's ${TLS}`, instead: 'add the private CA to the image\'s trust store (`update-ca-certificates`), or name it with `-o Acquire::https::CaInfo=<file>`' },
  { programs: /^(?:apt-get|apt|aptitude)$/, find: word(/^--force-yes$/), what: `apt's safety checks, among them the ${SIGNATURES}`, instead: 'use `-y`, and `--allow-downgrades` or `--allow-change-held-packages` for the one thing you mean' },
  {
    programs: /^(?:yum|dnf|tdnf|microdnf|yum-config-manager)$/,
    find: localOnly(word(/^--nogpgcheck$|^--setopt=(?:[\w.-]+\.)?gpgcheck=(?:0|false|no)$/i)),
    what: `the package manager's ${SIGNATURES}`,
    instead: "import the repository's key (`rpm --import <key>`, or `gpgkey=` in the `.repo` file)",
  },
  { programs: /^(?:yum|dnf|tdnf|microdnf|yum-config-manager)$/, find: word(/^--setopt=(?:[\w.-]+\.)?sslverify=(?:0|false|no)$/i), what: `the package manager's ${TLS}`, instead: 'add the private CA to the image\'s trust store (`update-ca-trust`), or name it with `sslcacert=`' },
  { programs: /^zypper$/, find: word(/^--no-gpg-checks$/), what: `zypper's ${SIGNATURES}`, instead: "import the repository's key (`rpm --import <key>`)" },
  { programs: /^rpm$/, find: localOnly(word(/^--no(?:signature|digest)$/)), what: `rpm's ${SIGNATURES}`, instead: "import the vendor's key with `rpm --import <key>`" },
  {
    programs: /^(?:npm|yarn|pnpm)$/,
    find: (args) => [...setting(/^["']?(?:strict-ssl|enableStrictSsl)["']?$/, /^["']?false["']?$/)(args), ...word(/^--(?:strict-ssl=false|no-strict-ssl)$/)(args)],
    what: `the package manager's ${TLS}`,
    instead: 'give it the private CA with `npm config set cafile <file>` (yarn: `cafile`, Yarn 2+: `caFilePath`)',
  },
  { programs: /^git$/, find: setting(/^http\.(?:[^=]+\.)?sslverify$/i, /^(?:false|0|no|off)$/i), what: `git's ${TLS}`, instead: 'give git the private CA with `git config http.sslCAInfo <file>`' },
  // `deb [trusted=yes] https://…`: apt takes that source's packages without any signature. A local `file:` source is built in the same step.
  { programs: /^(?:echo|printf|tee|sed)$/, find: word(/\[[^\]]*\btrusted=yes\b[^\]]*\]\s*(?!file:|copy:|cdrom:)\S/), what: `apt's ${SIGNATURES}`, instead: "install the repository's key and name it with `[signed-by=/usr/share/keyrings/<key>.gpg]`" },
];

/** The switches a program may turn off, found once per program name rather than per command. */
function switchesFor(program: string): readonly Switch[] {
  return switchesByProgram(program, () => SWITCHES.filter((s) => s.programs.test(program)));
}
const switchesByProgram = boundedMemo<readonly Switch[]>(500);

/** Variables that turn a check off, with the values that do. */
const VARIABLES: readonly { readonly name: RegExp; readonly value: RegExp; readonly what: string; readonly instead: string }[] = [
  { name: /^NODE_TLS_REJECT_UNAUTHORIZED$/, value: /^0$/, what: `Node's ${TLS}`, instead: 'give Node the private CA with `NODE_EXTRA_CA_CERTS=<file>`' },
  { name: /^PYTHONHTTPSVERIFY$/, value: /^0$/, what: `Python's ${TLS}`, instead: 'add the private CA to the trust store, or point `SSL_CERT_FILE`/`REQUESTS_CA_BUNDLE` at it' },
  // git disables the check when the variable is set at all, whatever its value.
  { name: /^GIT_SSL_NO_VERIFY$/, value: /^/, what: `git's ${TLS}`, instead: 'give git the private CA with `GIT_SSL_CAINFO=<file>`' },
  { name: /^NPM_CONFIG_STRICT_SSL$/i, value: /^false$/i, what: `npm's ${TLS}`, instead: 'give npm the private CA with `NPM_CONFIG_CAFILE=<file>`' },
  { name: /^YARN_ENABLE_STRICT_SSL$/, value: /^false$/i, what: `Yarn's ${TLS}`, instead: 'give Yarn the private CA with `YARN_CA_FILE_PATH=<file>`' },
  { name: /^PIP_TRUSTED_HOST$/, value: /\S/, what: `pip's ${TLS} (and lets it use plain HTTP) for those hosts`, instead: 'use the index over HTTPS and give pip a private CA with `PIP_CERT=<file>`' },
  { name: /^GOINSECURE$/, value: /\S/, what: "the Go tool's TLS check for those module paths, so it also fetches them over plain HTTP", instead: 'serve the modules over HTTPS; keep private ones out of the public checksum database with `GOPRIVATE`' },
  { name: /^GOSUMDB$/, value: /^off$/, what: "the Go checksum database, which checks every public module against what everyone else downloaded", instead: 'list only your private modules in `GOPRIVATE` (or `GONOSUMDB`)' },
  { name: /^GOFLAGS$/, value: /(?:^|\s)-insecure\b/, what: "the Go tool's TLS check", instead: 'serve the modules over HTTPS' },
];

const message = (turned: string, what: string, instead: string) => `\`${turned}\` turns off ${what}. Remove it; if it is there to get past a certificate or key error, ${instead}.`;

/** `NAME=value` text split, quotes removed from the value. */
function assignment(text: string): { name: string; value: string } | undefined {
  const eq = text.indexOf('=');
  return eq === -1 ? undefined : { name: text.slice(0, eq), value: text.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2') };
}

function variableFinding(name: string, value: string, range: Finding['range']): Finding[] {
  const known = VARIABLES.find((v) => v.name.test(name) && v.value.test(value));
  return known ? [{ range, message: message(`${name}=${value}`, known.what, known.instead) }] : [];
}

/** `X=0 cmd` and `export X=0` in a RUN. */
function runVariables(model: DockerfileModel, c: CommandAt): Finding[] {
  if (c.command.assignments.length === 0 && c.program !== 'export') return [];
  const text = model.document.getText(model.rangeOf(c.command.start, c.command.end));
  const prefixes = c.command.assignments.flatMap((a) => {
    const parsed = assignment(a);
    const at = text.indexOf(a);
    return parsed && at !== -1 ? variableFinding(parsed.name, parsed.value, model.rangeOf(c.command.start + at, c.command.start + at + a.length)) : [];
  });
  const exported = c.program === 'export' ? c.args.flatMap((w) => { const parsed = assignment(w.value); return parsed ? variableFinding(parsed.name, parsed.value, wordRange(model, w)) : []; }) : [];
  return [...prefixes, ...exported];
}

/** What an `ENV` or `ARG` sets that turns a check off. */
function variableFindings(info: InstructionInfo): Finding[] {
  if (info.keyword !== 'ENV' && info.keyword !== 'ARG') return [];
  // An ARG without a default is not set unless the build passes it.
  return info.properties.flatMap((p) => (p.getValue() === null && info.keyword === 'ARG' ? [] : variableFinding(p.getName(), p.getValue() ?? '', p.getNameRange())));
}

/** Options whose removal only turns the check back on, so the fix may delete them. */
const REMOVABLE = /^--(?:insecure|no-check-certificate|allow-untrusted|allow-unauthenticated|allow-insecure-repositories|nogpgcheck|no-gpg-checks|nosignature|nodigest)$/;

export const downloadInsecure = stageRule({
  meta: {
    id: 'download-insecure',
    title: 'TLS or signature check turned off',
    description: 'Flags switches that turn off certificate or package signature checks (curl -k, wget --no-check-certificate, pip --trusted-host, apk --allow-untrusted, apt --allow-unauthenticated, [trusted=yes], NODE_TLS_REJECT_UNAUTHORIZED=0, …).',
    category: 'security',
    severity: 'warning',
    fixable: 'sometimes',
    aliases: { checkov: ['CKV2_DOCKER_2', 'CKV2_DOCKER_3', 'CKV2_DOCKER_4', 'CKV2_DOCKER_5', 'CKV2_DOCKER_6', 'CKV2_DOCKER_7', 'CKV2_DOCKER_8', 'CKV2_DOCKER_9', 'CKV2_DOCKER_10', 'CKV2_DOCKER_11', 'CKV2_DOCKER_12', 'CKV2_DOCKER_13', 'CKV2_DOCKER_14', 'CKV2_DOCKER_15', 'CKV2_DOCKER_16'] },
    docs: {
      why: `These switches exist to get past a certificate or key error, usually behind a company proxy that re-signs TLS.
They do it by turning the check off altogether: from then on any machine between the build and the server
(a proxy, a hotel network, a poisoned DNS answer) can serve a different file or package, and the build takes it.
The error they silence was the check working. The safe way past it is to give the tool the certificate
authority or key it was missing.

Reported, each with its safe counterpart in the message:

| switch | turns off |
|---|---|
| \`curl -k\`, \`--insecure\`, \`--proxy-insecure\` | curl's certificate check |
| \`wget --no-check-certificate\` | wget's certificate check |
| \`pip --trusted-host\`, \`pip config set global.trusted-host\`, \`uv --allow-insecure-host\`, \`PIP_TRUSTED_HOST\` | pip's certificate check for the host (and allows plain HTTP) |
| \`apk --allow-untrusted\` | apk's signature check |
| \`apt-get --allow-unauthenticated\`, \`--allow-insecure-repositories\`, \`--force-yes\`, \`-o …AllowUnauthenticated=true\`, \`-o Acquire::https::Verify-Peer=false\` | apt's signature or certificate check |
| \`deb [trusted=yes] https://…\` written to a sources list | apt's signature check for that source |
| \`dnf\`/\`yum --nogpgcheck\`, \`--setopt=gpgcheck=0\`, \`--setopt=sslverify=0\`, \`zypper --no-gpg-checks\`, \`rpm --nosignature\`/\`--nodigest\` | the RPM signature or certificate check |
| \`npm\`/\`yarn\`/\`pnpm config set strict-ssl false\`, \`NPM_CONFIG_STRICT_SSL=false\`, \`YARN_ENABLE_STRICT_SSL=false\` | the registry certificate check |
| \`git config http.sslVerify false\`, \`git -c http.sslVerify=false\`, \`GIT_SSL_NO_VERIFY\` (any value) | git's certificate check |
| \`NODE_TLS_REJECT_UNAUTHORIZED=0\`, \`PYTHONHTTPSVERIFY=0\` | Node's or Python's certificate check |
| \`GOINSECURE\`, \`GOFLAGS=-insecure\`, \`GOSUMDB=off\` | the Go tool's certificate check or its checksum database |

Variables count in \`ENV\`, \`ARG\` defaults and \`RUN\` (\`X=0 cmd\`, \`export X=0\`). Not reported: \`[trusted=yes]\`
on a \`file:\` source (a local repository made in the same step, as the official postgres image does), and
\`--allow-untrusted\`, \`--nogpgcheck\` or \`--nosignature\` when every package named is a local file the build
made (\`apk add --allow-untrusted /packages/*.apk\`).`,
      bad: `RUN curl -fsSLk https://downloads.example.com/tool.tar.gz | tar -xz -C /usr/local/bin
RUN pip install --trusted-host pypi.internal.example.com -r requirements.txt`,
      good: `COPY corp-ca.crt /usr/local/share/ca-certificates/corp-ca.crt
RUN update-ca-certificates
RUN curl -fsSL https://downloads.example.com/tool.tar.gz | tar -xz -C /usr/local/bin
RUN pip install --index-url https://pypi.internal.example.com/simple -r requirements.txt`,
      fix: `Remove the switch and give the tool what it was missing: the company's CA certificate (installed with
\`update-ca-certificates\`, or given to the tool: \`curl --cacert\`, \`wget --ca-certificate\`, \`pip --cert\`,
\`npm config set cafile\`, \`git config http.sslCAInfo\`, \`NODE_EXTRA_CA_CERTS\`), or the repository's signing key
(\`/etc/apk/keys\`, \`signed-by=\` for apt, \`rpm --import\`). The quick fix removes a standalone option such as
\`--insecure\`, \`-k\` in a cluster, \`--no-check-certificate\` or \`--allow-untrusted\`; it is unsafe because the
build fails until the tool trusts the server.`,
    },
  },
  checkStage(stage, model) {
    // Loops, not nested flatMaps: this runs for every command of every RUN.
    const found: Finding[] = [];
    for (const run of stage.runs) {
      for (const c of commandsOf(stage, run)) {
        for (const s of switchesFor(c.program)) {
          for (const hit of s.find(c.args)) found.push({ range: wordRange(model, hit), message: message(hit.value, s.what, s.instead), data: { word: hit.text } });
        }
        found.push(...runVariables(model, c));
      }
    }
    for (const info of stage.instructions) found.push(...variableFindings(info));
    return found;
  },
  checkFile: (model) => model.preamble.flatMap(variableFindings),

  fix(model, finding) {
    const text = typeof finding.data?.word === 'string' ? finding.data.word : undefined;
    if (!text) return [];
    const start = model.document.offsetAt(finding.range.start);
    const end = model.document.offsetAt(finding.range.end);
    const all = model.document.getText();
    // `-fsSLk`: drop the one letter.
    const cluster = /^-[A-Za-z0-9#]*k[A-Za-z0-9#]*$/.test(text) && text !== '-k';
    if (cluster) {
      const at = start + text.indexOf('k', 1);
      return [{ title: 'Remove `k` (the certificate check comes back)', edits: [replace(model.rangeOf(at, at + 1), '')], safe: false }];
    }
    if (!REMOVABLE.test(text) && text !== '-k') return [];
    // The option and the blanks after it when more of the command follows on the line, else the blanks before it.
    const after = /^[ \t]+(?=[^\s\\`])/.exec(all.slice(end));
    const before = /[^\s\\`][ \t]+$/.exec(all.slice(Math.max(0, start - 200), start));
    const range = after ? model.rangeOf(start, end + after[0].length) : before ? model.rangeOf(start - before[0].length + 1, end) : undefined;
    return range ? [{ title: `Remove \`${text}\` (the check comes back)`, edits: [replace(range, '')], safe: false }] : [];
  },
});
