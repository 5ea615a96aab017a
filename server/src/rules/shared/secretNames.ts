/** Whether a variable name or a value looks like a secret: shared by the rules about secrets. */

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

/** `NPM_TOKEN`, `dbPassword`, `LDAP_ROOTPASS`: yes; `GPG_KEY`, `API_KEY_FILE`, `PWD`, `BYPASS_PROXY`: no. */
export function looksSecret(name: string): boolean {
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
export function harmlessValue(value: string | null): boolean {
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
