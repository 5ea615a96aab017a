/**
 * dockwise's state in the language status of Dockerfile editors (the `{}` next to "Docker" in the
 * status bar), instead of a status bar item that is always there: the language server's state and
 * how many rules are on, with a link to the log; the registry's state, with a link to the settings.
 */
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient';
import type { RegistryState } from '../../shared/protocol';

/** Registry state as the server reports it: online, offline, cached, denied by policy, off, or unavailable (no registry client). */
const REGISTRY_LOOK: Record<RegistryState, { icon: string; label: string; severity: vscode.LanguageStatusSeverity }> = {
  online: { icon: '$(cloud)', label: 'online', severity: vscode.LanguageStatusSeverity.Information },
  offline: { icon: '$(cloud-offline)', label: 'offline', severity: vscode.LanguageStatusSeverity.Warning },
  cached: { icon: '$(history)', label: 'cached data', severity: vscode.LanguageStatusSeverity.Warning },
  denied: { icon: '$(shield)', label: 'not allowed', severity: vscode.LanguageStatusSeverity.Information },
  off: { icon: '$(circle-slash)', label: 'off', severity: vscode.LanguageStatusSeverity.Information },
  // The web build has no registry client: said once, here, instead of on every hover.
  unavailable: { icon: '$(device-desktop)', label: 'needs the desktop app', severity: vscode.LanguageStatusSeverity.Information },
};

export class LanguageStatus implements vscode.Disposable {
  private readonly server = vscode.languages.createLanguageStatusItem('dockwise.server', { language: 'dockerfile' });
  private readonly registry = vscode.languages.createLanguageStatusItem('dockwise.registry', { language: 'dockerfile' });
  private state: State = State.Starting;
  private ruleCount: number | undefined;
  private readonly listeners: vscode.Disposable[];

  constructor() {
    this.server.name = 'dockwise';
    this.server.command = { title: 'Show Output', command: 'dockwise.showOutput', tooltip: "Open dockwise's log" };
    this.registry.name = 'dockwise registry';
    this.registry.command = { title: 'Settings', command: 'workbench.action.openSettings', arguments: ['@ext:dockwise.dockwise'], tooltip: "Open dockwise's settings" };
    this.showRegistry('unknown', 'not asked yet: hover an image in a FROM line');
    this.render();
    // The rule count says how many are on for the document in front, so it follows settings and editors.
    this.listeners = [
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('dockwise.rules') && this.render()),
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
    ];
  }

  showState(state: State, ruleCount?: number): void {
    this.state = state;
    if (ruleCount !== undefined) this.ruleCount = ruleCount;
    this.render();
  }

  /** `unknown` until the server says; a server of another version may say a state this client does not know. */
  showRegistry(state: RegistryState | 'unknown', detail: string): void {
    const look = (REGISTRY_LOOK as Partial<Record<string, (typeof REGISTRY_LOOK)[RegistryState]>>)[state] ?? { icon: '$(cloud)', label: 'not asked yet', severity: vscode.LanguageStatusSeverity.Information };
    this.registry.text = `${look.icon} Registry: ${look.label}`;
    this.registry.detail = detail;
    this.registry.severity = look.severity;
  }

  private render(): void {
    const item = this.server;
    item.busy = this.state === State.Starting;
    item.severity = this.state === State.Running || this.state === State.Starting ? vscode.LanguageStatusSeverity.Information : vscode.LanguageStatusSeverity.Error;
    if (this.state === State.Starting) {
      item.text = 'dockwise';
      item.detail = 'starting the language server';
    } else if (this.state !== State.Running) {
      item.text = 'dockwise: stopped';
      item.detail = this.state === State.StartFailed ? 'the language server failed to start' : 'the language server stopped';
    } else {
      const off = this.rulesOff();
      const total = this.ruleCount;
      // The severity already shows an icon; the text says what is on.
      item.text = total === undefined ? 'dockwise' : `dockwise: ${off ? `${total - off} of ${total}` : total} rules`;
      item.detail = off ? `checking Dockerfiles; ${off} turned off in dockwise.rules` : 'checking Dockerfiles';
    }
  }

  /** Rules set to `off` in the settings that apply to the active document. */
  private rulesOff(): number {
    const scope = vscode.window.activeTextEditor?.document.uri;
    const levels = vscode.workspace.getConfiguration('dockwise', scope).get<Record<string, unknown>>('rules') ?? {};
    return Object.values(levels).filter((level) => level === 'off').length;
  }

  dispose(): void {
    this.server.dispose();
    this.registry.dispose();
    for (const listener of this.listeners) listener.dispose();
  }
}
