/**
 * Docs in the box: the rule pages ship in the extension (docs/rules/<id>.md), and both ways to
 * reach them open the shipped page in VS Code's Markdown preview, with no network:
 *
 * - the light bulb's "Show documentation for <rule>" runs `dockwise.showRuleDocs` with the id;
 * - a diagnostic's code links to the published page (the server keeps the web address, which other
 *   clients and the CLI use); VS Code would open it in a browser, so the diagnostics that link into
 *   this project's docs/rules get a `command:` link to the same command instead. The editor opens
 *   diagnostic links with commands allowed, in the hover, the Problems panel and peek alike.
 *
 * What is known here is the extension's own layout, not rules: ids are taken as given.
 */
import * as vscode from 'vscode';
import { ClientCommand } from '../../shared/protocol';

export const SHOW_RULE_DOCS = ClientCommand.showRuleDocs;
const PAGE_ID = /^[a-z0-9][a-z0-9-]*$/;

export function registerRuleDocs(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.commands.registerCommand(SHOW_RULE_DOCS, async (id?: unknown, webPage?: unknown) => {
    if (typeof id !== 'string' || !PAGE_ID.test(id)) return;
    const page = shippedPage(context, id);
    if (await exists(page)) {
      try {
        await vscode.commands.executeCommand('markdown.showPreview', page);
      } catch {
        // Markdown preview turned off: the page as text is still the page.
        await vscode.window.showTextDocument(page, { preview: true });
      }
      return;
    }
    if (typeof webPage === 'string' && webPage.startsWith('https://')) await vscode.env.openExternal(vscode.Uri.parse(webPage));
  });
}

function shippedPage(context: vscode.ExtensionContext, id: string): vscode.Uri {
  return vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules', `${id}.md`);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
}

/**
 * Turns the web link of diagnostics whose code points into this project's docs/rules/ into a
 * link that opens the shipped page. The project's home comes from package.json (`homepage`).
 */
export function localDocsLinks(context: vscode.ExtensionContext): (diagnostics: vscode.Diagnostic[]) => void {
  const home = String((context.extension.packageJSON as { homepage?: unknown }).homepage ?? '').replace(/\/$/, '');
  const base = `${home}/blob/main/docs/rules/`;
  return (diagnostics) => {
    if (!home) return;
    for (const diagnostic of diagnostics) {
      const code = diagnostic.code;
      if (typeof code !== 'object' || !code) continue;
      const web = code.target.toString(true);
      const id = web.startsWith(base) ? web.slice(base.length).replace(/\.md$/, '') : undefined;
      if (!id || !PAGE_ID.test(id)) continue;
      diagnostic.code = { value: code.value, target: vscode.Uri.parse(`command:${SHOW_RULE_DOCS}?${encodeURIComponent(JSON.stringify([id, web]))}`) };
    }
  };
}
