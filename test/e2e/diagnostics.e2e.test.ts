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
  const squiggle = page.locator('.squiggly-warning').first();
  await squiggle.waitFor({ timeout: 60_000 });

  const squiggleBox = await squiggle.boundingBox();
  const latest = await wordBox(page, 'FROM python:latest', 'latest');
  assert.ok(squiggleBox);
  assert.ok(Math.abs(squiggleBox.x - latest.x) < 3, `squiggle starts at x=${squiggleBox.x}, "latest" at x=${latest.x}`);
  assert.ok(Math.abs(squiggleBox.width - latest.width) < 4, `squiggle is ${squiggleBox.width}px wide, "latest" ${latest.width}px`);

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
