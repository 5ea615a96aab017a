import type { Rule } from './rule';

/** Name parts that mean a secret, after splitting on `_`, `-` and case changes. */
const SECRET_WORDS = new Set(['apikey', 'auth', 'credential', 'credentials', 'key', 'password', 'passwd', 'passphrase', 'pword', 'secret', 'token']);
/** Run-together words that end in a secret (`ROOTPASS`, `DBPASSWORD`, `ADMINPWD`, `CLIENTSECRET`, `APITOKEN`). */
const SECRET_SUFFIX = /(?:pass|passwd|password|pwd|secret|token|apikey|accesskey|secretkey|privatekey)$/;
/** Words that only end like one: `BYPASS_PROXY`, `COMPASS_HOME`. */
const NOT_SECRET = new Set(['bypass', 'compass', 'encompass', 'surpass', 'trespass', 'overpass', 'underpass', 'impass', 'kpass']);
/** Name parts that mark a value as public (`GPG_KEY` in official images is a key fingerprint) or a setting about a secret. */
const PUBLIC_WORDS = new Set([
  'public', 'pub', 'gpg', 'pgp', 'fingerprint', 'file', 'files', 'path', 'dir', 'id', 'url', 'uri', 'endpoint', 'version', 'name', 'type', 'mode', 'host', 'port', 'method',
  'enabled', 'required', 'length', 'ttl', 'timeout', 'header', 'algorithm', 'scope', 'issuer', 'provider', 'format', 'prefix',
]);
/** Shell variables, not secrets: the working directory. */
const SHELL_VARIABLES = /^(?:OLD)?PWD$/;

function looksSecret(name: string): boolean {
  if (SHELL_VARIABLES.test(name)) return false;
  const parts = words(name);
  if (parts.some((w) => PUBLIC_WORDS.has(w))) return false;
  return parts.some((w) => SECRET_WORDS.has(w) || (SECRET_SUFFIX.test(w) && !NOT_SECRET.has(w)));
}

/**
 * Values that cannot be the secret itself: empty (the container is given it at run time), a
 * path (`/run/secrets/db_password`: where the secret is read from), a flag, or just another
 * variable (`${DB_PASSWORD}`), whose own ARG or ENV is what holds it.
 */
function harmlessValue(value: string | null): boolean {
  if (value === null) return false;
  const v = value.trim();
  return v === '' || /^(?:\/|\.{1,2}\/|~\/)[^\s]*$/.test(v) || /^(?:true|false|yes|no|on|off)$/i.test(v) || /^\$(?:\w+|\{\w+(?::?-)?\})$/.test(v);
}

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[_\-.]+/)
    .filter(Boolean);
}

export const secretsInArgEnv: Rule = {
  meta: {
    id: 'secrets-in-arg-env',
    title: 'Secret-looking name in `ARG` or `ENV`',
    description: 'Flags ARG and ENV names like PASSWORD, API_TOKEN or ROOTPASS with a value that could be the secret: their values stay readable in the image.',
    category: 'security',
    severity: 'warning',
    fixable: 'never',
    aliases: { buildkit: ['SecretsUsedInArgOrEnv'] },
    docs: {
      why: `\`ENV\` values are stored in the image config and \`ARG\` values in its history: \`docker history\` and
\`docker inspect\` print them for anyone who can pull the image. A password, token or private key passed this
way is published with the image. BuildKit secrets (\`RUN --mount=type=secret\`) hand the value to one \`RUN\`
without writing it anywhere.

Names are split into words (\`API_TOKEN\` → api, token); run-together names that end in one count too
(\`LDAP_ROOTPASS\`, \`DBPASSWORD\`, \`ADMIN_PWD\`, but not \`PWD\`, the working directory). Words that mark a
public value or a setting about a secret rather than the secret itself (\`GPG_KEY\`, \`PUBLIC_KEY\`,
\`*_KEY_FILE\`, \`*_KEY_ID\`, \`AUTH_VERSION\`, \`AUTH_METHOD\`, \`TOKEN_TTL\`) are not reported, and neither are
values that cannot be the secret: empty (\`ENV DB_PASSWORD=\`, set at run time), a path
(\`/run/secrets/db_password\`), \`true\`/\`false\`, or a bare reference to another variable
(\`\${DB_PASSWORD}\`, whose own \`ARG\` is what gets reported). An \`ARG\` with no default is reported: its
value comes from \`--build-arg\` and stays in the image history.`,
      bad: `ARG NPM_TOKEN
RUN echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > .npmrc && npm ci`,
      good: `RUN --mount=type=secret,id=npm_token \\
    NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci`,
      fix: `Pass secrets with \`--secret id=…\` and \`RUN --mount=type=secret\`; give the running container its secrets at
run time (environment, files), not at build time.`,
    },
  },
  check(model) {
    return model.instructions.flatMap((info) => {
      if (info.keyword !== 'ARG' && info.keyword !== 'ENV') return [];
      return info.properties.flatMap((property) => {
        // An ARG with no default still gets its value from --build-arg, and that is kept in the history.
        if (!looksSecret(property.getName()) || harmlessValue(property.getValue())) return [];
        const advice = info.keyword === 'ENV' ? 'Give the container its secrets at run time, or use a build secret (RUN --mount=type=secret) if only the build needs it.' : 'Use a build secret (RUN --mount=type=secret).';
        return [
          {
            range: property.getNameRange(),
            message: `\`${property.getName()}\` looks like a secret; ${info.keyword} values are stored in the image for anyone to read. ${advice}`,
          },
        ];
      });
    });
  },
};
