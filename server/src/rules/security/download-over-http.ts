import { replace } from '../../language/edits';
import type { ShellWord } from '../../language/shell';
import { FETCHERS, localOrUnknownHost, urlsOf, verifiesSomething } from '../shared/downloads';
import { commandsOf, hasOption, wordRange, type CommandAt } from '../../language/query';
import { stageRule, type Finding } from '../../engine/rule';

/** Besides the fetchers, commands that download what a URL names and use it: keys, packages, repositories. */
const DOWNLOADS: Readonly<Record<string, (args: readonly ShellWord[]) => boolean>> = {
  'apt-key': () => true,
  gpg: (args) => hasOption(args, '', ['fetch-keys', 'fetch-key']),
  gpg2: (args) => hasOption(args, '', ['fetch-keys', 'fetch-key']),
  rpm: (args) => hasOption(args, 'iU', ['import', 'install', 'upgrade']),
  git: (args) => args[0]?.value === 'clone',
  pip: (args) => args[0]?.value === 'install',
  pip3: (args) => args[0]?.value === 'install',
};

/** What takes a key: a download piped or handed to one is a signing key. */
const TAKES_KEYS = /^(?:apt-key|gpg2?|rpm)$/;
const KEY_FILE = /\.(?:asc|gpg|key|pub|pgp)$|gpg-?key|pubkey|signing[-_]key/i;

function downloadsFrom(c: CommandAt): ShellWord[] {
  if (!FETCHERS.has(c.program) && DOWNLOADS[c.program]?.(c.args) !== true) return [];
  return urlsOf(c.args).filter((u) => /^(?:http|ftp):\/\//i.test(u.value) && !localOrUnknownHost(u.value));
}

/** `curl http://…/key.asc | apt-key add -`, `rpm --import http://…`: what is fetched is a key that will vouch for packages. */
function fetchesKey(c: CommandAt, url: ShellWord, commands: readonly CommandAt[]): boolean {
  if (TAKES_KEYS.test(c.program) || KEY_FILE.test(url.value)) return true;
  const pipe = c.command.pipeline;
  return pipe !== undefined && commands.some((o) => o.command.pipeline?.id === pipe.id && o.command.pipeline.position > pipe.position && TAKES_KEYS.test(o.program));
}

/** The value of `--keyserver`, and the ids after `--recv-keys`. */
function keyserverFetch(c: CommandAt): { server?: string; ids: ShellWord[] } | undefined {
  if (!/^(?:gpg2?|apt-key)$/.test(c.program)) return undefined;
  const at = c.args.findIndex((a) => /^--recv(?:-keys?)?$/.test(a.value));
  if (at === -1) return undefined;
  const flag = c.args.findIndex((a) => a.value === '--keyserver' || a.value.startsWith('--keyserver='));
  const server = flag === -1 ? undefined : c.args[flag]!.value.startsWith('--keyserver=') ? c.args[flag]!.value.slice('--keyserver='.length) : c.args[flag + 1]?.value;
  const ids: ShellWord[] = [];
  for (const a of c.args.slice(at + 1)) {
    if (a.value.startsWith('-')) break;
    ids.push(a);
  }
  return { ...(server !== undefined ? { server } : {}), ids };
}

/**
 * `--recv-keys 7721F63BD38B4796` from a keyserver over plain hkp: gpg imports what answers to that short id,
 * and anyone can make a key with a chosen short id. A full fingerprint is safe on any transport: gpg
 * imports only a key with exactly that fingerprint. Without `--keyserver` gpg uses its configured default, an hkps server in current GnuPG builds.
 */
function shortKeyIds(c: CommandAt): ShellWord[] {
  const fetch = keyserverFetch(c);
  if (!fetch || fetch.server === undefined || fetch.server.includes('$') || /^(?:hkps|https):\/\//i.test(fetch.server)) return [];
  return fetch.ids.filter((id) => id.literal && /^(?:0x)?(?:[0-9a-f]{8}|[0-9a-f]{16})$/i.test(id.value.replace(/\s+/g, '')));
}

export const downloadOverHttp = stageRule({
  meta: {
    id: 'download-over-http',
    title: 'Download over plain HTTP without a check',
    description: 'Flags RUN downloads of files, packages and signing keys from http:// or ftp:// URLs, and keys fetched over hkp by short id, when nothing in the same RUN checks a checksum or signature.',
    category: 'security',
    severity: 'warning',
    fixable: 'sometimes',
    aliases: {},
    docs: {
      why: `Over plain HTTP anyone on the way (a proxy, the café's network, a poisoned DNS answer) can change what
the build downloads, and nothing notices: the build runs or installs it. A signing key fetched that way is
worse, since everything signed with the substitute key is then trusted.

Reported: \`curl\`, \`wget\`, \`fetch\` and \`aria2c\` of an \`http://\` or \`ftp://\` URL, \`apt-key adv --fetch-keys\`,
\`gpg --fetch-keys\`, \`rpm --import\`/\`-i\`, \`git clone\` and \`pip install\` of such a URL, and \`gpg\`/\`apt-key\`
\`--recv-keys\` of a short key id (8 or 16 hex digits) from a keyserver named with \`hkp://\`, \`http://\` or no
scheme (plain hkp on port 11371): gpg imports whatever key answers to that id, and ids that short are easy to
forge.

Not reported, because the download is checked:
- a \`RUN\` that also checks a checksum or signature (\`sha256sum -c\`, \`shasum -a 256 -c\`, a digest computed to
  compare, \`gpg --verify\`, \`gpgv\`, \`cosign verify-blob\`, \`minisign -V\`);
- \`--recv-keys\` with the full 40-hex fingerprint: since mid-2014 (GnuPG's "screen keyserver responses" change,
  commit 5e933008) gpg imports only keys that match what \`--recv-keys\` asked for, whatever the keyserver sends;
- apt and apk sources over \`http://\` (\`deb http://deb.debian.org/…\`, \`apk --repository http://…\`): both check
  the repository's signature with keys already in the image (\`download-insecure\` reports \`[trusted=yes]\`);
- hosts on this machine or a private network (\`localhost\`, \`10.…\`, \`192.168.…\`, single-label names such as
  \`http://nexus:8081\`, \`.internal\`, \`.local\`) and hosts given by a variable.

\`ADD http://…\` is reported by \`add-url-unverified\`.`,
      bad: `RUN curl -fsSL http://archive.apache.org/dist/zookeeper/zookeeper-3.8.4/apache-zookeeper-3.8.4-bin.tar.gz \\\\
    | tar -xz -C /opt`,
      good: `ARG ZOOKEEPER_SHA512=<sha512 from the release page>
RUN curl -fsSL -o /tmp/zk.tar.gz https://archive.apache.org/dist/zookeeper/zookeeper-3.8.4/apache-zookeeper-3.8.4-bin.tar.gz \\\\
 && echo "$ZOOKEEPER_SHA512  /tmp/zk.tar.gz" | sha512sum -c - \\\\
 && tar -xzf /tmp/zk.tar.gz -C /opt && rm /tmp/zk.tar.gz`,
      fix: `Use \`https://\` where the server has it, and check what you download: a checksum you keep in the Dockerfile
(\`echo "<sha256>  file" | sha256sum -c -\`), or the publisher's signature with \`gpg --verify\`. For keys, give
\`--recv-keys\` the full fingerprint, or fetch the key over HTTPS from the vendor. The quick fix changes
\`http://\` to \`https://\`; it is unsafe because not every server answers on HTTPS, and it does not add the check.`,
    },
  },
  checkStage(stage, model) {
    return stage.runs.flatMap((run) => {
      const commands = commandsOf(stage, run);
      const checked = verifiesSomething(commands);
      return commands.flatMap((c): Finding[] => {
        const keys = shortKeyIds(c).map((id) => ({
          range: wordRange(model, id),
          message: `\`${id.value}\` is a short key id fetched over plain hkp: anyone on the way can answer with a key they made to match it, and everything signed with it is then trusted. Give \`--recv-keys\` the full 40-hex fingerprint (gpg then imports only that key), or use an \`hkps://\` keyserver as well.`,
        }));
        const urls = checked
          ? []
          : downloadsFrom(c).map((url) => {
              const key = fetchesKey(c, url, commands);
              const scheme = url.value.slice(0, url.value.indexOf(':')).toLowerCase();
              const message = key
                ? `\`${c.program}\` fetches a signing key over plain ${scheme.toUpperCase()} with nothing checking it: anyone on the network path can send their own, and everything signed with it is then trusted. Fetch it over https:// and compare its fingerprint (\`gpg --show-keys\`) with the one the vendor publishes.`
                : `\`${c.program}\` downloads over plain ${scheme.toUpperCase()} with nothing checking what arrives: anyone on the network path can change it, and the build uses it. Use https:// and check a checksum (\`sha256sum -c\`) or signature (\`gpg --verify\`) in the same RUN.`;
              return {
                range: wordRange(model, url),
                message,
                data: { scheme },
              };
            });
        return [...keys, ...urls];
      });
    });
  },

  fix(model, finding) {
    if (finding.data?.scheme !== 'http') return [];
    const start = model.document.offsetAt(finding.range.start);
    const text = model.document.getText(finding.range);
    const at = text.search(/http:\/\//i);
    if (at === -1) return [];
    return [{ title: 'Use https:// (check that the server answers on HTTPS)', edits: [replace(model.rangeOf(start + at, start + at + 4), 'https')], safe: false }];
  },
});
