/**
 * Registry credentials from the user's Docker configuration, read only when a registry asks:
 * `credHelpers`, then `credsStore` (through `docker-credential-<helper> get`), then `auths`.
 * A credential is looked up for exactly one host and never logged.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Credential } from './transport';

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** Docker Hub's credentials live under its legacy key. */
const keyFor = (host: string) => (host === 'registry-1.docker.io' || host === 'index.docker.io' ? 'https://index.docker.io/v1/' : host);
const hostnameOf = (key: string) => key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');

export function dockerCredentials(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): (host: string) => Promise<Credential | undefined> {
  const path = join(env.DOCKER_CONFIG ?? join(home, '.docker'), 'config.json');
  return async (host) => {
    let config: DockerConfig;
    try {
      config = JSON.parse(await readFile(path, 'utf8')) as DockerConfig;
    } catch {
      return undefined;
    }
    const key = keyFor(host);
    const helper = config.credHelpers?.[key] ?? config.credsStore;
    if (helper && /^[\w.-]+$/.test(helper)) {
      const fromHelper = await runHelper(helper, key);
      if (fromHelper) return fromHelper;
    }
    const entry = config.auths?.[key] ?? Object.entries(config.auths ?? {}).find(([k]) => hostnameOf(k) === hostnameOf(key))?.[1];
    if (!entry) return undefined;
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) return { username: decoded.slice(0, colon), secret: decoded.slice(colon + 1).replace(/\0+$/, '') };
    }
    return entry.username && entry.password ? { username: entry.username, secret: entry.password } : undefined;
  };
}

/** The credential-helper protocol: server URL on stdin, `{ Username, Secret }` on stdout. */
function runHelper(helper: string, serverUrl: string): Promise<Credential | undefined> {
  return new Promise((resolve) => {
    const child = execFile(`docker-credential-${helper}`, ['get'], { timeout: 5000, maxBuffer: 64 * 1024 }, (error, stdout) => {
      if (error) return resolve(undefined);
      try {
        const parsed = JSON.parse(stdout) as { Username?: unknown; Secret?: unknown };
        resolve(typeof parsed.Username === 'string' && typeof parsed.Secret === 'string' ? { username: parsed.Username, secret: parsed.Secret } : undefined);
      } catch {
        resolve(undefined);
      }
    });
    child.stdin?.end(serverUrl);
  });
}
