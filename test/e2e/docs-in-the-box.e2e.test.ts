// Docs in the box: the rule pages ship in the package, and every way to a rule's page (the rule id in
// the hover, the rule id in the Problems panel, "Show documentation for <rule>" in the light bulb)
// opens the shipped page in VS Code's Markdown preview, with the network cut off.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Page } from 'playwright-core';
import { ROOT } from '../paths';
import { applyQuickFix, hoverUntil, openFile, openVsCode, scenario, type VsCode } from './vscode';

let vscode: VsCode;
/** Everything the browser tried to fetch from anywhere but this machine, and every page it opened. */
const external: string[] = [];
const popups: string[] = [];

before(async () => {
  vscode = await openVsCode({ workspace: join(ROOT, 'examples') });
  const context = vscode.page.context();
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (['127.0.0.1', 'localhost'].includes(url.hostname) || !url.protocol.startsWith('http')) return route.continue();
    external.push(url.href);
    return route.abort('internetdisconnected');
  });
  context.on('page', (page) => popups.push(page.url()));
});

after(async () => vscode?.close());

/** Waits for the Markdown preview of a shipped rule page: its tab, and its title rendered in the webview. */
async function previewOf(page: Page, id: string): Promise<string> {
  await page.locator('.tab', { hasText: `Preview ${id}.md` }).waitFor({ timeout: 15_000 });
  for (let attempt = 0; attempt < 100; attempt++) {
    for (const frame of page.frames()) {
      const heading = frame.locator('h1', { hasText: id });
      if ((await heading.count().catch(() => 0)) > 0) return frame.locator('body').innerText();
    }
    await page.waitForTimeout(150);
  }
  throw new Error(`no Markdown preview shows ${id}`);
}

function noNetwork(): void {
  assert.deepEqual(popups, [], 'nothing opened outside VS Code');
  assert.deepEqual(external.filter((u) => /github|dockwise/.test(u)), [], 'no request for a docs page');
}

scenario('the package carries every rule page', () => vscode, async () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const vsix = process.env.DOCKWISE_VSIX ?? join(ROOT, `dockwise-${version}.vsix`);
  const shipped = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).split('\n').filter((f) => f.startsWith('extension/docs/rules/'));
  const pages = readdirSync(join(ROOT, 'docs/rules')).filter((f) => f.endsWith('.md'));
  assert.ok(pages.length > 60);
  assert.deepEqual(shipped.map((f) => f.slice('extension/docs/rules/'.length)).sort(), pages.sort());
});

scenario('the rule id in the hover opens the shipped page in the Markdown preview, offline', () => vscode, async () => {
  const { page } = vscode;
  await openFile(page, 'python-api/Dockerfile', 'FROM python:latest');
  await page.locator('.squiggly-warning').first().waitFor({ timeout: 60_000 });
  const link = await hoverUntil(page, 'FROM python:latest', 'latest', (h) => h.locator('a.code-link', { hasText: 'image-tag-latest' }));
  await link.click();
  const text = await previewOf(page, 'image-tag-latest');
  assert.match(text, /\bWhy\b/);
  assert.match(text, /Suppress/);
  await vscode.saveEvidence('docs-in-the-box-hover');
  noNetwork();
});

scenario('the rule id in the Problems panel opens the shipped page too', () => vscode, async () => {
  const { page } = vscode;
  await openFile(page, 'python-api/Dockerfile', 'FROM python:latest');
  if (!(await page.locator('.markers-panel').isVisible())) await page.keyboard.press('Control+Shift+M');
  const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'pip-no-cache-dir' }).first();
  await row.waitFor({ timeout: 30_000 });
  await row.locator('a.monaco-link', { hasText: 'pip-no-cache-dir' }).click();
  const text = await previewOf(page, 'pip-no-cache-dir');
  assert.match(text, /--no-cache-dir/);
  noNetwork();
});

scenario('"Show documentation for <rule>" in the light bulb opens the shipped page', () => vscode, async () => {
  const { page } = vscode;
  await openFile(page, 'python-api/Dockerfile', 'CMD gunicorn');
  await applyQuickFix(page, 'CMD gunicorn', 'gunicorn', 'Show documentation for cmd-shell-form');
  const text = await previewOf(page, 'cmd-shell-form');
  assert.match(text, /CMD.*ENTRYPOINT.*in shell form/);
  await vscode.saveEvidence('docs-in-the-box-light-bulb');
  noNetwork();
});
