// The three requested fixes, disable-for-line and fix-on-save, applied the way a user does it.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { ROOT } from '../paths';
import { applyQuickFix, editorText, openFile, openVsCode, scenario, type VsCode } from './vscode';

let vscode: VsCode;

before(async () => {
  vscode = await openVsCode({
    workspace: join(ROOT, 'examples'),
    settings: { 'editor.codeActionsOnSave': { 'source.fixAll.dockwise': 'explicit' }, 'files.autoSave': 'off' },
  });
});

after(async () => vscode?.close());

scenario('the light bulb switches a shell-form CMD to exec form', () => vscode, async () => {
  const { page } = vscode;
  await openFile(page, 'python-api/Dockerfile', 'CMD gunicorn');
  await page.locator('.squiggly-warning').first().waitFor({ timeout: 60_000 });
  await vscode.saveEvidence('quick-fix-before');
  await applyQuickFix(page, 'CMD gunicorn', 'gunicorn', 'Switch to exec form');
  await page.locator('.view-lines', { hasText: 'CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]' }).waitFor();
});

scenario('the light bulb copies requirements.txt first and moves COPY . after the install', () => vscode, async () => {
  const { page } = vscode;
  await applyQuickFix(page, 'COPY . .', '.', 'Copy requirements.txt first');
  await page.locator('.view-lines', { hasText: 'COPY requirements.txt ./' }).waitFor();
  const text = await editorText(page);
  assert.ok(text.indexOf('COPY requirements.txt ./') < text.indexOf('RUN pip install') && text.indexOf('RUN pip install') < text.indexOf('COPY . .'), text);
});

scenario('the light bulb adds a non-root user', () => vscode, async () => {
  const { page } = vscode;
  await applyQuickFix(page, 'FROM python:latest', 'FROM', 'Run as `app` instead of root');
  await page.locator('.view-lines', { hasText: 'USER app' }).waitFor();
  const text = await editorText(page);
  assert.match(text, /FROM python:latest\nRUN groupadd --system app && useradd --system --gid app --no-log-init --create-home app\n/);
  assert.match(text, /\nUSER app\nCMD \["gunicorn"/);
  await vscode.saveEvidence('quick-fix-after');
});

scenario('"disable for this line" inserts the comment and the squiggle goes', () => vscode, async () => {
  const { page } = vscode;
  await applyQuickFix(page, 'FROM python:latest', 'latest', 'Disable image-tag-latest for this line');
  await page.locator('.view-lines', { hasText: '# dockwise-ignore image-tag-latest' }).waitFor();
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel .monaco-list-row', { hasText: 'image-tag-latest' }).waitFor({ state: 'detached' });
});

scenario('saving with source.fixAll.dockwise on save applies the safe fixes', () => vscode, async () => {
  const { page } = vscode;
  await openFile(page, 'python-api/Dockerfile', 'RUN pip install');
  await page.keyboard.press('Control+S');
  await page.locator('.view-lines', { hasText: 'pip install --no-cache-dir' }).waitFor();
});
