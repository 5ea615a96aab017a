import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { ROOT } from '../paths';
import { openFile, openVsCode, scenario, wordBox, type VsCode } from './vscode';

let vscode: VsCode;

before(async () => {
  vscode = await openVsCode({ workspace: join(ROOT, 'examples') });
});

after(async () => vscode?.close());

scenario('a Dockerfile shows the squiggle on the offending word and a Problems entry with the rule code', () => vscode, async () => {
  const { page } = vscode;
  await openFile(page, 'python-api/Dockerfile', 'FROM python:latest');
  await page.locator('.squiggly-warning').first().waitFor({ timeout: 60_000 });
  const latest = await wordBox(page, 'FROM python:latest', 'latest');
  // The file has several findings; one squiggle must sit exactly under `latest`.
  const boxes = await page.locator('.squiggly-warning').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map(({ x, y, width }) => ({ x, y, width })));
  const under = boxes.find((b) => Math.abs(b.x - latest.x) < 3 && Math.abs(b.width - latest.width) < 4 && b.y >= latest.y - 2 && b.y <= latest.y + latest.height);
  assert.ok(under, `no squiggle under "latest" at x=${latest.x} (width ${latest.width}); squiggles: ${JSON.stringify(boxes)}`);

  await page.keyboard.press('Control+Shift+M');
  const entry = page.locator('.markers-panel .monaco-list-row', { hasText: 'image-tag-latest' });
  await entry.waitFor();
  const text = await entry.innerText();
  assert.match(text, /dockwise/);
  assert.match(text, /\[Ln 2, Col 13\]/);
  await vscode.saveEvidence('diagnostics-squiggle-and-problems');
});

for (const [path, firstLine] of [
  ['node-web/Dockerfile.prod', 'ARG NODE_IMAGE=node'],
  ['go-service/Containerfile', 'FROM golang:1.22-bookworm AS build'],
] as const) {
  scenario(`${path} opens as a Dockerfile`, () => vscode, async () => {
    const { page } = vscode;
    await openFile(page, path, firstLine);
    await page.locator('[id="status.editor.mode"]', { hasText: 'Docker' }).waitFor();
  });
}

scenario('a Dockerfile.prod gets dockwise diagnostics, through its build argument', () => vscode, async () => {
  const { page } = vscode;
  await openFile(page, 'node-web/Dockerfile.prod', 'ARG NODE_IMAGE=node');
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel .monaco-list-row', { hasText: '`${NODE_IMAGE}` resolves to `node`' }).waitFor({ timeout: 30_000 });
});

scenario('changing dockwise.rules in the settings updates the diagnostics without a reload', () => vscode, async () => {
  const { page } = vscode;
  await openFile(page, 'python-api/Dockerfile', 'FROM python:latest');
  // The Problems panel may already be open from an earlier scenario; the command toggles it.
  if (!(await page.locator('.markers-panel').isVisible())) await page.keyboard.press('Control+Shift+M');
  // Other open files have image-tag-latest rows too; this one is about `python:latest`.
  const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'image-tag-latest' }).filter({ hasText: '`python:latest`' });
  await row.waitFor();
  vscode.setWorkspaceSettings({ 'dockwise.rules': { 'image-tag-latest': 'off' } });
  await row.waitFor({ state: 'detached', timeout: 30_000 });
  vscode.setWorkspaceSettings({ 'dockwise.rules': { 'image-tag-latest': 'error' } });
  await row.waitFor({ timeout: 30_000 });
  await page.locator('.squiggly-error').first().waitFor();
});
