/**
 * HTTP for registries: time-outs, capped bodies, per-host concurrency, redirects that never carry
 * credentials to another origin (scheme, host and port), the Bearer token dance and Basic auth.
 * Credentials never travel over plain HTTP unless the registry itself is addressed over HTTP (a
 * loopback registry). How connections are made (proxy, certificates, the address check as they
 * are made) is `http.ts`'s.
 */
import { parseChallenges, type Challenge } from './challenge';
import { HttpClient, type Lookup } from './http';
import { environmentNetwork, type NetworkSettings } from './network';
import { RegistryError, type RegistryFailure } from './types';

export interface Credential {
  readonly username: string;
  readonly secret: string;
}

export interface TransportOptions {
  readonly timeoutMs: number;
  /** Bodies larger than this are refused: a manifest or config is kilobytes. */
  readonly maxBytes: number;
  /** Whether a host may be contacted at all (network policy). */
  readonly allowHost: (host: string) => boolean;
  /** Credentials for exactly this registry host, if the user has any. */
  readonly credentials: (host: string) => Promise<Credential | undefined>;
  /** Host, path, status and timing of each request: never headers or tokens. */
  readonly log: (line: string) => void;
  readonly maxPerHost?: number;
  /** Proxy, certificates and strict SSL: the editor's `http.*` settings, or by default the environment's. */
  readonly network?: NetworkSettings;
  /**
   * For `dockwise.registry.network: "all"`: whether a connection to a host (as a URL spells it)
   * may go to an address its name resolved to. Applied at connect time, and before a proxy is
   * asked for a host the policy does not know.
   */
  readonly allowAddress?: (host: string, address: string) => boolean;
  /** Name resolution for direct connections and `allowAddress` (node:dns by default; tests resolve their own names). */
  readonly lookup?: Lookup;
}

export interface Response {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
  readonly url: URL;
}

interface Token {
  readonly value: string;
  readonly expires: number;
  /** Obtained with the user's credentials (not anonymously). */
  readonly secret: boolean;
}

/** An Authorization header, and whether it carries the user's credentials (Basic, or a token they bought). */
interface Auth {
  readonly header: string;
  readonly secret: boolean;
}

const MAX_REDIRECTS = 5;
/** A registry's Retry-After is honoured up to this long. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;
/** Failures after which a host is left alone for a while (or for its Retry-After). */
const BACK_OFF = new Set(['offline', 'timeout', 'rate-limited', 'server-error']);
const BACK_OFF_MS = 30_000;

export class Transport {
  private readonly tokens = new Map<string, Token>();
  /** Hosts that took Basic credentials: send them up front instead of waiting for another 401. */
  private readonly basic = new Map<string, string>();
  /** Hosts that failed, and until when they are left alone. */
  private readonly backoff = new Map<string, { kind: RegistryFailure; until: number }>();
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  private readonly http: HttpClient;

  constructor(private readonly options: TransportOptions) {
    this.http = new HttpClient({
      network: options.network ?? environmentNetwork(),
      ...(options.allowAddress ? { allowAddress: options.allowAddress } : {}),
      ...(options.lookup ? { lookup: options.lookup } : {}),
    });
  }

  /** A request to a registry; `scope` is the repository whose pull access it needs. */
  async request(url: URL, method: 'GET' | 'HEAD', accept: string, scope: string): Promise<Response> {
    const origin = url.host;
    const resting = this.backoff.get(origin);
    if (resting && resting.until > Date.now()) throw new RegistryError(resting.kind, `${origin} failed recently; not asking again for ${Math.ceil((resting.until - Date.now()) / 1000)} s.`);
    try {
      return await this.attempt(url, method, accept, scope);
    } catch (error) {
      if (error instanceof RegistryError && BACK_OFF.has(error.kind)) {
        this.backoff.set(origin, { kind: error.kind, until: Date.now() + (error.retryAfterMs ?? BACK_OFF_MS) });
      }
      throw error;
    }
  }

  private async attempt(url: URL, method: 'GET' | 'HEAD', accept: string, scope: string): Promise<Response> {
    // The URL asked for is the registry as configured: plain HTTP only if it is addressed so.
    const configured = url.origin;
    let response = await this.send(url, method, accept, this.authorization(url.origin, scope), configured);
    if (response.status === 401) {
      // The challenge may come from another host a redirect led to (registry.k8s.io → Artifact
      // Registry): authenticate with that host, and ask it directly.
      const target = response.url;
      const challenge = pickChallenge(response.headers.get('www-authenticate'));
      const auth = challenge ? await this.answer(target, challenge, scope, configured) : undefined;
      if (auth) response = await this.send(target, method, accept, auth, configured);
      if (auth?.header.startsWith('Basic ') && response.status !== 401) this.basic.set(target.origin, auth.header);
      if (response.status === 401) throw new RegistryError('unauthorized', `${target.host} refused access to ${scope}${auth ? '' : ' (no credentials for it)'}.`);
    }
    const origin = response.url.host;
    if (response.status === 429) {
      throw new RegistryError('rate-limited', `${origin} is rate-limiting requests.`, retryAfterMs(response.headers.get('retry-after')));
    }
    if (response.status === 403) throw new RegistryError('unauthorized', `${origin} denied access to ${scope}.`);
    if (response.status === 404) throw new RegistryError('not-found', `${scope} was not found on ${origin}.`);
    if (response.status >= 500) throw new RegistryError('server-error', `${origin} answered ${response.status}.`);
    if (response.status >= 400) throw new RegistryError('invalid-response', `${origin} answered ${response.status}.`);
    return response;
  }

  /**
   * Sends one request, following redirects by hand so credentials stay with their origin: a hop to
   * another scheme, host or port goes without them, and so does any hop over plain HTTP that is not
   * the registry's own configured HTTP origin.
   */
  private async send(first: URL, method: string, accept: string, auth: Auth | undefined, configured: string): Promise<Response> {
    let url = first;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RegistryError('invalid-response', `${first.host} redirected to a URL that is not HTTP.`);
      if (!this.options.allowHost(url.host)) throw new RegistryError('denied-by-policy', `${url.host} is not allowed by dockwise.registry settings.`);
      // An anonymous token may go back to the origin that issued it; the user's credentials only where mayCarryCredentials says.
      const withCredentials = !!auth && url.origin === first.origin && (!auth.secret || mayCarryCredentials(url, configured));
      const started = Date.now();
      const target = url;
      const response = await this.limited(url.host, () =>
        this.http.exchange(target, {
          method,
          headers: { accept, ...(withCredentials ? { authorization: auth.header } : {}) },
          timeoutMs: this.options.timeoutMs,
          maxBytes: this.options.maxBytes,
        }),
      );
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        this.options.log(`${method} ${url.host}${url.pathname} → ${response.status} redirect (${Date.now() - started} ms)`);
        try {
          url = new URL(location, url);
        } catch {
          throw new RegistryError('invalid-response', `${url.host} sent a redirect that is not a URL.`);
        }
        continue;
      }
      this.options.log(`${method} ${url.host}${url.pathname} → ${response.status} (${Date.now() - started} ms)`);
      return { status: response.status, headers: response.headers, body: response.body, url };
    }
    throw new RegistryError('invalid-response', `${first.host} redirected more than ${MAX_REDIRECTS} times.`);
  }

  /** What an earlier answer left for this origin: a token for the scope, or Basic credentials that worked. */
  private authorization(origin: string, scope: string): Auth | undefined {
    const token = this.tokens.get(`${origin} ${scope}`);
    if (token && token.expires > Date.now()) return { header: `Bearer ${token.value}`, secret: token.secret };
    const basic = this.basic.get(origin);
    return basic ? { header: basic, secret: true } : undefined;
  }

  /** Answers a 401 challenge: a Bearer token from the realm, or Basic credentials. */
  private async answer(target: URL, challenge: Challenge, scope: string, configured: string): Promise<Auth | undefined> {
    // Over plain HTTP only the registry's own configured HTTP origin may have credentials.
    const credential = mayCarryCredentials(target, configured) ? await this.options.credentials(target.host) : undefined;
    const basic = credential ? `Basic ${Buffer.from(`${credential.username}:${credential.secret}`).toString('base64')}` : undefined;
    if (challenge.scheme === 'basic') return basic ? { header: basic, secret: true } : undefined;
    const realm = challenge.params.realm;
    if (!realm) return undefined;
    let tokenUrl: URL;
    try {
      tokenUrl = new URL(realm);
    } catch {
      throw new RegistryError('invalid-response', `${target.host} sent a token realm that is not a URL.`);
    }
    if (tokenUrl.protocol !== 'https:' && tokenUrl.protocol !== 'http:') throw new RegistryError('invalid-response', `${target.host} sent a token realm that is not HTTP.`);
    if (challenge.params.service) tokenUrl.searchParams.set('service', challenge.params.service);
    tokenUrl.searchParams.set('scope', `repository:${scope}:pull`);
    // Registry credentials go to its token service only when that service is part of the same
    // registry (the same origin, or Docker Hub's), and never in clear to an origin not configured so.
    const send = basic && sameSite(tokenUrl, target) && mayCarryCredentials(tokenUrl, configured) ? basic : undefined;
    const response = await this.send(tokenUrl, 'GET', 'application/json', send ? { header: send, secret: true } : undefined, configured);
    if (response.status !== 200) throw new RegistryError('unauthorized', `${tokenUrl.host} refused a token for ${scope}.`);
    let parsed: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      parsed = JSON.parse(response.body.toString('utf8')) as typeof parsed;
    } catch {
      throw new RegistryError('invalid-response', `${tokenUrl.host} sent a token response that is not JSON.`);
    }
    const value = typeof parsed.token === 'string' ? parsed.token : typeof parsed.access_token === 'string' ? parsed.access_token : undefined;
    if (!value) throw new RegistryError('invalid-response', `${tokenUrl.host} sent no token.`);
    const lifetime = Math.min(86_400, Math.max(60, typeof parsed.expires_in === 'number' && Number.isFinite(parsed.expires_in) ? parsed.expires_in : 60));
    // Renew a little early so a token never expires between the check and the request.
    if (this.tokens.size > 1000) this.tokens.clear();
    this.tokens.set(`${target.origin} ${scope}`, { value, expires: Date.now() + (lifetime - 10) * 1000, secret: !!send });
    return { header: `Bearer ${value}`, secret: !!send };
  }

  private async limited<T>(host: string, run: () => Promise<T>): Promise<T> {
    const max = this.options.maxPerHost ?? 4;
    while ((this.active.get(host) ?? 0) >= max) {
      await new Promise<void>((resolve) => this.waiting.set(host, [...(this.waiting.get(host) ?? []), resolve]));
    }
    this.active.set(host, (this.active.get(host) ?? 0) + 1);
    try {
      return await run();
    } finally {
      this.active.set(host, (this.active.get(host) ?? 1) - 1);
      this.waiting.get(host)?.shift()?.();
    }
  }
}

function pickChallenge(header: string | null): Challenge | undefined {
  const challenges = parseChallenges(header ?? '');
  return challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
}

/** Docker Hub's registry and token service are one service on two hosts; otherwise the origins must match. */
function sameSite(token: URL, registry: URL): boolean {
  return token.origin === registry.origin || (token.origin === 'https://auth.docker.io' && registry.origin === 'https://registry-1.docker.io');
}

/** Credentials go over HTTPS, or over plain HTTP only to the origin the registry is configured at. */
function mayCarryCredentials(url: URL, configured: string): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && url.origin === configured && new URL(configured).protocol === 'http:');
}

/** Retry-After in seconds or as an HTTP date, capped; `undefined` when absent or nonsense. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : /[a-z]/i.test(text) ? Date.parse(text) - now : NaN;
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, MAX_RETRY_AFTER_MS) : undefined;
}
