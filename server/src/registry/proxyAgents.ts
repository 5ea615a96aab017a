/**
 * undici's proxy-aware dispatchers without the rest of undici (its own fetch is not needed: Node's
 * fetch takes a dispatcher). undici's entry module also mixes its request API into every dispatcher,
 * which the proxy agent's CONNECT relies on, so that one line is repeated here. The package is
 * pinned to an exact version; the proxy test fails if its layout changes.
 *
 * Loaded on first use: most users have no proxy, and a server that never needs undici should not
 * spend start-up time and memory on it.
 */
import type EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import type ProxyAgent from 'undici/lib/dispatcher/proxy-agent.js';

interface Undici {
  readonly EnvHttpProxyAgent: typeof EnvHttpProxyAgent;
  readonly ProxyAgent: typeof ProxyAgent;
}

let undici: Undici | undefined;

function load(): Undici {
  if (!undici) {
    const Dispatcher = require('undici/lib/dispatcher/dispatcher.js') as { prototype: object };
    const api = require('undici/lib/api/index.js') as Record<string, unknown>;
    Object.assign(Dispatcher.prototype, api);
    undici = {
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
