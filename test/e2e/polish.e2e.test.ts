// The polish of a native extension, in a real VS Code: the language status instead of a status bar
// item, palette entries only where they apply, settings in order with described choices, the icon and
// changelog in the extension's page, the walkthrough, and .dockerignore files opened as ignore files.
import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Page } from 'playwright-core';
import { rules } from '../../server/src/rules';
import { ROOT } from '../paths';
import { seedDemoImages } from '../registry/demo-images';
import { startRegistry, type LocalRegistry } from '../registry/local-registry';
import { openFile, openVsCode, scenario, type VsCode } from './vscode';

let vscode: VsCode;
let workspace: string;
let registry: LocalRegistry;

const IGNORE_FILES = ['.dockerignore', 'Dockerfile.dockerignore', 'Containerfile.dockerignore', 'api.dockerignore', 'Dockerfile.prod.dockerignore', 'Containerfile.dev.dockerignore'];

before(async () => {
  // A registry on loopback, so the language status can show one answering.
  registry = await startRegistry();
  await seedDemoImages(registry.host);
  workspace = mkdtempSync(join(tmpdir(), 'dockwise-e2e-polish-'));
  cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
  mkdirSync(join(workspace, 'api'));
  writeFileSync(join(workspace, 'api/Dockerfile'), `FROM ${registry.host}/library/python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nUSER nobody\nCMD python app.py\n`);
  writeFileSync(join(workspace, 'api/requirements.txt'), 'flask\n');
  writeFileSync(join(workspace, 'api/.dockerignore'), '.git\n');
  // Lines that are errors in a Dockerfile (unknown instructions), fine in an ignore file.
  mkdirSync(join(workspace, 'ignore-files'));
  for (const name of IGNORE_FILES) writeFileSync(join(workspace, 'ignore-files', name), `# ${name}\nnode_modules\n*.log\n!keep.log\n`);
  vscode = await openVsCode({ workspace, settings: { 'dockwise.registry.hosts': [registry.host] } });
});

after(async () => {
  await vscode?.close();
  await registry?.stop();
  rmSync(workspace, { recursive: true, force: true });
});

async function palette(page: Page, query: string): Promise<string[]> {
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.fill(`>${query}`);
  await page.waitForTimeout(500);
  const labels = await page.locator('.quick-input-list .monaco-list-row').evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') ?? '').split(',')[0]!.trim()));
  await page.keyboard.press('Escape');
  return labels;
}

async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press('Control+Shift+P');
    if (await input.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false)) break;
    if (attempt === 2) throw new Error('the command palette did not open');
    // A webview (the changelog the case before closed) can keep the focus and take the shortcut: give it back to the workbench.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  }
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().click();
}

scenario('the language status of a Dockerfile shows the server with its rule count and the registry, with links to the log and the settings', () => vscode, async () => {
  const { page } = vscode;
  await openFile(page, 'api/Dockerfile', 'library/python:3.12-slim');
  await page.locator('.squiggly-warning').first().waitFor({ timeout: 60_000 });
  // No always-on status bar item any more: dockwise is only in the language status.
  assert.equal(await page.locator('.statusbar-item:not([id="status.languageStatus"])', { hasText: 'dockwise' }).count(), 0);
  const items = page.locator('.monaco-hover:not(.hidden) .hover-language-status');
  const server = items.filter({ hasText: 'dockwise:' });
  const status = items.filter({ hasText: 'Registry:' });
  // The registry's answer for the FROM image lands in the background.
  for (let attempt = 0; ; attempt++) {
    await page.locator('[id="status.languageStatus"]').click();
    if (await status.filter({ hasText: 'Registry: online' }).waitFor({ timeout: 3000 }).then(() => true, () => false)) break;
    if (attempt === 10) throw new Error(`the registry never showed online: ${await items.allInnerTexts()}`);
    await page.keyboard.press('Escape');
  }
  await server.filter({ hasText: `dockwise: ${rules.length} rules` }).waitFor({ timeout: 15_000 });
  assert.match(await server.innerText(), /checking Dockerfiles/);
  assert.equal(await server.locator('a.monaco-link').innerText(), 'Show Output');
  assert.match(await status.innerText(), /registries answering/);
  assert.equal(await status.locator('a.monaco-link').innerText(), 'Settings');
  await page.mouse.move(700, 300);
  await vscode.saveEvidence('language-status');
  await server.locator('a.monaco-link').click();
  // The output panel opens on dockwise's log.
  await page.locator('.panel .monaco-select-box[title="dockwise"], .panel .monaco-select-box', { hasText: 'dockwise' }).first().waitFor({ timeout: 10_000 });
});

scenario('the rule count follows dockwise.rules', () => vscode, async () => {
  const { page } = vscode;
  vscode.setWorkspaceSettings({ 'dockwise.rules': { 'image-tag-latest': 'off', 'runs-as-root': 'off' } });
  await openFile(page, 'python-api/Dockerfile', 'FROM python:latest');
  await page.locator('[id="status.languageStatus"]').click();
  await page.locator('.monaco-hover:not(.hidden) .hover-language-status', { hasText: `dockwise: ${rules.length - 2} of ${rules.length} rules` }).waitFor({ timeout: 15_000 });
  await page.keyboard.press('Escape');
  vscode.setWorkspaceSettings({});
});

scenario('commands that need a Dockerfile are in the palette only while one is active', () => vscode, async () => {
  const { page } = vscode;
  await openFile(page, 'python-api/Dockerfile', 'FROM python:latest');
  const withDockerfile = await palette(page, 'dockwise: ');
  for (const title of ['dockwise: Fix all auto-fixable problems', 'dockwise: Show base image report', 'dockwise: Refresh registry data', 'dockwise: Show Output', 'dockwise: Restart Language Server']) {
    assert.ok(withDockerfile.includes(title), `${title} in ${JSON.stringify(withDockerfile)}`);
  }
  // It needs a rule id: the light bulb and the links run it, not the palette.
  assert.ok(!withDockerfile.some((t) => t.includes('Show rule documentation')), JSON.stringify(withDockerfile));
  await openFile(page, 'python-api/app.py', 'Flask');
  const elsewhere = await palette(page, 'dockwise: ');
  assert.ok(elsewhere.includes('dockwise: Show Output') && elsewhere.includes('dockwise: Restart Language Server'), JSON.stringify(elsewhere));
  for (const title of ['Fix all auto-fixable problems', 'Show base image report', 'Refresh registry data', 'Show rule documentation']) {
    assert.ok(!elsewhere.includes(`dockwise: ${title}`), `${title} in ${JSON.stringify(elsewhere)}`);
  }
});

scenario('settings come in their order, and choices are described in Markdown', () => vscode, async () => {
  const { page } = vscode;
  await runCommand(page, 'Preferences: Open Settings (UI)');
  await page.locator('.settings-editor').waitFor();
  await page.keyboard.type('@ext:dockwise.dockwise');
  // code-server is a remote: its Remote tab has every setting, the machine-scoped registry ones included.
  await page.locator('.settings-editor .settings-tabs-widget .action-label', { hasText: 'Remote' }).click();
  const tree = page.locator('.settings-editor .settings-tree-container');
  await tree.locator('[data-key="dockwise.rules"]').first().waitFor({ timeout: 15_000 });
  // The list is virtual: scroll through it, keeping each key in the order it first shows.
  const keys: string[] = [];
  for (let step = 0; step < 30; step++) {
    for (const key of await tree.locator('[data-key]').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')!))) if (!keys.includes(key)) keys.push(key);
    await tree.hover();
    await page.mouse.wheel(0, 300);
    await page.waitForTimeout(100);
  }
  assert.deepEqual(keys, [
    'dockwise.rules',
    'dockwise.scope',
    'dockwise.trustedRegistries',
    'dockwise.targetPlatforms',
    'dockwise.buildkitChecks',
    'dockwise.registry.network',
    'dockwise.registry.hosts',
    'dockwise.registry.timeoutSeconds',
    'dockwise.registry.cacheHours',
    'dockwise.format.indentWidth',
    'dockwise.inlayHints.resolvedImages',
    'dockwise.inlayHints.digestAge',
  ]);
  // The drop-down shows each choice's description with its Markdown rendered: code, and a setting by its name.
  await page.locator('.settings-editor input, .settings-editor textarea').first().fill('dockwise.scope');
  const select = tree.locator('[data-key="dockwise.scope"] select');
  await select.waitFor();
  await select.click();
  await page.keyboard.press('ArrowDown');
  const details = page.locator('.select-box-details-pane');
  await details.filter({ hasText: 'Also lint every Dockerfile in the workspace' }).waitFor({ timeout: 5000 });
  assert.equal(await details.locator('code', { hasText: '.gitignore' }).count(), 1);
  assert.match(await details.innerText(), /"Files: Exclude"/);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+W');
});

scenario("the extension's page has the icon (128 pixels) and the changelog", () => vscode, async () => {
  const { page } = vscode;
  await page.keyboard.press('Control+Shift+X');
  const search = page.locator('.extensions-viewlet .suggest-input-container textarea, .extensions-viewlet .monaco-inputbox textarea, .extensions-viewlet input').first();
  await search.waitFor();
  await page.keyboard.type('@installed dockwise');
  const item = page.locator('.extension-list-item', { hasText: 'dockwise' }).first();
  await item.waitFor({ timeout: 15_000 });
  const icon = item.locator('img.icon');
  await page.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0, await icon.elementHandle(), { timeout: 10_000 });
  const { width, height, src } = await icon.evaluate((el) => ({ width: (el as HTMLImageElement).naturalWidth, height: (el as HTMLImageElement).naturalHeight, src: (el as HTMLImageElement).src }));
  assert.ok(width >= 128 && height >= 128, `${width} × ${height}`);
  assert.match(decodeURIComponent(src), /dockwise\.dockwise-[^/]+\/images\/icon\.png/);
  await item.click();
  const editor = page.locator('.extension-editor');
  await editor.locator('a.action-label', { hasText: 'Changelog' }).click();
  for (let attempt = 0; ; attempt++) {
    const frames = page.frames();
    let found = false;
    for (const frame of frames) if ((await frame.locator('h3', { hasText: 'Native wherever VS Code runs' }).count().catch(() => 0)) > 0) found = true;
    if (found) break;
    if (attempt > 80) throw new Error('the changelog never showed');
    await page.waitForTimeout(150);
  }
  await page.keyboard.press('Control+W');
});

scenario('"Get started with dockwise" walks through linting, fix on save and the registry hover, with its media', () => vscode, async () => {
  const { page } = vscode;
  await runCommand(page, 'Welcome: Open Walkthrough...');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with dockwise' }).first().click();
  const walkthrough = page.locator('.gettingStartedContainer');
  await walkthrough.locator('.getting-started-category', { hasText: 'Get started with dockwise' }).first().waitFor({ timeout: 15_000 }).catch(() => undefined);
  for (const step of ['See problems as you type', 'Fix on save', 'What the base image really is']) await walkthrough.locator('.getting-started-step', { hasText: step }).waitFor();
  await walkthrough.locator('.getting-started-step', { hasText: 'Fix on save' }).click();
  for (let attempt = 0; ; attempt++) {
    let found = false;
    for (const frame of page.frames()) if ((await frame.locator('code', { hasText: 'source.fixAll.dockwise' }).count().catch(() => 0)) > 0) found = true;
    if (found) break;
    if (attempt > 80) throw new Error('the step media never showed');
    await page.waitForTimeout(150);
  }
  await vscode.saveEvidence('walkthrough');
  await page.keyboard.press('Control+W');
});

for (const name of IGNORE_FILES) {
  scenario(`${name} opens as an ignore file, not as a Dockerfile`, () => vscode, async () => {
    const { page } = vscode;
    await openFile(page, `ignore-files/${name}`, `# ${name}`);
    await page.locator('[id="status.editor.mode"]', { hasText: 'Ignore' }).waitFor({ timeout: 10_000 });
    // Had dockwise linted it, `node_modules` would be an unknown instruction.
    await page.waitForTimeout(500);
    if (!(await page.locator('.markers-panel').isVisible())) await page.keyboard.press('Control+Shift+M');
    assert.equal(await page.locator('.markers-panel .monaco-list-row', { hasText: name }).count(), 0);
  });
}

scenario('Dockerfile.prod and Containerfile still open as Dockerfiles', () => vscode, async () => {
  const { page } = vscode;
  await openFile(page, 'node-web/Dockerfile.prod', 'ARG NODE_IMAGE=node');
  await page.locator('[id="status.editor.mode"]', { hasText: 'Docker' }).waitFor();
  await openFile(page, 'go-service/Containerfile', 'FROM golang');
  await page.locator('[id="status.editor.mode"]', { hasText: 'Docker' }).waitFor();
});
