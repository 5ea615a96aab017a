// Renders images/icon.svg (drawn for dockwise, 256 units square) to images/icon.png at 128 × 128, the
// Marketplace's size, on a transparent background, with Debian's Chromium (the browser the end-to-end
// tests drive): a 256-pixel window at device scale 0.5. `node scripts/render-icon.mjs` after editing the SVG.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROMIUM, ROOT } from './code-server.mjs';

const svg = join(ROOT, 'images/icon.svg');
const png = join(ROOT, 'images/icon.png');
const profile = mkdtempSync(join(tmpdir(), 'dockwise-icon-'));
try {
  execFileSync(CHROMIUM, [
    '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--user-data-dir=${profile}`,
    '--default-background-color=00000000', '--window-size=256,256', '--force-device-scale-factor=0.5', `--screenshot=${png}`, pathToFileURL(svg).href,
  ], { stdio: 'ignore' });
} finally {
  rmSync(profile, { recursive: true, force: true });
}
const header = readFileSync(png);
console.log(`images/icon.png: ${header.readUInt32BE(16)} × ${header.readUInt32BE(20)}, ${header.length} bytes`);
