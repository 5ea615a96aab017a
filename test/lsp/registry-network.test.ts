// VS Code's http.* settings reach the registry transport: the server pulls the `http` section
// through workspace/configuration, as an editor answers it, and follows changes to it. The
// registry serves HTTPS from a private CA that the server process trusts only through
// NODE_EXTRA_CA_CERTS (which it inherits from the editor, handed over by the client's
// serverEnvironment() so that Node's start skips it), under a name only the proxy resolves. The
// system's certificates are off, so only the server's own reading of that file can trust the CA.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { DidChangeConfigurationNotification, DidOpenTextDocumentNotification, HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { serverEnvironment } from '../../client/src/processFlags';
import { startConnectProxy, type ConnectProxy } from '../registry/connect-proxy';
import { pushImage, startRegistry, type LocalRegistry } from '../registry/local-registry';
import { createPrivateCa, type PrivateCa } from '../registry/private-ca';
import { startInitializedServer, type LspSession } from './lsp-client';

const NAME = 'registry.corp.test';
const PROXY_AUTH = `Basic ${Buffer.from('builder:s3cret-proxy-pass').toString('base64')}`;

let ca: PrivateCa;
let plain: LocalRegistry & { dataDir: string };
let secure: LocalRegistry;
let proxy: ConnectProxy;
let lsp: LspSession;
let port: number;

before(async () => {
  ca = createPrivateCa([NAME]);
  plain = await startRegistry();
  await pushImage(plain.host, 'team/app', ['1.0', '2.0'], [{ os: 'linux', architecture: 'amd64', config: { User: 'app' } }]);
  secure = await startRegistry({ dataDir: plain.dataDir, tls: { certificate: ca.certificate, key: ca.key } });
  port = Number(secure.host.split(':')[1]);
  proxy = await startConnectProxy(() => ({ host: '127.0.0.1', port }), PROXY_AUTH);
  lsp = await startInitializedServer({ dockwise: { registry: { hosts: [`${NAME}:${port}`], timeoutSeconds: 2 } }, env: { ...serverEnvironment({ NODE_EXTRA_CA_CERTS: ca.caPath }), HTTPS_PROXY: '', https_proxy: '', NO_PROXY: '', no_proxy: '' } });
  lsp.settings.http = { proxy: proxy.url, proxyAuthorization: PROXY_AUTH, noProxy: [], systemCertificates: false };
});

after(async () => {
  lsp?.process.kill();
  await Promise.all([proxy?.stop(), secure?.stop(), plain?.stop()]);
  ca?.remove();
});

async function hoverOf(tag: string): Promise<string> {
  const uri = `untitled:network-${tag}`;
  const text = `FROM ${NAME}:${port}/team/app:${tag}\n`;
  await lsp.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
  const hover = await lsp.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 8 } });
  return (hover?.contents as MarkupContent).value;
}

test('http.proxy and http.proxyAuthorization carry the hover\'s requests through the proxy, TLS trusted through NODE_EXTRA_CA_CERTS', async () => {
  const hover = await hoverOf('1.0');
  assert.match(hover, /linux\/amd64/, hover);
  assert.ok(proxy.tunnels.length > 0 && proxy.tunnels.every((t) => t.authority === `${NAME}:${port}` && t.authorization === PROXY_AUTH && t.status === 200), JSON.stringify(proxy.tunnels));
});

test('a change to http.noProxy is followed: the host then goes direct (and its name resolves nowhere here)', async () => {
  const before = proxy.tunnels.length;
  lsp.settings.http = { proxy: proxy.url, proxyAuthorization: PROXY_AUTH, noProxy: ['corp.test'], systemCertificates: false };
  await lsp.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  const hover = await hoverOf('2.0');
  assert.ok(hover.endsWith(` · registry data unavailable: ${NAME}:${port} cannot be reached.`), hover);
  assert.equal(proxy.tunnels.length, before, 'the proxy was not asked');
});
