// Good neighbours in a real VS Code: a stand-in for Docker DX (test/e2e/fixtures/docker-dx-stand-in,
// installed as docker.docker) publishes BuildKit's checks under Docker DX's source name. dockwise
// notices the problems reported twice and says so once, with a button; taking it leaves BuildKit's
// checks to Docker DX, so each problem shows once.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Page } from 'playwright-core';
import { ROOT } from '../paths';
import { openFile, openVsCode, scenario, type VsCode } from './vscode';

let vscode: VsCode;
let scratch: string;

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'dockwise-e2e-neighbours-'));
  // The stand-in, packed as an extension would be.
  cpSync(join(ROOT, 'test/e2e/fixtures/docker-dx-stand-in'), join(scratch, 'stand-in'), { recursive: true });
  const standIn = join(scratch, 'docker-dx-stand-in.vsix');
  execFileSync(join(ROOT, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '-o', standIn], { cwd: join(scratch, 'stand-in'), stdio: 'ignore' });
  const workspace = join(scratch, 'ws');
  mkdirSync(workspace);
  writeFileSync(join(workspace, 'Dockerfile'), 'FROM python:3.12-slim\nMAINTAINER me@example.com\nUSER nobody\nCMD python app.py\n');
  writeFileSync(join(workspace, '.dockerignore'), '.git\n');
  vscode = await openVsCode({ workspace, extensions: [standIn] });
});

after(async () => {
  await vscode?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const problems = (page: Page, text: string) => page.locator('.markers-panel .monaco-list-row', { hasText: text });
const NOTE_TEXT = 'Docker DX also reports';
const note = (page: Page) => page.locator('.notifications-toasts .notification-toast', { hasText: NOTE_TEXT });

/** The note's button, in its toast or, once the toast has timed out, in the notification centre. */
async function noteButton(page: Page, title: string) {
  const inToast = note(page).locator('.monaco-button', { hasText: title });
  if (await inToast.isVisible()) return inToast;
  await page.locator('[id="status.notifications"]').click();
  const inCentre = page.locator('.notifications-center .notification-list-item', { hasText: NOTE_TEXT }).locator('.monaco-button', { hasText: title });
  await inCentre.waitFor();
  return inCentre;
}

async function showProblems(page: Page): Promise<void> {
  if (!(await page.locator('.markers-panel').isVisible())) await page.keyboard.press('Control+Shift+M');
}

scenario('with Docker DX reporting BuildKit checks too, each problem shows twice, and dockwise says so once, naming what to do', () => vscode, async () => {
  const { page } = vscode;
  await openFile(page, 'Dockerfile', 'CMD python app.py');
  await showProblems(page);
  // Both extensions report the shell-form CMD and the MAINTAINER.
  await problems(page, 'cmd-shell-form').first().waitFor({ timeout: 60_000 });
  await problems(page, 'JSONArgsRecommended').first().waitFor({ timeout: 30_000 });
  await problems(page, 'maintainer-deprecated').first().waitFor();
  await problems(page, 'MaintainerDeprecated').first().waitFor();
  const toast = note(page);
  await toast.waitFor({ timeout: 30_000 });
  const message = await toast.locator('.notification-list-item-message').innerText();
  assert.match(message, /^Docker DX also reports BuildKit's checks/);
  assert.match(message, /JSONArgsRecommended/);
  assert.match(message, /MaintainerDeprecated/);
  assert.match(message, /Docker DX has no setting that turns them off/);
  assert.match(message, /dockwise\.buildkitChecks/);
  await vscode.saveEvidence('neighbours-note');
});

scenario('"Leave them to Docker DX" sets dockwise.buildkitChecks to "other": every problem then shows once, from Docker DX', () => vscode, async () => {
  const { page } = vscode;
  await (await noteButton(page, 'Leave them to Docker DX')).click();
  await problems(page, 'cmd-shell-form').first().waitFor({ state: 'detached', timeout: 30_000 });
  await problems(page, 'maintainer-deprecated').first().waitFor({ state: 'detached', timeout: 30_000 });
  assert.equal(await problems(page, 'JSONArgsRecommended').count(), 1);
  assert.equal(await problems(page, 'MaintainerDeprecated').count(), 1);
  // Docker's rows are the only ones left for those lines: [Ln 4 …] once, [Ln 2 …] once.
  const rows = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
  assert.equal(rows.filter((r) => /\[Ln 4, /.test(r)).length, 1, rows.join('\n'));
  assert.equal(rows.filter((r) => /\[Ln 2, /.test(r)).length, 1, rows.join('\n'));
  const settings = JSON.parse(readFileSync(vscode.userSettings, 'utf8')) as Record<string, unknown>;
  assert.equal(settings['dockwise.buildkitChecks'], 'other');
  await vscode.saveEvidence('neighbours-left-to-docker');
});

scenario('the note is shown once: back to "dockwise" and after a server restart, the overlap says nothing more', () => vscode, async () => {
  const { page } = vscode;
  // A workspace setting wins over the user setting the button wrote.
  vscode.setWorkspaceSettings({ 'dockwise.buildkitChecks': 'dockwise' });
  await problems(page, 'cmd-shell-form').first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Control+Shift+P');
  await page.locator('.quick-input-widget .quick-input-box input').fill('>dockwise: Restart Language Server');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Restart Language Server' }).first().click();
  // The new server sees the overlap again and sends its note; the client has shown it before.
  await problems(page, 'cmd-shell-form').first().waitFor({ timeout: 30_000 });
  await page.waitForTimeout(4000);
  assert.equal(await note(page).count(), 0);
  assert.equal(await page.locator('.notifications-center .notification-list-item', { hasText: NOTE_TEXT }).count(), 0);
  assert.equal(await problems(page, 'JSONArgsRecommended').count(), 1);
});
