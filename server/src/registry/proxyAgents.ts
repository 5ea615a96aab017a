/**
 * undici's proxy-aware dispatchers without the rest of undici (its own fetch is not needed: Node's
 * fetch takes a dispatcher). undici's entry module also mixes its request API into every dispatcher,
 * which the proxy agent's CONNECT relies on, so that one line is repeated here. The package is
 * pinned to an exact version; the proxy test fails if its layout changes.
 */
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import ProxyAgent from 'undici/lib/dispatcher/proxy-agent.js';

Object.assign(Dispatcher.prototype, api);

export { EnvHttpProxyAgent, ProxyAgent };
