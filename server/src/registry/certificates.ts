/**
 * The certificate authorities registry connections trust. Node trusts its bundled Mozilla roots plus
 * NODE_EXTRA_CA_CERTS (read at process start, inherited by the language server from the editor);
 * VS Code also trusts the operating system's store (`http.systemCertificates`), where a company's
 * TLS-inspecting proxy has its CA installed. Passing `ca` to TLS replaces Node's store instead of
 * adding to it, so when the system's certificates are wanted the list is built in full here:
 * Node's roots, NODE_EXTRA_CA_CERTS, the system's, and any given.
 *
 * The system store is read as @vscode/proxy-agent reads it: Node's own reader where the runtime has
 * one (`tls.getCACertificates('system')`, Node 22.15 and later); otherwise on Linux the first
 * distribution bundle that exists, on macOS what `security find-certificate -a -p` lists. On Windows
 * without that API nothing is added (VS Code uses a native module there): NODE_EXTRA_CA_CERTS is
 * the way in.
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as tls from 'node:tls';
import { ServerEnvironment } from '../../../shared/protocol';

/** Where Linux distributions keep their bundle, in @vscode/proxy-agent's order. */
export const LINUX_BUNDLES: readonly string[] = [
  '/etc/ssl/certs/ca-certificates.crt', // Debian, Ubuntu, Alpine, Arch
  '/etc/ssl/certs/ca-bundle.crt', // older Fedora and RHEL
  '/etc/ssl/ca-bundle.pem', // openSUSE
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', // Fedora, RHEL
];

/** A bundle larger than this is not a certificate bundle (Debian's is about 220 KB). */
const MAX_BUNDLE_BYTES = 8 * 1024 * 1024;

/** The PEM blocks of a bundle that parse and have not expired (one bad entry must not break TLS for all). */
export function usableCertificates(text: string, now = Date.now()): string[] {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  return [...new Set(blocks)].filter((pem) => {
    try {
      return Date.parse(new X509Certificate(pem).validTo) > now;
    } catch {
      return false;
    }
  });
}

async function readBundle(path: string): Promise<string | undefined> {
  const data = await readFile(path).catch(() => undefined);
  return data && data.length <= MAX_BUNDLE_BYTES ? data.toString('utf8') : undefined;
}

const securityList = () =>
  new Promise<string>((resolve) =>
    execFile('/usr/bin/security', ['find-certificate', '-a', '-p'], { timeout: 10_000, maxBuffer: MAX_BUNDLE_BYTES }, (error, stdout) => resolve(error ? '' : stdout)),
  );

/** The certificates of the first Linux bundle that exists. */
export async function linuxBundleCertificates(bundles: readonly string[] = LINUX_BUNDLES): Promise<string[]> {
  for (const path of bundles) {
    const text = await readBundle(path);
    if (text !== undefined) return usableCertificates(text);
  }
  return [];
}

/** The operating system's certificates (PEM), `[]` where they cannot be read. */
export async function systemCertificates(): Promise<string[]> {
  const nodeReader = (tls as { getCACertificates?: (type: 'system') => string[] }).getCACertificates;
  if (nodeReader) return usableCertificates(nodeReader('system').join('\n'));
  if (process.platform === 'darwin') return usableCertificates(await securityList());
  return process.platform === 'linux' ? linuxBundleCertificates() : [];
}

export interface TrustOptions {
  readonly systemCertificates: boolean;
  readonly extraCertificates?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Where the system's certificates come from (tests give their own). */
  readonly system?: () => Promise<string[]>;
}

/**
 * The `ca` list for TLS, or `undefined` when Node's own store (its roots and NODE_EXTRA_CA_CERTS)
 * is all that is trusted. When the client kept NODE_EXTRA_CA_CERTS from Node's start
 * (shared/protocol.ts), Node's store lacks that file and the list is always built.
 */
export async function trustedCertificates({ systemCertificates: useSystem, extraCertificates = [], env = process.env, system = systemCertificates }: TrustOptions): Promise<string[] | undefined> {
  const deferred = env[ServerEnvironment.deferredExtraCaCerts];
  if (!useSystem && extraCertificates.length === 0 && !deferred) return undefined;
  const extraPath = env.NODE_EXTRA_CA_CERTS || deferred;
  const extraFile = extraPath ? await readBundle(extraPath) : undefined;
  return [...new Set([...tls.rootCertificates, ...(extraFile ? usableCertificates(extraFile) : []), ...(useSystem ? await system() : []), ...extraCertificates])];
}
