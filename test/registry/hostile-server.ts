// A programmable registry on loopback for the hostile-registry suite: routes by path, every request
// recorded (method, path, scheme, Authorization). Listens on `::` (dual stack), so 127.0.0.1, ::1,
// 0.0.0.0 and ::ffff:127.0.0.1 all reach it; with `tls`, plain HTTP and HTTPS share one port (the
// first byte of a connection decides), so an https → http redirect can stay on the same host and port.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Seen {
  readonly method: string;
  readonly path: string;
  readonly secure: boolean;
  readonly authorization?: string;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, secure: boolean) => void;

export interface HostileServer {
  readonly port: number;
  /** `127.0.0.1:<port>`. */
  readonly host: string;
  readonly seen: Seen[];
  route(path: string, handler: Handler): void;
  /** Serves `body` at GET/HEAD `path` with these headers (Content-Type included). */
  serve(path: string, body: string | Buffer, headers?: Record<string, string>): void;
  stop(): Promise<void>;
}

export const sha256 = (body: string | Buffer) => `sha256:${createHash('sha256').update(body).digest('hex')}`;

export async function startHostileServer(options: { tls?: boolean } = {}): Promise<HostileServer> {
  const seen: Seen[] = [];
  const routes = new Map<string, Handler>();
  const handle = (secure: boolean) => (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push({ method: req.method ?? '', path: url.pathname + url.search, secure, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    const handler = routes.get(url.pathname);
    if (handler) return handler(req, res, url, secure);
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"errors":[{"code":"NOT_FOUND"}]}');
  };
  const http = createHttpServer(handle(false));
  let https: ReturnType<typeof createHttpsServer> | undefined;
  let certDir: string | undefined;
  if (options.tls) {
    certDir = mkdtempSync(join(tmpdir(), 'dockwise-hostile-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem'), '-days', '2', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    https = createHttpsServer({ key: readFileSync(join(certDir, 'key.pem')), cert: readFileSync(join(certDir, 'cert.pem')) }, handle(true));
  }
  const sockets = new Set<Socket>();
  const front = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.once('data', (first) => {
      socket.pause();
      // A TLS record starts with 0x16 (handshake): relayed to the HTTPS server (a TLS socket reads
      // from the handle, so bytes put back with unshift would be lost). Anything else is plain HTTP.
      if (first[0] === 0x16 && https) {
        const upstream = connect(httpsPort, '127.0.0.1', () => {
          upstream.write(first);
          socket.pipe(upstream);
          upstream.pipe(socket);
          socket.resume();
        });
        sockets.add(upstream);
        upstream.on('close', () => sockets.delete(upstream));
        upstream.on('error', () => socket.destroy());
        socket.on('close', () => upstream.destroy());
        return;
      }
      socket.unshift(first);
      http.emit('connection', socket);
      socket.resume();
    });
  });
  let httpsPort = 0;
  if (https) {
    await new Promise<void>((resolve) => https!.listen(0, '127.0.0.1', resolve));
    httpsPort = (https.address() as AddressInfo).port;
  }
  await new Promise<void>((resolve) => front.listen(0, '::', resolve));
  const port = (front.address() as AddressInfo).port;
  return {
    port,
    host: `127.0.0.1:${port}`,
    seen,
    route: (path, handler) => routes.set(path, handler),
    serve(path, body, headers = {}) {
      routes.set(path, (req, res) => {
        const bytes = Buffer.from(body);
        res.writeHead(200, { 'content-length': String(bytes.length), ...headers });
        res.end(req.method === 'HEAD' ? undefined : bytes);
      });
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => front.close(resolve));
      if (https) {
        https.closeAllConnections();
        await new Promise((resolve) => https!.close(resolve));
      }
      if (certDir) rmSync(certDir, { recursive: true, force: true });
    },
  };
}

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** An image manifest with one layer of `size` bytes and this config; returns the bodies and digests. */
export function image(config: Record<string, unknown>, size = 1000): { config: string; configDigest: string; manifest: string; digest: string } {
  const configBody = JSON.stringify(config);
  const configDigest = sha256(configBody);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: configBody.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(`layer ${size}`), size }],
  });
  return { config: configBody, configDigest, manifest, digest: sha256(manifest) };
}

/** Puts an image on the server under `repo` (manifest by digest and by `tag`, config blob). */
export function publish(server: HostileServer, repo: string, tag: string | undefined, built: ReturnType<typeof image>): void {
  server.serve(`/v2/${repo}/manifests/${built.digest}`, built.manifest, { 'content-type': OCI_MANIFEST, 'docker-content-digest': built.digest });
  if (tag) server.serve(`/v2/${repo}/manifests/${tag}`, built.manifest, { 'content-type': OCI_MANIFEST, 'docker-content-digest': built.digest });
  server.serve(`/v2/${repo}/blobs/${built.configDigest}`, built.config, { 'content-type': 'application/octet-stream' });
}
