// The whole server inside the test process: createServer over a pair of in-memory streams, with a
// fake registry service, driven by a protocol client. Registry facts land, exactly the document that
// uses the image is linted again, only the facts an enabled rule names are asked for, and the
// handlers answer from one model per version.
import { strict as assert } from 'node:assert';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkspaceSymbolRequest,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import type { ImageFactName } from '../../server/src/engine/rule';
import type { ImageRef } from '../../server/src/language/imageRef';
import { rules } from '../../server/src/rules';
import { createServer } from '../../server/src/server';
import type { RegistryConnection, RegistryServices } from '../../server/src/services';
import type { ImageDescription } from '../../server/src/registry/types';

const DIGEST = `sha256:${'c'.repeat(64)}`;
const DESCRIPTION: ImageDescription = { digest: DIGEST, mediaType: 'application/vnd.oci.image.manifest.v1+json', platforms: [{ os: 'linux', architecture: 'amd64', digest: DIGEST, compressedSize: 1000 }], fetchedAt: 0 };

/** A registry in memory: every image is a one-platform image from a publisher without a badge. */
function fakeRegistry(asked: { ref: string; wanted: ImageFactName[] }[]): RegistryServices {
  return {
    connect: (): RegistryConnection =>
      ({
        allows: () => true,
        imageFacts: async (ref: ImageRef, wanted: ReadonlySet<ImageFactName>) => {
          asked.push({ ref: ref.familiar, wanted: [...wanted].sort() });
          return { description: DESCRIPTION, facts: { digest: DIGEST, platforms: ['linux/amd64'], ...(wanted.has('hubBadge') ? { hubBadge: 'none' as const } : {}) } };
        },
        registry: { describe: async () => DESCRIPTION, tags: async () => [], flush: async () => undefined, refresh: () => undefined },
        hub: { tag: async () => undefined, repository: async () => undefined },
      }) as unknown as RegistryConnection,
  };
}

let client: ProtocolConnection;
const published: PublishDiagnosticsParams[] = [];
const asked: { ref: string; wanted: ImageFactName[] }[] = [];
/** Only untrusted-publisher is on: it names the Hub badge as the one fact it reads. */
const settings = { dockwise: { rules: Object.fromEntries(rules.map((r) => [r.meta.id, r.meta.id === 'untrusted-publisher' ? 'info' : 'off'])) } };

before(async () => {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  createServer(createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient)), { rules, registry: fakeRegistry(asked) });
  client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  client.onNotification(PublishDiagnosticsNotification.type, (p) => {
    published.push(p);
  });
  client.onRequest(RegistrationRequest.type, () => undefined);
  client.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => (settings as Record<string, unknown>)[item.section ?? ''] ?? null));
  client.listen();
  await client.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, workspaceFolders: null, capabilities: { workspace: { configuration: true } }, initializationOptions: { lintDelayMs: 0 } });
  await client.sendNotification(InitializedNotification.type, {});
});

after(() => client.dispose());

async function until<T>(find: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}; published ${JSON.stringify(published)}`);
}

const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => d.code);

test('facts land and exactly the document using the image is linted again, with only the facts its enabled rules name', async () => {
  const open = (uri: string, text: string) => client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
  // It mentions the image's name without using it: only the lint's own references count.
  await open('untitled:other', 'FROM scratch\n# built with someone/tool\n');
  await until(() => published.find((p) => p.uri === 'untitled:other'), 'the first lint of the other document');
  await open('untitled:uses', 'FROM someone/tool:1.0\n');
  const flagged = await until(() => published.find((p) => p.uri === 'untitled:uses' && codes(p).includes('untrusted-publisher')), 'the finding after facts landed');
  assert.equal(flagged.version, 1);
  assert.deepEqual(asked, [{ ref: 'someone/tool:1.0', wanted: ['hubBadge'] }]);
  // The other document was linted once, on open: the facts were not about it.
  assert.equal(published.filter((p) => p.uri === 'untitled:other').length, 1);
});

test('hover and symbols answer in process, from the model of the current version', async () => {
  const uri = 'untitled:hover';
  await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dockerfile', version: 1, text: 'FROM someone/tool:1.0 AS build\n' } });
  const hover = await client.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 8 } });
  assert.match((hover?.contents as { value: string }).value, /linux\/amd64/);
  const symbols = await client.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
  assert.deepEqual(symbols?.map((s) => s.name), ['build']);
  const found = await client.sendRequest(WorkspaceSymbolRequest.type, { query: 'bui' });
  assert.deepEqual(found?.map((s) => s.name), ['build']);
});
