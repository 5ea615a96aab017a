// A real OCI registry (Debian's docker-registry, distribution 2.8) on loopback for tests, and a
// push helper that seeds it with multi-platform images. What works: ../shared/notes/local-registry.md.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface LocalRegistry {
  /** `127.0.0.1:<port>`, as written in an image reference. */
  readonly host: string;
  stop(): Promise<void>;
}

export interface RegistryOptions {
  /** Require HTTP Basic auth with this user (bcrypt through Debian's htpasswd). */
  readonly basicAuth?: { readonly username: string; readonly password: string };
  /** Serve the storage of another registry (several processes may read one folder). */
  readonly dataDir?: string;
  /** `127.0.0.1:<port>`; a free port by default. */
  readonly address?: string;
  /** Require Bearer tokens from this realm, signed by the key of this PEM certificate. */
  readonly tokenAuth?: { readonly realm: string; readonly service: string; readonly issuer: string; readonly certificatePem: string };
  /** Serve HTTPS with this certificate and key (paths to PEM files). */
  readonly tls?: { readonly certificate: string; readonly key: string };
}

export async function startRegistry(options: RegistryOptions = {}): Promise<LocalRegistry & { readonly dataDir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'dockwise-registry-'));
  const config = join(dir, 'config.yml');
  const dataDir = options.dataDir ?? join(dir, 'data');
  const auth = options.basicAuth;
  if (auth) {
    const line = execFileSync('htpasswd', ['-Bbn', auth.username, auth.password], { encoding: 'utf8' });
    writeFileSync(join(dir, 'htpasswd'), line);
  }
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log: {level: info, accesslog: {disabled: true}}',
      `storage: {filesystem: {rootdirectory: ${dataDir}}, delete: {enabled: true}}`,
      `http: {addr: "${options.address ?? '127.0.0.1:0'}", secret: dockwise-tests${options.tls ? `, tls: {certificate: ${options.tls.certificate}, key: ${options.tls.key}}` : ''}}`,
      ...(auth ? [`auth: {htpasswd: {realm: dockwise-tests, path: ${join(dir, 'htpasswd')}}}`] : []),
      ...(options.tokenAuth ? [tokenConfig(options.tokenAuth, dir)] : []),
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const host = await new Promise<string>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`docker-registry did not start:\n${log}`)), 15_000);
    child.once('error', (error) => reject(new Error(`docker-registry could not run (apt-get install docker-registry): ${error.message}`)));
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const match = /listening on (127\.0\.0\.1:\d+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`docker-registry exited (${code}):\n${log}`)));
  });
  return {
    host,
    dataDir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        process.kill(-child.pid!, 'SIGKILL');
        await gone;
      }
      // A shared data folder belongs to the registry that created it.
      rmSync(options.dataDir ? join(dir, 'config.yml') : dir, { recursive: true, force: true });
    },
  };
}

const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

export interface PlatformSpec {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
  /** Fields of the image config's `config` section: User, Cmd, Entrypoint, ExposedPorts, WorkingDir, Labels. */
  readonly config?: Record<string, unknown>;
  readonly created?: string;
  /** Uncompressed bytes of the one layer; its gzip size is what registries report. */
  readonly layerBytes?: number;
}

async function pushBlob(host: string, repo: string, body: Buffer): Promise<{ digest: string; size: number }> {
  const digest = sha256(body);
  const start = await fetch(`http://${host}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`blob upload start: ${start.status}`);
  const location = new URL(start.headers.get('location')!, `http://${host}`);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, { method: 'PUT', body: new Uint8Array(body), headers: { 'content-type': 'application/octet-stream' } });
  if (put.status !== 201) throw new Error(`blob upload: ${put.status} ${await put.text()}`);
  return { digest, size: body.length };
}

async function pushManifest(host: string, repo: string, reference: string, mediaType: string, body: string): Promise<string> {
  const response = await fetch(`http://${host}/v2/${repo}/manifests/${reference}`, { method: 'PUT', body, headers: { 'content-type': mediaType } });
  if (response.status !== 201) throw new Error(`manifest ${repo}:${reference}: ${response.status} ${await response.text()}`);
  return response.headers.get('docker-content-digest')!;
}

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/**
 * Pushes an image with one manifest per platform (plus a BuildKit-style attestation entry when
 * there are several) under every tag given, and returns the digest the tags point at.
 */
export async function pushImage(host: string, repo: string, tags: readonly string[], platforms: readonly PlatformSpec[]): Promise<string> {
  const entries = [];
  for (const p of platforms) {
    // Random bytes do not compress, so the layer's size is close to layerBytes, like a real one.
    const content = randomBytes(p.layerBytes ?? 4096);
    const layer = gzipSync(content);
    const layerBlob = await pushBlob(host, repo, layer);
    const config = Buffer.from(
      JSON.stringify({
        architecture: p.architecture,
        os: p.os,
        ...(p.variant ? { variant: p.variant } : {}),
        created: p.created ?? '2026-10-01T12:00:00Z',
        config: p.config ?? {},
        rootfs: { type: 'layers', diff_ids: [sha256(content)] },
      }),
    );
    const configBlob = await pushBlob(host, repo, config);
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...configBlob },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layerBlob }],
    });
    const digest = await pushManifest(host, repo, sha256(manifest), OCI_MANIFEST, manifest);
    entries.push({ mediaType: OCI_MANIFEST, digest, size: Buffer.byteLength(manifest), platform: { os: p.os, architecture: p.architecture, ...(p.variant ? { variant: p.variant } : {}) } });
  }
  if (platforms.length === 1) {
    const only = entries[0]!;
    const manifest = await (await fetch(`http://${host}/v2/${repo}/manifests/${only.digest}`, { headers: { accept: OCI_MANIFEST } })).text();
    for (const tag of tags) await pushManifest(host, repo, tag, OCI_MANIFEST, manifest);
    return only.digest;
  }
  const attestation = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...(await pushBlob(host, repo, Buffer.from('{}'))) }, layers: [] });
  const attestationDigest = await pushManifest(host, repo, sha256(attestation), OCI_MANIFEST, attestation);
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      ...entries,
      {
        mediaType: OCI_MANIFEST,
        digest: attestationDigest,
        size: Buffer.byteLength(attestation),
        platform: { os: 'unknown', architecture: 'unknown' },
        annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': entries[0]!.digest },
      },
    ],
  });
  let digest = '';
  for (const tag of tags) digest = await pushManifest(host, repo, tag, OCI_INDEX, index);
  return digest;
}

function tokenConfig(token: NonNullable<RegistryOptions['tokenAuth']>, dir: string): string {
  const bundle = join(dir, 'bundle.crt');
  writeFileSync(bundle, token.certificatePem);
  return `auth: {token: {realm: "${token.realm}", service: ${token.service}, issuer: ${token.issuer}, rootcertbundle: ${bundle}}}`;
}
