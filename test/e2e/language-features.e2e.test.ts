// Completion of registry tags and renaming a stage, in a real VS Code against a loopback registry.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { seedDemoImages } from '../registry/demo-images';
import { startRegistry, type LocalRegistry } from '../registry/local-registry';
import { applyQuickFix, editorText, openFile, openVsCode, scenario, wordBox, type VsCode } from './vscode';

let registry: LocalRegistry;
let vscode: VsCode;
let workspace: string;

before(async () => {
  registry = await startRegistry();
  await seedDemoImages(registry.host);
  workspace = mkdtempSync(join(tmpdir(), 'dockwise-e2e-features-'));
  writeFileSync(join(workspace, 'Dockerfile'), `FROM ${registry.host}/library/python:3.12\nUSER nobody\n`);
  writeFileSync(join(workspace, 'Dockerfile.stages'), 'FROM alpine:3.24 AS build\nRUN echo hi > /out\nFROM alpine:3.24\nCOPY --from=build /out /out\nUSER nobody\n');
  // A compose project whose Dockerfile sits below its build context.
  mkdirSync(join(workspace, 'app/api'), { recursive: true });
  writeFileSync(join(workspace, 'app/compose.yaml'), 'services:\n  api:\n    build: { context: ., dockerfile: api/Dockerfile }\n');
  writeFileSync(join(workspace, 'app/requirements.txt'), 'flask\n');
  writeFileSync(join(workspace, 'app/api/Dockerfile'), 'FROM python:3.12-slim\nCOPY requirments.txt ./\nUSER nobody\n');
  vscode = await openVsCode({ workspace, settings: { 'dockwise.registry.hosts': [registry.host] } });
});

after(async () => {
  await vscode?.close();
  await registry?.stop();
  rmSync(workspace, { recursive: true, force: true });
});

scenario('completing the tag of a FROM image lists the registry\'s tags, most specific first', () => vscode, async () => {
  const { page } = vscode;
  await openFile(page, 'Dockerfile', 'library/python:3.12');
  const box = await wordBox(page, 'library/python:3.12', '3.12');
  await page.mouse.click(box.x + box.width + 2, box.y + box.height / 2);
  await page.keyboard.press('End');
  await page.keyboard.press('Control+Space');
  const rows = page.locator('.suggest-widget .monaco-list-row');
  await rows.filter({ hasText: '3.12.7-slim' }).first().waitFor({ timeout: 15_000 });
  const labels = (await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))).map((l) => l.split(',')[0]);
  // What is typed (`3.12`) filters the list and VS Code puts the exact match first; the rest keep
  // our order, newest and most specific first.
  assert.deepEqual(labels, ['3.12', '3.12.7', '3.12.7-slim', '3.12-slim']);
  await vscode.saveEvidence('completion-registry-tags');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.locator('.view-lines', { hasText: 'python:3.12.7' }).waitFor();
});

scenario('renaming a stage (Rename Symbol, F2) updates its COPY --from', () => vscode, async () => {
  const { page } = vscode;
  await openFile(page, 'Dockerfile.stages', 'AS build');
  const box = await wordBox(page, 'AS build', 'build');
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  // A click can land while the editor is still settling; put the cursor inside `build` by keyboard too.
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await page.locator('.statusbar', { hasText: 'Ln 1, Col 25' }).waitFor();
  // F2 does not reach the workbench in this headless Chromium; the command is the same one.
  await page.keyboard.press('Control+Shift+P');
  await page.locator('.quick-input-widget .quick-input-box input').fill('>Rename Symbol');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Rename Symbol' }).first().click();
  // The rename box opens focused with the old name selected: typing replaces it.
  await page.waitForFunction(() => document.activeElement?.classList.contains('rename-input'));
  await page.keyboard.type('compile');
  await page.keyboard.press('Enter');
  await page.locator('.view-lines', { hasText: 'COPY --from=compile' }).waitFor();
  const text = await editorText(page);
  assert.match(text, /FROM alpine:3\.24 AS compile/);
  assert.doesNotMatch(text, /\bbuild\b/);
});

scenario('a COPY typo under a compose build context gets a did-you-mean fix, and the CodeLens names the context', () => vscode, async () => {
  const { page } = vscode;
  await openFile(page, 'app/api/Dockerfile', 'requirments.txt');
  await page.locator('.codelens-decoration', { hasText: 'build context: .., from compose service api' }).waitFor({ timeout: 15_000 });
  await page.locator('.squiggly-error').first().waitFor({ timeout: 15_000 });
  await applyQuickFix(page, 'COPY requirments.txt', 'requirments', 'Change to requirements.txt');
  await page.locator('.view-lines', { hasText: 'COPY requirements.txt ./' }).waitFor();
  await vscode.saveEvidence('copy-typo-fixed');
});
