// Realistic images for the sample workspace and the end-to-end tests: a Python base in a full
// and a slim variant, multi-platform, with the labels and config an official image has.
import { pushImage } from './local-registry';

const MB = 1_000_000;

export async function seedDemoImages(host: string): Promise<{ slim: string; full: string }> {
  const config = (arch: string) => ({
    Cmd: ['python3'],
    Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'PYTHON_VERSION=3.12.7'],
    Labels: { 'org.opencontainers.image.version': '3.12.7', 'org.opencontainers.image.source': 'https://github.com/docker-library/python', 'org.opencontainers.image.licenses': 'PSF-2.0', arch },
  });
  const slim = await pushImage(host, 'library/python', ['3.12.7-slim', '3.12-slim', '3-slim'], [
    { os: 'linux', architecture: 'amd64', layerBytes: 2.9 * MB, created: '2026-10-08T02:11:00Z', config: config('amd64') },
    { os: 'linux', architecture: 'arm64', variant: 'v8', layerBytes: 2.7 * MB, created: '2026-10-08T02:11:00Z', config: config('arm64') },
  ]);
  const full = await pushImage(host, 'library/python', ['3.12.7', '3.12', '3', 'latest'], [
    { os: 'linux', architecture: 'amd64', layerBytes: 7.4 * MB, created: '2026-10-08T02:09:00Z', config: config('amd64') },
  ]);
  return { slim, full };
}
