// Runs inside the VS Code extension host, against the real `vscode` API: the same checks whether
// the host is code-server (npm test) or a downloaded VS Code (npm run test:vscode).
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';

const DOCKWISE = 'dockwise';

/** Resolves once the document's dockwise diagnostics satisfy `ok`, or fails after `ms`. */
function diagnosticsWhere(uri: vscode.Uri, ok: (codes: string[]) => boolean, ms = 30_000): Promise<string[]> {
  const codes = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === DOCKWISE).map((d) => String(typeof d.code === 'object' ? d.code.value : d.code));
  return new Promise((resolve, reject) => {
    if (ok(codes())) return resolve(codes());
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`diagnostics never matched; last: ${JSON.stringify(codes())}`));
    }, ms);
    const listener = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString()) || !ok(codes())) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(codes());
    });
  });
}

const checks: [string, () => Promise<void>][] = [];
const check = (name: string, body: () => Promise<void>) => checks.push([name, body]);

let uri: vscode.Uri;

check('a Dockerfile gets dockwise diagnostics, with codes and docs links', async () => {
  const folder = vscode.workspace.workspaceFolders![0]!.uri;
  uri = vscode.Uri.joinPath(folder, 'Dockerfile');
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('FROM python:latest\nUSER app\nCMD python app.py\n'));
  const document = await vscode.workspace.openTextDocument(uri);
  assert.equal(document.languageId, 'dockerfile');
  await vscode.window.showTextDocument(document);
  const codes = await diagnosticsWhere(uri, (c) => c.includes('cmd-shell-form') && c.includes('image-tag-latest'));
  assert.deepEqual(codes.sort(), ['cmd-shell-form', 'image-tag-latest']);
  const latest = vscode.languages.getDiagnostics(uri).find((d) => d.code && typeof d.code === 'object' && d.code.value === 'image-tag-latest')!;
  // The server links the published page; the client turns that into the shipped page's command.
  const target = typeof latest.code === 'object' ? latest.code.target : undefined;
  assert.equal(target?.scheme, 'command');
  assert.equal(target?.path, 'dockwise.showRuleDocs');
  assert.deepEqual(JSON.parse(target!.query), ['image-tag-latest', 'https://github.com/dockwise/dockwise/blob/main/docs/rules/image-tag-latest.md']);
  assert.deepEqual([latest.range.start.line, latest.range.start.character, latest.range.end.character], [0, 12, 18]);
});

check('the code action provider offers the fix first and applying it clears the diagnostic', async () => {
  const cmd = vscode.languages.getDiagnostics(uri).find((d) => d.code && typeof d.code === 'object' && d.code.value === 'cmd-shell-form')!;
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, cmd.range, vscode.CodeActionKind.QuickFix.value);
  const titles = actions.map((a) => a.title);
  assert.deepEqual(titles.filter((t) => t.includes('cmd-shell-form') || t === 'Switch to exec form'), [
    'Switch to exec form',
    'Disable cmd-shell-form for this line',
    'Disable cmd-shell-form for this file',
    'Show documentation for cmd-shell-form',
  ]);
  assert.ok(await vscode.workspace.applyEdit(actions.find((a) => a.title === 'Switch to exec form')!.edit!));
  assert.equal(vscode.window.activeTextEditor!.document.lineAt(2).text, 'CMD ["python", "app.py"]');
  await diagnosticsWhere(uri, (c) => !c.includes('cmd-shell-form'));
});

check('a settings change reaches the server without a reload', async () => {
  await vscode.workspace.getConfiguration('dockwise').update('rules', { 'image-tag-latest': 'off' }, vscode.ConfigurationTarget.Workspace);
  await diagnosticsWhere(uri, (c) => !c.includes('image-tag-latest'));
  await vscode.workspace.getConfiguration('dockwise').update('rules', undefined, vscode.ConfigurationTarget.Workspace);
  await diagnosticsWhere(uri, (c) => c.includes('image-tag-latest'));
});

check('the hover provider answers for an image (here: refused by policy, in one line)', async () => {
  const editor = vscode.window.activeTextEditor!;
  await editor.edit((b) => b.replace(new vscode.Range(0, 5, 0, 18), '127.0.0.1:9/team/app:1.0'));
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(0, 8));
  const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  assert.match(text, /registry data unavailable: 127\.0\.0\.1:9 is not allowed by dockwise\.registry settings\./);
});

check('dockwise commands are registered', async () => {
  const commands = await vscode.commands.getCommands(true);
  for (const id of ['dockwise.fixAll', 'dockwise.refreshRegistry', 'dockwise.showOutput', 'dockwise.restartServer', 'dockwise.showRuleDocs']) assert.ok(commands.includes(id), id);
});

check('a rule page opens from the extension in the Markdown preview', async () => {
  await vscode.commands.executeCommand('dockwise.showRuleDocs', 'cmd-shell-form', 'https://github.com/dockwise/dockwise/blob/main/docs/rules/cmd-shell-form.md');
  const deadline = Date.now() + 10_000;
  const preview = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Preview cmd-shell-form.md');
  while (!preview() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const tab = preview();
  assert.ok(tab, vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label)).join(', '));
  assert.ok(tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('markdown.preview'), String((tab.input as { viewType?: string }).viewType));
});

/** Entry point for the extension host's test runner; throws (non-zero exit) when a check fails. */
export async function run(): Promise<void> {
  const failures: string[] = [];
  for (const [name, body] of checks) {
    try {
      await body();
      console.log(`ok - ${name}`);
    } catch (error) {
      failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      console.log(`not ok - ${name}`);
    }
  }
  console.log(`${checks.length - failures.length} passed, ${failures.length} failed`);
  if (failures.length) throw new Error(failures.join('\n'));
}
