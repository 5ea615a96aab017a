// Restricted mode: in an untrusted workspace dockwise contacts no host beyond the public list,
// even one the user's own settings allow.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { startFaultServer, type FaultServer } from '../registry/fault-server';
import { openFile, openVsCode, scenario, wordBox, type VsCode } from './vscode';

let faults: FaultServer;
let vscode: VsCode;
let workspace: string;

before(async () => {
  faults = await startFaultServer();
  workspace = mkdtempSync(join(tmpdir(), 'dockwise-e2e-untrusted-'));
  writeFileSync(join(workspace, 'Dockerfile'), `FROM ${faults.host}/not-found/app:1.0\nUSER app\n`);
  vscode = await openVsCode({ workspace, workspaceTrust: true, settings: { 'security.workspace.trust.enabled': true, 'dockwise.registry.hosts': [faults.host] } });
});

after(async () => {
  await vscode?.close();
  await faults?.stop();
  rmSync(workspace, { recursive: true, force: true });
});

scenario('an untrusted workspace makes no request to a non-public host', () => vscode, async () => {
  const { page } = vscode;
  // VS Code asks whether to trust the folder; say no, as a careful user opening a stranger's repository would.
  await page.getByRole('button', { name: /No, I don.t trust the authors/ }).click({ timeout: 30_000 });
  await openFile(page, 'Dockerfile', 'not-found/app:1.0');
  const box = await wordBox(page, 'not-found/app:1.0', 'app');
  // The language server starts with the extension; hover until it answers.
  const refused = page.locator('.monaco-hover:not(.hidden)', { hasText: 'not allowed by dockwise.registry settings' });
  for (let attempt = 0; attempt < 10 && !(await refused.isVisible()); attempt++) {
    await page.mouse.move(0, 0);
    await page.mouse.move(box.x + 2, box.y + box.height / 2);
    await refused.waitFor({ timeout: 5000 }).catch(() => undefined);
  }
  await refused.waitFor({ timeout: 1000 });
  await vscode.saveEvidence('untrusted-hover');
  assert.deepEqual(faults.seen, [], 'the loopback registry was never contacted');
});
