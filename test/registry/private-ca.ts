// A certificate authority of the test's own (openssl), and a server certificate it signs: what a
// company's internal registry or TLS-inspecting proxy presents. Trusted nowhere unless a test says so.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrivateCa {
  /** The CA certificate (PEM) and its path. */
  readonly caPem: string;
  readonly caPath: string;
  /** The server's certificate and key files, for the names given. */
  readonly certificate: string;
  readonly key: string;
  remove(): void;
}

export function createPrivateCa(names: readonly string[]): PrivateCa {
  const dir = mkdtempSync(join(tmpdir(), 'dockwise-ca-'));
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '2', '-subj', '/CN=dockwise test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', ...ec, '-keyout', at('server.key'), '-out', at('server.csr'), '-subj', `/CN=${names[0]}`);
  const alt = names.map((n) => (/^[\d.]+$/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  writeFileSync(at('ext.cnf'), `subjectAltName=${alt}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
  openssl('x509', '-req', '-in', at('server.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial', '-out', at('server.pem'), '-days', '2', '-extfile', at('ext.cnf'));
  return { caPem: readFileSync(at('ca.pem'), 'utf8'), caPath: at('ca.pem'), certificate: at('server.pem'), key: at('server.key'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
