// The extension-host suite (test/suite/) inside code-server, the way it runs where VS Code cannot be downloaded.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../paths';
import { runExtensionHostSuite } from './vscode';

test('the extension-host suite passes inside code-server', { timeout: 180_000 }, async (t) => {
  const workspace = mkdtempSync(join(tmpdir(), 'dockwise-suite-ws-'));
  try {
    const { code, log } = await runExtensionHostSuite(join(ROOT, 'out/suite/index.js'), workspace);
    t.diagnostic(log);
    assert.equal(code, 0, log);
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
});
