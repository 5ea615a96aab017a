/**
 * Good neighbours, the client's half: tells the server which other extensions work on Dockerfiles
 * (those that activate on the `dockerfile` language) and what they report there, and shows the
 * server's notes once (the first time, ever, for each). Which extensions and codes matter, and what
 * to say, is the server's business.
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { Notification, type NeighboursParams, type Note, type OtherDiagnosticsParams } from '../../shared/protocol';

const LANGUAGE = 'dockerfile';
/** More than any linter reports on one file; the rest is not worth the message size. */
const MAX_FORWARDED = 1000;

export class NeighbourWatch implements vscode.Disposable {
  private readonly forwarded = new Map<string, string>();
  private readonly listeners: vscode.Disposable[];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: () => BaseLanguageClient | undefined,
  ) {
    this.listeners = [vscode.extensions.onDidChange(() => this.sendExtensions()), vscode.languages.onDidChangeDiagnostics(({ uris }) => this.forward(uris))];
  }

  /** After the server (re)starts: it knows nothing yet. */
  resync(): void {
    this.forwarded.clear();
    this.sendExtensions();
    this.forward(vscode.languages.getDiagnostics().map(([uri]) => uri));
  }

  /** Shows a note from the server, unless it was shown before (in any window or session). */
  async showNote(note: Note): Promise<void> {
    const seen = `dockwise.note.${note.key}`;
    if (this.context.globalState.get(seen)) return;
    await this.context.globalState.update(seen, true);
    const actions = note.actions;
    const chosen = await vscode.window.showInformationMessage(note.message, ...actions.map((a) => a.title));
    const action = actions.find((a) => a.title === chosen);
    if (action?.setting) await vscode.workspace.getConfiguration().update(action.setting.section, action.setting.value, vscode.ConfigurationTarget.Global);
    if (action?.command) await vscode.commands.executeCommand(action.command, ...(action.arguments ?? []));
  }

  private sendExtensions(): void {
    const client = this.client();
    if (!client?.isRunning()) return;
    const ours = this.context.extension.id;
    const extensions = vscode.extensions.all
      .filter((e) => e.id !== ours && activatesOn(e.packageJSON as { activationEvents?: unknown }))
      .map((e) => e.id);
    void client.sendNotification(Notification.neighbours, { extensions } satisfies NeighboursParams);
  }

  private forward(uris: readonly vscode.Uri[]): void {
    const client = this.client();
    if (!client?.isRunning()) return;
    const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d.languageId]));
    for (const uri of uris) {
      const key = uri.toString();
      if (open.get(key) !== LANGUAGE) continue;
      const diagnostics = vscode.languages
        .getDiagnostics(uri)
        .filter((d) => d.source && d.source !== 'dockwise' && d.code !== undefined)
        .slice(0, MAX_FORWARDED)
        .map((d) => ({ source: d.source!, code: String(typeof d.code === 'object' ? d.code.value : d.code) }));
      const said = JSON.stringify(diagnostics);
      if ((this.forwarded.get(key) ?? '[]') === said) continue;
      this.forwarded.set(key, said);
      void client.sendNotification(Notification.otherDiagnostics, { uri: client.code2ProtocolConverter.asUri(uri), diagnostics } satisfies OtherDiagnosticsParams);
    }
  }

  dispose(): void {
    for (const listener of this.listeners) listener.dispose();
  }
}

function activatesOn(manifest: { activationEvents?: unknown }): boolean {
  const events = Array.isArray(manifest.activationEvents) ? manifest.activationEvents : [];
  return events.includes(`onLanguage:${LANGUAGE}`) || events.includes('*');
}
