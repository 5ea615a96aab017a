import type { Rule } from './rule';

/** Name parts that mean a secret, after splitting on `_`, `-` and case changes. */
const SECRET_WORDS = new Set(['apikey', 'auth', 'credential', 'credentials', 'key', 'password', 'passwd', 'pword', 'secret', 'token']);
/** Name parts that mark a value as public (`GPG_KEY` in official images is a key fingerprint). */
const PUBLIC_WORDS = new Set(['public', 'pub', 'gpg', 'pgp', 'fingerprint', 'file', 'path', 'id', 'url', 'version', 'name', 'type', 'mode', 'dir', 'host', 'port', 'method', 'enabled', 'required']);

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
    description: 'Flags ARG and ENV names like PASSWORD or API_TOKEN: their values stay readable in the image.',
    category: 'security',
    severity: 'warning',
    fixable: 'never',
    aliases: { buildkit: ['SecretsUsedInArgOrEnv'] },
    docs: {
      why: `\`ENV\` values are stored in the image config and \`ARG\` values in its history: \`docker history\` and
\`docker inspect\` print them for anyone who can pull the image. A password, token or private key passed this
way is published with the image. BuildKit secrets (\`RUN --mount=type=secret\`) hand the value to one \`RUN\`
without writing it anywhere.

Names are split into words (\`API_TOKEN\` → api, token). Words that mark a public value or a setting about a
secret rather than the secret itself (\`GPG_KEY\`, \`PUBLIC_KEY\`, \`*_KEY_FILE\`, \`*_KEY_ID\`, \`AUTH_VERSION\`,
\`AUTH_METHOD\`) are not reported.`,
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
        const parts = words(property.getName());
        if (!parts.some((w) => SECRET_WORDS.has(w)) || parts.some((w) => PUBLIC_WORDS.has(w))) return [];
        return [
          {
            range: property.getNameRange(),
            message: `\`${property.getName()}\` looks like a secret; ${info.keyword} values are stored in the image for anyone to read. Use a build secret (RUN --mount=type=secret).`,
          },
        ];
      });
    });
  },
};
