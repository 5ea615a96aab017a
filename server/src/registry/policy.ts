/**
 * Which hosts dockwise may contact. Public registries by default; private and loopback hosts only
 * when listed in `dockwise.registry.hosts`; in an untrusted workspace the public list and nothing else.
 */
export type NetworkMode = 'off' | 'public' | 'all';

/** Public registries, their token services and the CDNs their redirects lead to. */
export const PUBLIC_HOSTS: readonly string[] = [
  'registry-1.docker.io',
  'auth.docker.io',
  'production.cloudflare.docker.com',
  'hub.docker.com',
  'ghcr.io',
  'pkg-containers.githubusercontent.com',
  'quay.io',
  '*.quay.io',
  'mcr.microsoft.com',
  '*.data.mcr.microsoft.com',
  'gcr.io',
  '*.gcr.io',
  '*-docker.pkg.dev',
  'public.ecr.aws',
  'registry.k8s.io',
  'cgr.dev',
];

const PRIVATE = /^(?:localhost|127\.|10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|169\.254\.|\[?::1\]?$|\[?f[cd][0-9a-f]{2}:)/i;

const matches = (pattern: string, hostname: string) =>
  pattern.startsWith('*') ? hostname.endsWith(pattern.slice(1)) && hostname.length > pattern.length - 1 : hostname === pattern;

export interface PolicyInput {
  readonly mode: NetworkMode;
  /** `dockwise.registry.hosts`: `host` or `host:port`. */
  readonly hosts: readonly string[];
  /** Workspace trust: untrusted workspaces cannot widen the policy. */
  readonly trusted: boolean;
}

export function hostPolicy({ mode, hosts, trusted }: PolicyInput): (host: string) => boolean {
  const listed = trusted ? hosts.map((h) => h.toLowerCase()) : [];
  const effective: NetworkMode = trusted ? mode : mode === 'off' ? 'off' : 'public';
  return (host) => {
    if (effective === 'off') return false;
    const lower = host.toLowerCase();
    const hostname = lower.replace(/:\d+$/, '');
    if (listed.includes(lower) || listed.includes(hostname)) return true;
    if (PUBLIC_HOSTS.some((p) => matches(p, hostname))) return true;
    return effective === 'all' && !PRIVATE.test(hostname);
  };
}
