// Registry hovers and the pin-tag fix in a real VS Code, against a real registry on loopback.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { seedDemoImages } from '../registry/demo-images';
import { startRegistry, type LocalRegistry } from '../registry/local-registry';
import { applyQuickFix, hoverUntil, openFile, openVsCode, scenario, type VsCode } from './vscode';

let registry: LocalRegistry;
let vscode: VsCode;
let workspace: string;
let slimDigest: string;

before(async () => {
  registry = await startRegistry();
  slimDigest = (await seedDemoImages(registry.host)).slim;
  workspace = mkdtempSync(join(tmpdir(), 'dockwise-e2e-ws-'));
  writeFileSync(join(workspace, 'Dockerfile'), `FROM ${registry.host}/library/python:3-slim\nUSER nobody\nCMD ["python3"]\n`);
  vscode = await openVsCode({ workspace, settings: { 'dockwise.registry.hosts': [registry.host] } });
});

after(async () => {
  await vscode?.close();
  await registry?.stop();
  rmSync(workspace, { recursive: true, force: true });
});

scenario('hovering the FROM image shows what the registry says about it', () => vscode, async () => {
  const { page } = vscode;
  await openFile(page, 'Dockerfile', 'library/python:3-slim');
  const hover = await hoverUntil(page, 'library/python:3-slim', 'python', (h) => h.filter({ hasText: 'linux/arm64/v8' }));
  const text = await hover.innerText();
  assert.ok(text.includes(slimDigest.slice(0, 19)), text);
  assert.match(text, /linux\/amd64\s+\d\.\d MB/);
  assert.match(text, /version\s+3\.12\.7/);
  await vscode.saveEvidence('registry-hover');
});

scenario('the light bulb pins the floating tag to the most specific tag with the same digest', () => vscode, async () => {
  const { page } = vscode;
  await page.mouse.move(0, 0);
  await page.keyboard.press('Escape');
  await applyQuickFix(page, 'library/python:3-slim', '3-slim', `Pin to ${registry.host}/library/python:3.12.7-slim`);
  await page.locator('.view-lines', { hasText: 'python:3.12.7-slim' }).waitFor();
});

scenario('the FROM hover links to the base-image report, which opens beside the editor with the size chart', () => vscode, async () => {
  const { page } = vscode;
  await page.mouse.move(0, 0);
  await page.keyboard.press('Escape');
  const link = await hoverUntil(page, 'library/python:', 'python', (h) => h.locator('a', { hasText: 'Open the base image report' }));
  await link.click();
  await page.locator('.tab', { hasText: 'Base image:' }).waitFor({ timeout: 15_000 });
  // Webviews render in nested iframes: the host frame, then the page's own.
  const report = page.frameLocator('iframe.webview.ready').frameLocator('iframe');
  await report.locator('h1', { hasText: 'Base image:' }).waitFor({ timeout: 15_000 });
  const text = await report.locator('body').innerText();
  assert.match(text, /this image/);
  assert.match(text, /3\.12\.7/);
  assert.ok((await report.locator('svg rect').count()) >= 3);
  // Out of the hover's way, and the report given the whole window for the picture.
  await page.mouse.move(0, 0);
  await page.locator('.monaco-hover:not(.hidden)').waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
  await page.locator('.tab', { hasText: 'Base image:' }).dblclick();
  await report.locator('svg').first().waitFor();
  await vscode.saveEvidence('base-image-report');
});
