// Issue 18 item 2: registry networking as VS Code does it, on loopback. A real registry serves
// HTTPS with a certificate from a private CA made here, under a name (registry.corp.test) that
// resolves nowhere but at the test's CONNECT proxy or through the test's own resolver.
import { strict as assert } from 'node:assert';
import { X509Certificate } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { rootCertificates } from 'node:tls';
import { parseImageRef } from '../../server/src/language/imageRef';
import { ServerEnvironment } from '../../shared/protocol';
import { LINUX_BUNDLES, linuxBundleCertificates, systemCertificates, trustedCertificates, usableCertificates } from '../../server/src/registry/certificates';
import type { Lookup } from '../../server/src/registry/http';
import { editorNetwork, environmentNetwork, proxyFor, type NetworkSettings } from '../../server/src/registry/network';
import { OciClient } from '../../server/src/registry/ociClient';
import { addressPolicy, hostPolicy } from '../../server/src/registry/policy';
import { Transport, type TransportOptions } from '../../server/src/registry/transport';
import { RegistryError } from '../../server/src/registry/types';
import { startConnectProxy, type ConnectProxy } from './connect-proxy';
import { pushImage, startRegistry, type LocalRegistry } from './local-registry';
import { createPrivateCa, type PrivateCa } from './private-ca';

const NAME = 'registry.corp.test';
const PROXY_AUTH = `Basic ${Buffer.from('builder:s3cret-proxy-pass').toString('base64')}`;

let ca: PrivateCa;
let plain: LocalRegistry & { dataDir: string };
let secure: LocalRegistry;
let open: ConnectProxy;
let guarded: ConnectProxy;
let port: number;
const folders: string[] = [];

before(async () => {
  ca = createPrivateCa([NAME, '127.0.0.1']);
  // Images are pushed over plain HTTP, then served over HTTPS from the same storage.
  plain = await startRegistry();
  await pushImage(plain.host, 'team/app', ['1.0'], [{ os: 'linux', architecture: 'amd64', config: { User: 'app' } }]);
  secure = await startRegistry({ dataDir: plain.dataDir, tls: { certificate: ca.certificate, key: ca.key } });
  port = Number(secure.host.split(':')[1]);
  const upstream = () => ({ host: '127.0.0.1', port });
  [open, guarded] = await Promise.all([startConnectProxy(upstream), startConnectProxy(upstream, PROXY_AUTH)]);
});

after(async () => {
  await Promise.all([open?.stop(), guarded?.stop(), secure?.stop(), plain?.stop()]);
  ca?.remove();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** Resolves the test's registry name to loopback, as an internal DNS would; everything else as usual. */
const corpLookup: Lookup = (hostname, options, callback) => {
  if (hostname !== NAME) return (dnsLookup as unknown as Lookup)(hostname, options, callback);
  return options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4);
};

const DIRECT: NetworkSettings = { proxy: {}, noProxy: [], strictSSL: true, systemCertificates: false };
const through = (proxy: ConnectProxy, extra: Partial<NetworkSettings> = {}): NetworkSettings => ({ ...DIRECT, proxy: { 'https:': proxy.url, 'http:': proxy.url }, extraCertificates: [ca.caPem], ...extra });
const client = (options: Partial<TransportOptions>) =>
  new OciClient(new Transport({ timeoutMs: 5000, maxBytes: 1 << 20, allowHost: () => true, credentials: async () => undefined, log: () => undefined, ...options }));
const image = () => parseImageRef(`${NAME}:${port}/team/app:1.0`)!.ref;
const failure = (promise: Promise<unknown>) => promise.then(() => assert.fail('expected a RegistryError'), (e: unknown) => (e instanceof RegistryError ? e : assert.fail(`expected a RegistryError, got ${String(e)}`)));
const tunnelsSince = (proxy: ConnectProxy, from: number) => proxy.tunnels.slice(from);

// ─── Which proxy, if any ──────────────────────────────────────────────────────────────────────────

test('no-proxy entries: *, names with their subdomains, .name, *.name, host:port, addresses and CIDR ranges; loopback never proxied', () => {
  const proxied = (noProxy: string[], url: string) => proxyFor(new URL(url), { ...DIRECT, proxy: { 'https:': 'http://proxy.corp:3128', 'http:': 'http://proxy.corp:3128' }, noProxy })?.href;
  const cases: [string[], string, boolean][] = [
    [[], 'https://ghcr.io/v2/', true],
    [['*'], 'https://ghcr.io/v2/', false],
    [['corp.test'], `https://${NAME}/v2/`, false],
    [['corp.test'], 'https://corp.test/v2/', false],
    [['corp.test'], 'https://notcorp.test/v2/', true],
    [['.corp.test'], `https://${NAME}/v2/`, false],
    [['*.corp.test'], `https://${NAME}/v2/`, false],
    [[`${NAME}:5000`], `https://${NAME}:5000/v2/`, false],
    [[`${NAME}:5000`], `https://${NAME}/v2/`, true],
    [[`${NAME}:443`], `https://${NAME}/v2/`, false],
    [['10.0.0.0/8'], 'https://10.1.2.3/v2/', false],
    [['10.0.0.0/8'], 'https://11.1.2.3/v2/', true],
    [['10.0.0.0/8'], 'https://ten.example/v2/', true],
    [['fd00::/8'], 'https://[fd12::1]/v2/', false],
    [['192.168.1.7'], 'https://192.168.1.7:5000/v2/', false],
    [[], 'http://127.0.0.1:5000/v2/', false],
    [[], 'http://127.8.0.1:5000/v2/', false],
    [[], 'http://localhost:5000/v2/', false],
    [[], 'http://[::1]:5000/v2/', false],
    [[], 'http://[::ffff:127.0.0.1]:5000/v2/', false],
  ];
  for (const [noProxy, url, expected] of cases) assert.equal(proxied(noProxy, url) !== undefined, expected, `${noProxy.join(',') || '(none)'} ${url}`);
  // A bare host:port proxy means HTTP; other schemes are not proxies dockwise speaks.
  assert.equal(proxyFor(new URL('https://ghcr.io/'), { ...DIRECT, proxy: { 'https:': 'proxy.corp:3128' } })?.href, 'http://proxy.corp:3128/');
  assert.equal(proxyFor(new URL('https://ghcr.io/'), { ...DIRECT, proxy: { 'https:': 'socks5://proxy.corp:1080' } }), undefined);
});

test('the editor\'s http settings win over the environment; an empty http.noProxy leaves NO_PROXY in force', () => {
  const env = { HTTPS_PROXY: 'http://env-proxy:3128', HTTP_PROXY: 'http://env-http:3128', NO_PROXY: 'internal.example, .corp.test' };
  assert.deepEqual(environmentNetwork(env), { proxy: { 'http:': 'http://env-http:3128', 'https:': 'http://env-proxy:3128' }, noProxy: ['internal.example', '.corp.test'], strictSSL: true, systemCertificates: true });
  assert.deepEqual(environmentNetwork({ http_proxy: 'http://lower:1', HTTP_PROXY: 'http://upper:1' }).proxy, { 'http:': 'http://lower:1', 'https:': 'http://lower:1' });
  assert.deepEqual(editorNetwork({ proxy: ' http://editor:8080 ', noProxy: [], proxyStrictSSL: false, proxyAuthorization: PROXY_AUTH, systemCertificates: false }, env), {
    proxy: { 'http:': 'http://editor:8080', 'https:': 'http://editor:8080' },
    noProxy: ['internal.example', '.corp.test'],
    proxyAuthorization: PROXY_AUTH,
    strictSSL: false,
    systemCertificates: false,
  });
  assert.deepEqual(editorNetwork({ proxy: '', noProxy: ['only.example', 7] }, env), { ...environmentNetwork(env), noProxy: ['only.example'] });
  // Nothing pulled (an editor without configuration support): the environment, strict, with the system's certificates.
  assert.deepEqual(editorNetwork(undefined, {}), { proxy: {}, noProxy: [], strictSSL: true, systemCertificates: true });
});

// ─── Through a CONNECT proxy ──────────────────────────────────────────────────────────────────────

test('through a CONNECT proxy: the proxy resolves the name, and the registry\'s TLS is verified end to end', async () => {
  const from = open.tunnels.length;
  const description = await client({ network: through(open) }).describe(image());
  assert.equal(description.platforms[0]?.config?.user, 'app');
  const tunnels = tunnelsSince(open, from);
  assert.ok(tunnels.length >= 1 && tunnels.every((t) => t.authority === `${NAME}:${port}` && t.status === 200), JSON.stringify(tunnels));
  // Connections are kept alive: a manifest and its config are two requests, not two tunnels each time.
  const again = open.tunnels.length;
  await client({ network: through(open) }).describe(parseImageRef(`${NAME}:${port}/team/app@${description.digest}`)!.ref);
  assert.ok(open.tunnels.length - again <= 2, `${open.tunnels.length - again} tunnels`);
});

test('a proxy that wants credentials: 407 without them, in a message that says what to set; through with http.proxyAuthorization or user:password in the URL', async () => {
  const from = guarded.tunnels.length;
  const refused = await failure(client({ network: through(guarded) }).describe(image()));
  assert.equal(refused.kind, 'offline');
  assert.equal(refused.message, `the proxy at ${new URL(guarded.url).host} asks for credentials (407): set http.proxyAuthorization, or user:password in the proxy URL.`);
  assert.deepEqual(tunnelsSince(guarded, from).map((t) => [t.status, t.authorization ?? 'none']), [[407, 'none']]);

  const header = await client({ network: through(guarded, { proxyAuthorization: PROXY_AUTH }) }).describe(image());
  assert.equal(header.platforms.length, 1);
  const inUrl = new URL(guarded.url);
  inUrl.username = 'builder';
  inUrl.password = 's3cret-proxy-pass';
  const logged: string[] = [];
  const url = await client({ network: through(guarded, { proxy: { 'https:': inUrl.href } }), log: (line) => logged.push(line) }).describe(image());
  assert.equal(url.digest, header.digest);
  assert.ok(tunnelsSince(guarded, from).slice(1).every((t) => t.status === 200 && t.authorization === PROXY_AUTH));
  // The proxy's password is in no log line and no message.
  const wrong = new URL(guarded.url);
  wrong.username = 'builder';
  wrong.password = 'not-the-password';
  const denied = await failure(client({ network: through(guarded, { proxy: { 'https:': wrong.href } }) }).describe(image()));
  assert.ok(![...logged, denied.message, refused.message].some((text) => text.includes('s3cret') || text.includes('not-the-password')), [...logged, denied.message].join('\n'));
});

test('a no-proxy host goes direct: the proxy sees nothing, and the name resolves here', async () => {
  const from = open.tunnels.length;
  const description = await client({ network: through(open, { noProxy: ['corp.test'] }), lookup: corpLookup }).describe(image());
  assert.equal(description.platforms.length, 1);
  assert.deepEqual(tunnelsSince(open, from), []);
  // Without the entry the same request goes through the proxy.
  await client({ network: through(open), lookup: corpLookup }).describe(image());
  assert.ok(tunnelsSince(open, from).length > 0);
});

// ─── Certificates ─────────────────────────────────────────────────────────────────────────────────

test('a registry signed by a private CA is trusted only through the configured certificate; without it the message says what to do', async () => {
  const untrusted = await failure(client({ network: through(open, { extraCertificates: [] }) }).describe(image()));
  assert.equal(untrusted.kind, 'offline');
  assert.equal(untrusted.message, `${NAME}:${port} presented a certificate that is signed by a certificate authority that is not trusted here. Trust its CA in the system's certificate store or with NODE_EXTRA_CA_CERTS.`);
  // Directly, by address: the certificate names 127.0.0.1 too, and the same CA decides.
  const direct = (network: NetworkSettings) => new Transport({ timeoutMs: 5000, maxBytes: 1 << 20, allowHost: () => true, credentials: async () => undefined, log: () => undefined, network });
  assert.equal((await direct({ ...DIRECT, extraCertificates: [ca.caPem] }).request(new URL(`https://127.0.0.1:${port}/v2/`), 'GET', 'application/json', 'team/app')).status, 200);
  const refused = await failure(direct(DIRECT).request(new URL(`https://127.0.0.1:${port}/v2/`), 'GET', 'application/json', 'team/app'));
  assert.match(refused.message, /^127\.0\.0\.1:\d+ presented a certificate that is signed by a certificate authority that is not trusted here\./);
  // A certificate for another name is refused whatever the CA.
  const otherName = await failure(direct({ ...DIRECT, extraCertificates: [ca.caPem] }).request(new URL(`https://localhost:${port}/v2/`), 'GET', 'application/json', 'team/app'));
  assert.equal(otherName.message, `localhost:${port} presented a certificate that is for another host name.`);
});

test('http.proxyStrictSSL: false accepts the certificate, as VS Code does; true (the default) does not', async () => {
  const accepted = await client({ network: through(open, { extraCertificates: [], strictSSL: false }) }).describe(image());
  assert.equal(accepted.platforms.length, 1);
  const refused = await failure(client({ network: through(open, { extraCertificates: [], strictSSL: true }) }).describe(image()));
  assert.match(refused.message, /not trusted here/);
});

test('system certificates: the first Linux bundle that exists, expired and malformed entries dropped; NODE_EXTRA_CA_CERTS kept when a CA list replaces Node\'s', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dockwise-bundle-'));
  folders.push(dir);
  const bundle = join(dir, 'ca-certificates.crt');
  const expired = rootCertificates.find((pem) => Date.parse(new X509Certificate(pem).validTo) < Date.now());
  writeFileSync(bundle, [ca.caPem, '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----', ...(expired ? [expired] : []), ca.caPem].join('\n'));
  assert.deepEqual(await linuxBundleCertificates([join(dir, 'missing.crt'), bundle]), [ca.caPem.trim()]);
  assert.deepEqual(usableCertificates('no certificates here'), []);
  // Only Node's own store: nothing to pass.
  assert.equal(await trustedCertificates({ systemCertificates: false, env: { NODE_EXTRA_CA_CERTS: ca.caPath } }), undefined);
  const withSystem = await trustedCertificates({ systemCertificates: true, env: { NODE_EXTRA_CA_CERTS: ca.caPath }, system: async () => [] });
  assert.ok(withSystem && withSystem.length === rootCertificates.length + 1 && withSystem.includes(ca.caPem.trim()), 'Node\'s roots and the NODE_EXTRA_CA_CERTS file');
  // Kept from Node's start by the client (shared/protocol.ts): Node's store lacks the file, so the list is built.
  const deferred = await trustedCertificates({ systemCertificates: false, env: { NODE_EXTRA_CA_CERTS: ca.caPath, [ServerEnvironment.deferredExtraCaCerts]: ca.caPath } });
  assert.ok(deferred && deferred.length === rootCertificates.length + 1 && deferred.includes(ca.caPem.trim()), 'Node\'s roots and the deferred file');
  const fromSystem = await trustedCertificates({ systemCertificates: true, env: {}, system: async () => [ca.caPem.trim()] });
  assert.ok(fromSystem?.includes(ca.caPem.trim()));
  // This machine's own store is read where it exists.
  if (process.platform === 'linux' && LINUX_BUNDLES.some((path) => existsSync(path))) assert.ok((await systemCertificates()).length > 10);
});

// ─── The address policy is not side-stepped by a proxy ────────────────────────────────────────────

test('"all" mode through a proxy: an unlisted name that resolves to loopback, or does not resolve here, is refused before the proxy is asked', async () => {
  const all = { mode: 'all' as const, hosts: [] as string[], trusted: true };
  const from = open.tunnels.length;
  const policy = { allowHost: hostPolicy(all), allowAddress: addressPolicy(all)!, network: through(open) };
  const resolved = await failure(client({ ...policy, lookup: corpLookup }).describe(image()));
  assert.equal(resolved.kind, 'denied-by-policy');
  assert.equal(resolved.message, `${NAME}:${port} resolves to a private or loopback address; only hosts in dockwise.registry.hosts may.`);
  const unresolved = await failure(client(policy).describe(image()));
  assert.equal(unresolved.kind, 'denied-by-policy');
  assert.match(unresolved.message, /does not resolve here, so dockwise cannot check that the proxy would reach a public address; list it in dockwise\.registry\.hosts\.$/);
  assert.deepEqual(tunnelsSince(open, from), [], 'the proxy was never asked');
  // Listed, the same host goes through the proxy (which resolves it).
  const listed = { ...all, hosts: [`${NAME}:${port}`] };
  const description = await client({ allowHost: hostPolicy(listed), allowAddress: addressPolicy(listed)!, network: through(open) }).describe(image());
  assert.equal(description.platforms.length, 1);
  assert.ok(tunnelsSince(open, from).length > 0);
  // The proxy itself may be on loopback: it is the user's choice, not the registry's.
  assert.equal(new URL(open.url).hostname, '127.0.0.1');
});

test('HTTP_PROXY and NO_PROXY from the environment are what a transport without settings uses (the CLI)', async () => {
  const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY, https_proxy: process.env.https_proxy, no_proxy: process.env.no_proxy };
  delete process.env.https_proxy;
  delete process.env.no_proxy;
  process.env.HTTPS_PROXY = guarded.url.replace('http://', `http://builder:s3cret-proxy-pass@`);
  process.env.NO_PROXY = 'elsewhere.example';
  try {
    const from = guarded.tunnels.length;
    const description = await client({ network: { ...environmentNetwork(), systemCertificates: false, extraCertificates: [ca.caPem] } }).describe(image());
    assert.equal(description.platforms.length, 1);
    assert.ok(tunnelsSince(guarded, from).every((t) => t.status === 200 && t.authorization === PROXY_AUTH));
    // The default network is the environment's: no proxy settings given, the environment's proxy is asked.
    const before = guarded.tunnels.length;
    await failure(client({}).describe(image()));
    assert.ok(guarded.tunnels.length > before, 'the default transport went through HTTPS_PROXY');
  } finally {
    for (const [name, value] of Object.entries(saved)) if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});
