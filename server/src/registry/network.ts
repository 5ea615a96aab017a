/**
 * How registry connections are made, as the editor's `http.*` settings say (in the language server)
 * or the environment (in the CLI): which proxy, which hosts bypass it, how the proxy is
 * authenticated, and which certificates are trusted. The rules follow VS Code's own proxy agent
 * (@vscode/proxy-agent): loopback hosts always go direct; `http.noProxy`, when it lists anything,
 * replaces NO_PROXY; `http.proxy` wins over HTTP(S)_PROXY.
 */
import { BlockList, isIP } from 'node:net';

export interface NetworkSettings {
  /** Proxy URLs (`http:` or `https:`) by the scheme of the request they carry. */
  readonly proxy: { readonly 'http:'?: string; readonly 'https:'?: string };
  /** Hosts that bypass the proxy: `*`, `name` (and its subdomains), `.name`, `*.name`, `host:port`, an address or a CIDR range. */
  readonly noProxy: readonly string[];
  /** The Proxy-Authorization header sent to the proxy (`http.proxyAuthorization`); otherwise from the proxy URL's user:password. */
  readonly proxyAuthorization?: string;
  /** `http.proxyStrictSSL`: `false` accepts any certificate, as VS Code and its language servers do then. */
  readonly strictSSL: boolean;
  /** `http.systemCertificates`: trust the operating system's certificates as well as Node's own. */
  readonly systemCertificates: boolean;
  /** PEM certificates trusted besides those (tests; nothing in the product sets it). */
  readonly extraCertificates?: readonly string[];
}

/** Proxies from HTTP_PROXY/HTTPS_PROXY (lower case first, as curl reads them) and NO_PROXY. */
export function environmentNetwork(env: NodeJS.ProcessEnv = process.env): NetworkSettings {
  const http = env.http_proxy || env.HTTP_PROXY || undefined;
  const https = env.https_proxy || env.HTTPS_PROXY || http;
  return {
    proxy: { ...(http ? { 'http:': http } : {}), ...(https ? { 'https:': https } : {}) },
    noProxy: splitList(env.no_proxy || env.NO_PROXY || ''),
    strictSSL: true,
    systemCertificates: true,
  };
}

/** The editor's `http` settings section over the environment's. */
export function editorNetwork(http: unknown, env: NodeJS.ProcessEnv = process.env): NetworkSettings {
  const section = (http && typeof http === 'object' ? http : {}) as Record<string, unknown>;
  const base = environmentNetwork(env);
  const proxy = typeof section.proxy === 'string' && section.proxy.trim() ? section.proxy.trim() : undefined;
  const noProxy = Array.isArray(section.noProxy) ? section.noProxy.filter((h): h is string => typeof h === 'string').map((h) => h.trim()).filter(Boolean) : [];
  const authorization = typeof section.proxyAuthorization === 'string' && section.proxyAuthorization.trim() ? section.proxyAuthorization.trim() : undefined;
  return {
    proxy: proxy ? { 'http:': proxy, 'https:': proxy } : base.proxy,
    noProxy: noProxy.length > 0 ? noProxy : base.noProxy,
    ...(authorization ? { proxyAuthorization: authorization } : {}),
    strictSSL: section.proxyStrictSSL !== false,
    systemCertificates: section.systemCertificates !== false,
  };
}

const splitList = (text: string) => text.split(/[,\s]+/).map((h) => h.trim()).filter(Boolean);

/** Names and addresses that are this machine: never sent through a proxy (VS Code, Go and Docker agree). */
const LOOPBACK_NAME = /^(?:localhost|.*\.localhost)$/i;
const loopbackBlock = new BlockList();
loopbackBlock.addSubnet('127.0.0.0', 8, 'ipv4');
loopbackBlock.addAddress('::1', 'ipv6');

function isLoopback(hostname: string): boolean {
  if (LOOPBACK_NAME.test(hostname)) return true;
  const family = isIP(hostname);
  if (family === 0) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(hostname);
  if (mapped) return loopbackBlock.check(mapped[1]!, 'ipv4');
  return loopbackBlock.check(hostname, family === 4 ? 'ipv4' : 'ipv6');
}

/** Whether a no-proxy entry covers this host (`hostname` without brackets, `port` as a string). */
function bypasses(entry: string, hostname: string, port: string): boolean {
  const rule = entry.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (rule === '*') return true;
  const cidr = /^(.+)\/(\d{1,3})$/.exec(rule);
  const family = isIP(hostname);
  if (cidr) {
    const ruleFamily = isIP(cidr[1]!);
    if (ruleFamily === 0 || ruleFamily !== family) return false;
    const block = new BlockList();
    try {
      block.addSubnet(cidr[1]!, Number(cidr[2]), ruleFamily === 4 ? 'ipv4' : 'ipv6');
    } catch {
      return false;
    }
    return block.check(hostname, family === 4 ? 'ipv4' : 'ipv6');
  }
  // `host:port` (an IPv6 address has more than one colon and no port here).
  const withPort = /^(.*[^:]):(\d+)$/.exec(rule);
  const [name, rulePort] = withPort && isIP(rule) === 0 ? [withPort[1]!, withPort[2]!] : [rule, undefined];
  if (rulePort !== undefined && rulePort !== port) return false;
  const suffix = name.replace(/^\*?\./, '');
  return hostname === suffix || (isIP(suffix) === 0 && hostname.endsWith(`.${suffix}`));
}

/** The proxy for a request to `url`, or `undefined` to connect directly. */
export function proxyFor(url: URL, settings: NetworkSettings): URL | undefined {
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const proxy = settings.proxy[url.protocol as 'http:' | 'https:'];
  if (!proxy || isLoopback(hostname)) return undefined;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (settings.noProxy.some((entry) => bypasses(entry, hostname, port))) return undefined;
  try {
    // A bare `host:port`, as HTTP_PROXY is often written, means an HTTP proxy.
    const parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** What goes in Proxy-Authorization: the setting, else Basic from the proxy URL's user and password. */
export function proxyAuthorization(proxy: URL, settings: NetworkSettings): string | undefined {
  if (settings.proxyAuthorization) return settings.proxyAuthorization;
  if (!proxy.username && !proxy.password) return undefined;
  return `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`;
}
