/**
 * One HTTP exchange with a registry over Node's own http and https, connected as the network
 * settings say: directly, with every address a name resolves to checked against the address policy
 * as the connection is made, or through the proxy's CONNECT tunnel (for https and plain http alike,
 * as undici did), with TLS verified against the trusted certificates (`certificates.ts`). The whole
 * exchange has one deadline and the body a size cap; connections are kept alive per host.
 *
 * Through a proxy the proxy resolves names, so in `"all"` mode a host the policy does not know is
 * resolved here first and refused unless every address is allowed: a proxy must not reach what a
 * direct connection may not. The proxy itself may be anywhere, loopback included: the user chose it.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent as HttpAgent, request as plainRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as secureRequest } from 'node:https';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, createSecureContext, type SecureContext } from 'node:tls';
import { trustedCertificates } from './certificates';
import { proxyAuthorization, proxyFor, type NetworkSettings } from './network';
import { RegistryError } from './types';

/** `dns.lookup`'s shape, as `net.connect` calls it (`all` or not). */
export type Lookup = (hostname: string, options: { all?: boolean; family?: number | string; hints?: number }, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => void;

export interface HttpOptions {
  readonly network: NetworkSettings;
  /** `"all"` mode: whether a connection to a host (as a URL spells it) may go to an address. */
  readonly allowAddress?: (host: string, address: string) => boolean;
  /** Name resolution for direct connections and the address check (node:dns by default). */
  readonly lookup?: Lookup;
}

export interface ExchangeOptions {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

export interface Exchange {
  readonly status: number;
  readonly headers: Headers;
  /** Empty for HEAD and for redirects (their bodies are not read). */
  readonly body: Buffer;
}

/** How long an idle kept-alive connection waits for the next request. */
const IDLE_MS = 5000;

/** What TLS says when it does not trust a certificate, in words, with whether a CA would fix it. */
const CERTIFICATE_PROBLEMS: Readonly<Record<string, { readonly says: string; readonly unknownAuthority: boolean }>> = {
  SELF_SIGNED_CERT_IN_CHAIN: { says: 'is signed by a certificate authority that is not trusted here', unknownAuthority: true },
  DEPTH_ZERO_SELF_SIGNED_CERT: { says: 'is self-signed', unknownAuthority: true },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: { says: 'is signed by a certificate authority that is not trusted here', unknownAuthority: true },
  UNABLE_TO_GET_ISSUER_CERT: { says: 'is signed by a certificate authority that is not trusted here', unknownAuthority: true },
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: { says: 'is signed by a certificate authority that is not trusted here', unknownAuthority: true },
  CERT_UNTRUSTED: { says: 'is not trusted', unknownAuthority: true },
  CERT_HAS_EXPIRED: { says: 'has expired', unknownAuthority: false },
  CERT_NOT_YET_VALID: { says: 'is not valid yet', unknownAuthority: false },
  ERR_TLS_CERT_ALTNAME_INVALID: { says: 'is for another host name', unknownAuthority: false },
};

function certificateFailure(error: unknown, who: string): RegistryError | undefined {
  const problem = CERTIFICATE_PROBLEMS[String((error as { code?: unknown } | undefined)?.code)];
  if (!problem) return undefined;
  const advice = problem.unknownAuthority ? ' Trust its CA in the system\'s certificate store or with NODE_EXTRA_CA_CERTS.' : '';
  return new RegistryError('offline', `${who} presented a certificate that ${problem.says}.${advice}`);
}

const deniedAddress = (host: string) => new RegistryError('denied-by-policy', `${host} resolves to a private or loopback address; only hosts in dockwise.registry.hosts may.`);

/** The host as a URL spells it (brackets for IPv6, no default port), which the policies are written against. */
const urlHost = (protocol: string, hostname: string, port: number) => new URL(`${protocol}//${isIP(hostname) === 6 ? `[${hostname}]` : hostname}:${port}`).host;

/** Thrown when a kept-alive connection turned out to be closed by the server: the request is sent again once. */
const STALE = Symbol('stale connection');

export class HttpClient {
  private readonly lookup: Lookup;
  private readonly agents: Readonly<Record<'http:' | 'https:', HttpAgent>>;
  private context: Promise<SecureContext> | undefined;

  constructor(private readonly options: HttpOptions) {
    this.lookup = options.lookup ?? (dnsLookup as unknown as Lookup);
    this.agents = { 'http:': this.agent(new HttpAgent({ keepAlive: true }), 'http:'), 'https:': this.agent(new HttpsAgent({ keepAlive: true }), 'https:') };
  }

  async exchange(url: URL, options: ExchangeOptions): Promise<Exchange> {
    try {
      return await this.attempt(url, options);
    } catch (error) {
      if (error !== STALE) throw error;
      return this.attempt(url, options);
    }
  }

  private attempt(url: URL, { method, headers, timeoutMs, maxBytes }: ExchangeOptions): Promise<Exchange> {
    const host = url.host;
    return new Promise<Exchange>((resolve, reject) => {
      let reading = false;
      const settle = (outcome: Exchange | RegistryError | typeof STALE) => {
        clearTimeout(timer);
        if (outcome instanceof RegistryError || outcome === STALE) {
          request.destroy();
          reject(outcome);
        } else resolve(outcome);
      };
      const timer = setTimeout(
        () => settle(new RegistryError('timeout', reading ? `${host} stopped sending before the response was complete.` : `${host} did not answer within ${timeoutMs / 1000} s.`)),
        timeoutMs,
      );
      const send = url.protocol === 'https:' ? secureRequest : plainRequest;
      // Compression is not asked for: bodies are small, and the cap then counts what is kept.
      const request: ClientRequest = send(url, { method, headers: { ...headers, 'accept-encoding': 'identity' }, agent: this.agents[url.protocol as 'http:' | 'https:'], timeout: timeoutMs });
      // `on`, not `once`: a destroyed request may report a second error.
      request.on('error', (error: NodeJS.ErrnoException) => {
        if (!reading && request.reusedSocket && error.code === 'ECONNRESET') return settle(STALE);
        if (error instanceof RegistryError) return settle(error);
        settle(certificateFailure(error, host) ?? new RegistryError('offline', reading ? `${host} stopped sending before the response was complete.` : `${host} cannot be reached.`));
      });
      request.once('response', (response: IncomingMessage) => {
        reading = true;
        const status = response.statusCode ?? 0;
        const received = headersOf(response);
        if (method === 'HEAD' || (status >= 300 && status < 400 && received.has('location'))) {
          // A redirect's body is not wanted; dropping the connection is cheaper than draining it.
          if (method !== 'HEAD') response.destroy();
          else response.resume();
          return settle({ status, headers: received, body: Buffer.alloc(0) });
        }
        const tooLarge = new RegistryError('invalid-response', `${host} sent a response larger than ${maxBytes} bytes.`);
        if (Number(received.get('content-length')) > maxBytes) return settle(tooLarge);
        const encoding = received.get('content-encoding')?.trim().toLowerCase();
        if (encoding && encoding !== 'identity') return settle(new RegistryError('invalid-response', `${host} sent a ${encoding}-encoded response, which dockwise did not ask for.`));
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) settle(tooLarge);
          else chunks.push(chunk);
        });
        response.once('end', () => settle({ status, headers: received, body: Buffer.concat(chunks) }));
        const cut = () => settle(new RegistryError('offline', `${host} stopped sending before the response was complete.`));
        response.on('error', cut);
        response.once('close', () => {
          if (!response.complete) cut();
        });
      });
      request.end();
    });
  }

  /**
   * A keep-alive agent whose connections this client makes. The idle limit is set as a connection
   * is parked, not as an agent option: that option would also replace each request's own time-out
   * in what reaches `createConnection`.
   */
  private agent<A extends HttpAgent>(agent: A, protocol: 'http:' | 'https:'): A {
    const park = agent.keepSocketAlive.bind(agent);
    agent.keepSocketAlive = (socket) => {
      // Node's agent closes a parked connection when it times out.
      (socket as Socket).setTimeout(IDLE_MS);
      return park(socket);
    };
    agent.createConnection = (options: RequestOptions, callback?: (error: Error | null, socket: Duplex) => void) => {
      const hostname = String(options.hostname ?? options.host ?? '').replace(/^\[(.*)\]$/, '$1');
      const port = Number(options.port) || (protocol === 'https:' ? 443 : 80);
      this.open(protocol, hostname, port, Number(options.timeout) || 30_000).then(
        (socket) => callback?.(null, socket),
        (error: Error) => callback?.(error, undefined as unknown as Duplex),
      );
      // Node's agent waits for the callback when nothing is returned.
      return undefined as unknown as Duplex;
    };
    return agent;
  }

  private async open(protocol: 'http:' | 'https:', hostname: string, port: number, timeoutMs: number): Promise<Duplex> {
    const host = urlHost(protocol, hostname, port);
    const proxy = proxyFor(new URL(`${protocol}//${host}`), this.options.network);
    // Ready before connecting, so nothing waits between a connected socket and its TLS.
    const secureContext = protocol === 'https:' || proxy?.protocol === 'https:' ? await this.secureContext() : undefined;
    const socket = proxy ? await this.tunnel(proxy, host, hostname, port, timeoutMs, secureContext) : await this.direct(host, hostname, port, timeoutMs);
    if (protocol === 'http:') return socket;
    return tlsConnect({ socket, host: hostname, ...(isIP(hostname) ? {} : { servername: hostname }), secureContext, ALPNProtocols: ['http/1.1'], ...this.verification() });
  }

  /** `http.proxyStrictSSL: false` turns verification off; otherwise Node's default (which NODE_TLS_REJECT_UNAUTHORIZED can change) applies. */
  private verification(): { rejectUnauthorized?: false } {
    return this.options.network.strictSSL ? {} : { rejectUnauthorized: false };
  }

  private secureContext(): Promise<SecureContext> {
    const { systemCertificates, extraCertificates } = this.options.network;
    this.context ??= trustedCertificates({ systemCertificates, ...(extraCertificates ? { extraCertificates } : {}) }).then((ca) => createSecureContext(ca ? { ca } : {}));
    return this.context;
  }

  /** A direct connection: a literal address is checked as it is, a name's addresses as they resolve. */
  private direct(host: string, hostname: string, port: number, timeoutMs: number): Promise<Socket> {
    const allow = this.options.allowAddress;
    if (allow && isIP(hostname) && !allow(host, hostname)) return Promise.reject(deniedAddress(host));
    const lookup: Lookup = !allow
      ? this.lookup
      : (name, options, callback) =>
          this.lookup(name, { ...options, all: true }, (error, addresses) => {
            if (error) return callback(error, options.all ? [] : '');
            const kept = (addresses as LookupAddress[]).filter((a) => allow(host, a.address));
            if (kept.length === 0) return callback(deniedAddress(host) as unknown as NodeJS.ErrnoException, options.all ? [] : '');
            return options.all ? callback(null, kept) : callback(null, kept[0]!.address, kept[0]!.family);
          });
    return connected(netConnect({ host: hostname, port, lookup: lookup as never }), timeoutMs, (error) => (error instanceof RegistryError ? error : new RegistryError('offline', `${host} cannot be reached.`)));
  }

  /** In `"all"` mode, a host the policy does not know goes through the proxy only if every address it resolves to here is allowed. */
  private async checkBeforeProxy(host: string, hostname: string): Promise<void> {
    const allow = this.options.allowAddress;
    // A host that may even reach loopback (listed, or a public registry) needs no resolving.
    if (!allow || allow(host, '127.0.0.1')) return;
    if (isIP(hostname)) {
      if (!allow(host, hostname)) throw deniedAddress(host);
      return;
    }
    const addresses = await new Promise<LookupAddress[]>((resolve) => this.lookup(hostname, { all: true }, (error, found) => resolve(error ? [] : (found as LookupAddress[]))));
    if (addresses.length === 0) throw new RegistryError('denied-by-policy', `${host} does not resolve here, so dockwise cannot check that the proxy would reach a public address; list it in dockwise.registry.hosts.`);
    if (!addresses.every((a) => allow(host, a.address))) throw deniedAddress(host);
  }

  /** A CONNECT tunnel through the proxy to `hostname:port`. */
  private async tunnel(proxy: URL, host: string, hostname: string, port: number, timeoutMs: number, secureContext: SecureContext | undefined): Promise<Socket> {
    await this.checkBeforeProxy(host, hostname);
    const secure = proxy.protocol === 'https:';
    const proxyHostname = proxy.hostname.replace(/^\[(.*)\]$/, '$1');
    // Named by host and port only: the proxy URL may carry a password.
    const who = `the proxy at ${proxy.host}`;
    const authority = `${isIP(hostname) === 6 ? `[${hostname}]` : hostname}:${port}`;
    const authorization = proxyAuthorization(proxy, this.options.network);
    const options: RequestOptions = {
      host: proxyHostname,
      port: Number(proxy.port) || (secure ? 443 : 80),
      method: 'CONNECT',
      path: authority,
      headers: { host: authority, ...(authorization ? { 'proxy-authorization': authorization } : {}) },
      agent: false,
      timeout: timeoutMs,
    };
    const tlsOptions = secure ? { ...(isIP(proxyHostname) ? {} : { servername: proxyHostname }), secureContext, ...this.verification() } : {};
    return new Promise<Socket>((resolve, reject) => {
      const request = (secure ? secureRequest : plainRequest)({ ...options, ...tlsOptions });
      request.once('connect', (response: IncomingMessage, socket: Socket, head: Buffer) => {
        if (response.statusCode === 200) {
          socket.setTimeout(0);
          if (head.length > 0) socket.unshift(head);
          return resolve(socket);
        }
        socket.destroy();
        reject(
          new RegistryError(
            'offline',
            response.statusCode === 407
              ? `${who} asks for credentials (407): set http.proxyAuthorization, or user:password in the proxy URL.`
              : `${who} refused a connection to ${host} (${response.statusCode}).`,
          ),
        );
      });
      request.once('timeout', () => request.destroy(new RegistryError('timeout', `${who} did not answer within ${timeoutMs / 1000} s.`)));
      request.on('error', (error) => reject(error instanceof RegistryError ? error : (certificateFailure(error, who) ?? new RegistryError('offline', `${who} cannot be reached.`))));
      request.end();
    });
  }
}

/** Resolves once the socket connects; a connection that takes longer than `timeoutMs` is dropped. */
function connected(socket: Socket, timeoutMs: number, failure: (error: Error) => RegistryError): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => socket.destroy(new Error('connect timeout')), timeoutMs);
    const failed = (error: Error) => {
      clearTimeout(timer);
      reject(failure(error));
    };
    socket.once('error', failed);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', failed);
      resolve(socket);
    });
  });
}

/** The response's headers as fetch would give them (repeated ones joined); a header Headers refuses is dropped. */
function headersOf(response: IncomingMessage): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < response.rawHeaders.length; i += 2) {
    try {
      headers.append(response.rawHeaders[i]!, response.rawHeaders[i + 1]!);
    } catch {
      // A value fetch would refuse is not one a registry needs.
    }
  }
  return headers;
}
