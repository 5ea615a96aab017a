/**
 * Which hosts dockwise may contact. Public registries by default; private and loopback hosts only
 * when listed in `dockwise.registry.hosts`; in an untrusted workspace the public list and nothing else.
 *
 * Two checks: `hostPolicy` on the host of every URL (each redirect hop included), which refuses
 * private and loopback address literals in every spelling (`0.0.0.0`, `[::]`, `[::ffff:127.0.0.1]`,
 * `100.64.0.0/10`, `fe80::/10`, …); and, in `"all"` mode, `addressPolicy` on the addresses a name
 * resolves to, which the transport applies when it connects, so a public-looking name that
 * resolves to a private address is refused too.
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

const matches = (pattern: string, hostname: string) =>
  pattern.startsWith('*') ? hostname.endsWith(pattern.slice(1)) && hostname.length > pattern.length - 1 : hostname === pattern;

/** Names that mean this machine whatever DNS says. */
const LOCAL_NAME = /^(?:localhost|.*\.localhost)\.?$/i;

/** IPv4 ranges that are not the public internet (RFC 6890 and friends), as [first octets, prefix length]. */
const PRIVATE_V4: readonly (readonly [readonly number[], number])[] = [
  [[0], 8], // "this network", 0.0.0.0 included
  [[10], 8],
  [[100, 64], 10], // carrier-grade NAT
  [[127], 8],
  [[169, 254], 16], // link-local, cloud metadata
  [[172, 16], 12],
  [[192, 0, 0], 24],
  [[192, 0, 2], 24],
  [[192, 88, 99], 24],
  [[192, 168], 16],
  [[198, 18], 15], // benchmarking
  [[198, 51, 100], 24],
  [[203, 0, 113], 24],
  [[224], 4], // multicast
  [[240], 4], // reserved, broadcast included
];

function inPrefix(bytes: readonly number[], prefix: readonly number[], length: number): boolean {
  for (let bit = 0; bit < length; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((bytes[byte] ?? 0) & mask) !== ((prefix[byte] ?? 0) & mask)) return false;
  }
  return true;
}

function parseV4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.map(Number);
}

function parseV6(text: string): number[] | undefined {
  let rest = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '').toLowerCase();
  if (!rest.includes(':')) return undefined;
  // An IPv4 tail (`::ffff:127.0.0.1`) stands for the last two groups.
  let tail: number[] = [];
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(rest);
  if (v4) {
    const bytes = parseV4(v4[2]!);
    if (!bytes) return undefined;
    tail = bytes;
    rest = v4[1]!.endsWith('::') ? v4[1]! : v4[1]!.slice(0, -1);
  }
  const wanted = 8 - tail.length / 2;
  const halves = rest.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]!);
  const back = halves.length === 2 ? groups(halves[1]!) : [];
  if (![...head, ...back].every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  const fill = halves.length === 2 ? wanted - head.length - back.length : 0;
  if (fill < 0) return undefined;
  const all = [...head, ...Array<string>(fill).fill('0'), ...back];
  if (all.length !== wanted) return undefined;
  return [...all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]), ...tail];
}

const v4Private = (bytes: readonly number[]) => PRIVATE_V4.some(([prefix, length]) => inPrefix(bytes, prefix, length));

function v6Private(bytes: readonly number[]): boolean {
  const embedded = bytes.slice(12);
  // IPv4-compatible (::a.b.c.d, :: and ::1 included), IPv4-mapped (::ffff:a.b.c.d), SIIT (::ffff:0:a.b.c.d), NAT64 (64:ff9b::/96).
  if (inPrefix(bytes, [], 96) || inPrefix(bytes, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 96) || inPrefix(bytes, [0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0], 96) || inPrefix(bytes, [0, 0x64, 0xff, 0x9b], 96)) {
    return v4Private(embedded);
  }
  // 6to4 carries its IPv4 address in bytes 2–5.
  if (inPrefix(bytes, [0x20, 0x02], 16)) return v4Private(bytes.slice(2, 6));
  return (
    inPrefix(bytes, [0, 0x64, 0xff, 0x9b, 0, 1], 48) || // local-use NAT64
    inPrefix(bytes, [0x01, 0], 64) || // discard
    inPrefix(bytes, [0x20, 0x01, 0, 0], 32) || // Teredo (an obfuscated IPv4 address)
    inPrefix(bytes, [0x20, 0x01, 0x0d, 0xb8], 32) || // documentation
    inPrefix(bytes, [0xfc], 7) || // unique local
    inPrefix(bytes, [0xfe, 0x80], 10) || // link-local
    inPrefix(bytes, [0xfe, 0xc0], 10) || // site-local (deprecated)
    inPrefix(bytes, [0xff], 8) // multicast
  );
}

/** Whether an address literal (IPv4, or IPv6 with or without brackets) is a private, loopback or otherwise non-public one. */
export function isPrivateAddress(address: string): boolean {
  const v4 = parseV4(address);
  if (v4) return v4Private(v4);
  const v6 = parseV6(address);
  return v6 ? v6Private(v6) : false;
}

/** Whether a host name is an address literal at all. */
const isAddressLiteral = (hostname: string) => parseV4(hostname) !== undefined || (hostname.startsWith('[') && parseV6(hostname) !== undefined);

/** The host as a URL spells it (`0x7f.1` → `127.0.0.1`, `[::ffff:127.0.0.1]` → `[::ffff:7f00:1]`), lower-case; `undefined` if it is not a host. */
function normalise(host: string): string | undefined {
  try {
    const url = new URL(`http://${host}`);
    return url.host === '' || url.pathname !== '/' || url.username || url.password ? undefined : url.host.toLowerCase();
  } catch {
    return undefined;
  }
}

export interface PolicyInput {
  readonly mode: NetworkMode;
  /** `dockwise.registry.hosts`: `host` or `host:port`. */
  readonly hosts: readonly string[];
  /** Workspace trust: untrusted workspaces cannot widen the policy. */
  readonly trusted: boolean;
}

function resolvedInput({ mode, hosts, trusted }: PolicyInput) {
  const listed = trusted ? hosts.flatMap((h) => normalise(h.trim()) ?? []) : [];
  const effective: NetworkMode = trusted ? mode : mode === 'off' ? 'off' : 'public';
  /** Listed by the user, or on the public list: such a host may be contacted whatever it resolves to. */
  const known = (host: string): boolean => {
    const hostname = host.replace(/:\d+$/, '');
    return listed.includes(host) || listed.includes(hostname) || PUBLIC_HOSTS.some((p) => matches(p, hostname));
  };
  return { effective, known };
}

export function hostPolicy(input: PolicyInput): (host: string) => boolean {
  const { effective, known } = resolvedInput(input);
  return (raw) => {
    if (effective === 'off') return false;
    const host = normalise(raw);
    if (!host) return false;
    if (known(host)) return true;
    if (effective !== 'all') return false;
    const hostname = host.replace(/:\d+$/, '');
    return !LOCAL_NAME.test(hostname) && !(isAddressLiteral(hostname) && isPrivateAddress(hostname));
  };
}

/**
 * In `"all"` mode, whether a connection to `host` (as a URL spells it) may go to `address`, one of
 * the addresses its name resolved to: listed and public hosts anywhere, every other host only to
 * public addresses. `undefined` in the other modes, where every host allowed is listed or public.
 */
export function addressPolicy(input: PolicyInput): ((host: string, address: string) => boolean) | undefined {
  const { effective, known } = resolvedInput(input);
  if (effective !== 'all') return undefined;
  return (raw, address) => {
    const host = normalise(raw);
    return !!host && (known(host) || !isPrivateAddress(address));
  };
}
