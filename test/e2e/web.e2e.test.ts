// The web build (vscode.dev, github.dev) in a real browser: code-server's workbench runs the packaged
// dockwise in its web worker extension host (`remote.extensionKind` says `web`), so the extension is
// client/out/browserExtension.js and its language server server/out/browserServer.js in a worker.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before } from 'node:test';
import { applyQuickFix, editorText, openFile, openVsCode, scenario, type VsCode } from './vscode';

let vscode: VsCode;
let workspace: string;

before(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'dockwise-e2e-web-'));
  writeFileSync(join(workspace, 'Dockerfile'), 'FROM python:3.12-slim\nWORKDIR /app\nrun pip install flask\nCOPY . .\nUSER nobody\nCMD python app.py\n');
  vscode = await openVsCode({
    workspace,
    settings: {
      // Where the workbench may run it, VS Code prefers the remote's Node host; this makes it the browser's.
      'remote.extensionKind': { 'dockwise.dockwise': ['web'] },
      'editor.codeActionsOnSave': { 'source.fixAll.dockwise': 'explicit' },
      'files.autoSave': 'off',
    },
  });
});

after(async () => {
  await vscode?.close();
  rmSync(workspace, { recursive: true, force: true });
});

/** Command lines of the processes started from this run's extensions folder (a Node language server would be one). */
function processesOfThisRun(): string[] {
  const extensions = join(dirname(vscode.workspace), 'cs/ext');
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        return [readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')];
      } catch {
        return [];
      }
    })
    .filter((line) => line.includes(extensions));
}

scenario('the diagnostics come from the web worker: the language status says registry features need the desktop, and no Node server runs', () => vscode, async () => {
  const { page } = vscode;
  await openFile(page, 'Dockerfile', 'python:3.12-slim');
  await page.locator('.squiggly-warning').first().waitFor({ timeout: 60_000 });
  const items = page.locator('.monaco-hover:not(.hidden) .hover-language-status');
  await page.locator('[id="status.languageStatus"]').click();
  await items.filter({ hasText: 'Registry: needs the desktop app' }).waitFor({ timeout: 15_000 });
  assert.match(await items.filter({ hasText: 'Registry:' }).innerText(), /tag completion/);
  assert.match(await items.filter({ hasText: 'dockwise:' }).innerText(), /dockwise: \d+ rules/);
  await vscode.saveEvidence('web-language-status');
  await page.keyboard.press('Escape');
  assert.deepEqual(processesOfThisRun().filter((line) => line.includes('server/out/server.js')), []);
  // The worker the extension started, named by it, is the one serving this page.
  const workers = await Promise.all(page.workers().map((worker) => worker.evaluate(() => (self as unknown as { name: string }).name).catch(() => '')));
  assert.ok(workers.some((name) => name.includes('dockwise language server')), JSON.stringify(workers));
});

scenario('a quick fix applies in the browser', () => vscode, async () => {
  const { page } = vscode;
  await applyQuickFix(page, 'CMD python app.py', 'python', 'Switch to exec form');
  await page.locator('.view-lines', { hasText: 'CMD ["python", "app.py"]' }).waitFor();
});

scenario('Format Document upper-cases the instruction', () => vscode, async () => {
  const { page } = vscode;
  await page.keyboard.press('Control+Shift+P');
  await page.locator('.quick-input-widget .quick-input-box input').fill('>Format Document');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Format Document' }).first().click();
  await page.locator('.view-lines', { hasText: 'RUN pip install flask' }).waitFor();
});

scenario('completion offers instructions', () => vscode, async () => {
  const { page } = vscode;
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('EXPO');
  await page.keyboard.press('Control+Space');
  await page.locator('.suggest-widget .monaco-list-row', { hasText: 'EXPOSE' }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Escape');
  // Leave the file as it was for the save below: only the fix-all should change it.
  for (let i = 0; i < 5; i++) await page.keyboard.press('Backspace');
});

scenario('saving applies the safe fixes (fix on save)', () => vscode, async () => {
  const { page } = vscode;
  await page.keyboard.press('Control+S');
  await page.locator('.view-lines', { hasText: 'pip install --no-cache-dir flask' }).waitFor();
  assert.match(await editorText(page), /^FROM python:3\.12-slim\nWORKDIR \/app\nRUN pip install --no-cache-dir flask\n/);
});
