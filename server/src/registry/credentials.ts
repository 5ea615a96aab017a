/**
 * Registry credentials from the user's Docker configuration, read only when a registry asks:
 * `credHelpers`, then `credsStore` (through `docker-credential-<helper> get`), then `auths`; then
 * Podman's `auth.json` files. A credential is looked up for exactly one host and never logged.
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
  const docker = join(env.DOCKER_CONFIG ?? join(home, '.docker'), 'config.json');
  // Podman and the containers tools: REGISTRY_AUTH_FILE, then the runtime and config folders.
  const podman = [
    env.REGISTRY_AUTH_FILE,
    env.XDG_RUNTIME_DIR && join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'),
    join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'containers', 'auth.json'),
  ].filter((p): p is string => !!p);
  return async (host) => {
    for (const path of [docker, ...podman]) {
      const found = await fromFile(path, host, env);
      if (found) return found;
    }
    return undefined;
  };
}

async function fromFile(path: string, host: string, env: NodeJS.ProcessEnv): Promise<Credential | undefined> {
  let config: DockerConfig;
  try {
    config = JSON.parse(await readFile(path, 'utf8')) as DockerConfig;
  } catch {
    return undefined;
  }
  // Podman writes Docker Hub as docker.io; Docker as its legacy URL.
  const key = path.endsWith('auth.json') && keyFor(host).startsWith('https://index.docker.io') ? 'docker.io' : keyFor(host);
  const helper = config.credHelpers?.[key] ?? config.credsStore;
  if (helper && /^[\w.-]+$/.test(helper)) {
    const fromHelper = await runHelper(helper, key, env);
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
}

/** The credential-helper protocol: server URL on stdin, `{ Username, Secret }` on stdout. */
function runHelper(helper: string, serverUrl: string, env: NodeJS.ProcessEnv): Promise<Credential | undefined> {
  return new Promise((resolve) => {
    const child = execFile(`docker-credential-${helper}`, ['get'], { timeout: 5000, maxBuffer: 64 * 1024, env }, (error, stdout) => {
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
