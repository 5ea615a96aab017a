/**
 * undici's proxy-aware dispatchers without the rest of undici (its own fetch is not needed: Node's
 * fetch takes a dispatcher). undici's entry module also mixes its request API into every dispatcher,
 * which the proxy agent's CONNECT relies on, so that one line is repeated here. The package is
 * pinned to an exact version; the proxy test fails if its layout changes.
 *
 * Loaded on first use: most users have no proxy, and a server that never needs undici should not
 * spend start-up time and memory on it.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import type Agent from 'undici/lib/dispatcher/agent.js';
import type EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import type ProxyAgent from 'undici/lib/dispatcher/proxy-agent.js';
import type buildConnector from 'undici/lib/core/connect.js';

interface Undici {
  readonly Agent: typeof Agent;
  readonly EnvHttpProxyAgent: typeof EnvHttpProxyAgent;
  readonly ProxyAgent: typeof ProxyAgent;
  readonly buildConnector: typeof buildConnector;
}

let undici: Undici | undefined;

function load(): Undici {
  if (!undici) {
    const Dispatcher = require('undici/lib/dispatcher/dispatcher.js') as { prototype: object };
    const api = require('undici/lib/api/index.js') as Record<string, unknown>;
    Object.assign(Dispatcher.prototype, api);
    undici = {
      Agent: require('undici/lib/dispatcher/agent.js') as typeof Agent,
      buildConnector: require('undici/lib/core/connect.js') as typeof buildConnector,
      EnvHttpProxyAgent: require('undici/lib/dispatcher/env-http-proxy-agent.js') as typeof EnvHttpProxyAgent,
      ProxyAgent: require('undici/lib/dispatcher/proxy-agent.js') as typeof ProxyAgent,
    };
  }
  return undici;
}

/** Proxies from HTTP_PROXY / HTTPS_PROXY / NO_PROXY, which Node's own fetch ignores. */
export const envProxyAgent = (): EnvHttpProxyAgent => new (load().EnvHttpProxyAgent)();

/** The editor's `http.proxy`. */
export const proxyAgent = (url: string): ProxyAgent => new (load().ProxyAgent)(url);

/** The error code of a connection refused because of the address its name resolved to. */
export const DENIED_ADDRESS = 'EDOCKWISEADDRESS';

/** `dns.lookup`'s shape, as `net.connect` calls it (`all` or not). */
export type Lookup = (hostname: string, options: { all?: boolean; family?: number | string; hints?: number }, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => void;

const denied = (host: string) => Object.assign(new Error(`${host} resolves only to addresses dockwise may not contact`), { code: DENIED_ADDRESS });

/**
 * Direct connections whose addresses are checked as they are made: the name is resolved, addresses
 * `allow` refuses are dropped before connecting (so a DNS answer that changes between a check and
 * the connection cannot get around it), and a literal address is checked as it is.
 */
export function checkedAgent(allow: (host: string, address: string) => boolean, lookup: Lookup = dnsLookup as unknown as Lookup): Agent {
  const { Agent: AgentClass, buildConnector: build } = load();
  const connectors = new Map<string, ReturnType<typeof buildConnector>>();
  const connectorFor = (host: string) => {
    let connector = connectors.get(host);
    if (!connector) {
      if (connectors.size > 64) connectors.clear();
      const filtered: Lookup = (hostname, options, callback) =>
        lookup(hostname, { ...options, all: true }, (error, addresses) => {
          if (error) return callback(error, options.all ? [] : '');
          const kept = (addresses as LookupAddress[]).filter((a) => allow(host, a.address));
          if (kept.length === 0) return callback(denied(host), options.all ? [] : '');
          return options.all ? callback(null, kept) : callback(null, kept[0]!.address, kept[0]!.family);
        });
      connector = build({ lookup: filtered } as Parameters<typeof buildConnector>[0]);
      connectors.set(host, connector);
    }
    return connector;
  };
  return new AgentClass({
    connect: (options, callback) => {
      const host = options.host ?? options.hostname;
      const hostname = options.hostname.replace(/^\[|\]$/g, '');
      if (isIP(hostname) && !allow(host, hostname)) {
        callback(denied(host), null);
        return;
      }
      connectorFor(host)(options, callback);
    },
  });
}
