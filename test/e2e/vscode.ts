// Drives a real VS Code (the project-local code-server) in Debian's Chromium, with the freshly
// packaged dockwise installed into a throw-away profile and a copy of a test workspace open.
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { ROOT } from '../paths';

interface CodeServerModule {
  CHROMIUM: string;
  ensureCodeServer(): void;
  freePort(): Promise<number>;
  prepareRun(dir: string, options: { vsix?: string; extensions?: readonly string[]; settings?: Record<string, unknown> }): void;
  startCodeServer(
    dir: string,
    options: { port: number; folder: string; log?: unknown; workspaceTrust?: boolean },
  ): Promise<{ workbenchUrl: string; stop(): Promise<void> }>;
}

export const RESULTS = join(ROOT, 'test-results');

export interface VsCode {
  readonly page: Page;
  readonly workspace: string;
  /** The user settings.json of this run's profile. */
  readonly userSettings: string;
  /** Saves a screenshot and the VS Code logs (the dockwise output channel among them) under test-results/. */
  saveEvidence(name: string): Promise<void>;
  /** Writes the workspace's .vscode/settings.json while VS Code runs, as a user editing it would. */
  setWorkspaceSettings(settings: Record<string, unknown>): void;
  close(): Promise<void>;
}

/**
 * `extensions`: more .vsix files to install beside dockwise. `DOCKWISE_VSIX` names another dockwise
 * package than the one `npm run package` leaves in the project folder.
 */
export async function openVsCode(options: { workspace: string; settings?: Record<string, unknown>; workspaceTrust?: boolean; extensions?: readonly string[] }): Promise<VsCode> {
  const codeServer = (await import(pathToFileURL(join(ROOT, 'scripts/code-server.mjs')).href)) as CodeServerModule;
  codeServer.ensureCodeServer();
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const vsix = process.env.DOCKWISE_VSIX ?? join(ROOT, `dockwise-${version}.vsix`);
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package first`);

  const run = mkdtempSync(join(tmpdir(), 'dockwise-e2e-'));
  const workspace = join(run, 'ws');
  cpSync(options.workspace, workspace, { recursive: true });
  codeServer.prepareRun(join(run, 'cs'), { vsix, ...(options.extensions ? { extensions: options.extensions } : {}), ...(options.settings ? { settings: options.settings } : {}) });
  const log = createWriteStream(join(run, 'code-server.log'));
  await new Promise((resolve) => log.once('open', resolve));
  const server = await codeServer.startCodeServer(join(run, 'cs'), { port: await codeServer.freePort(), folder: workspace, log, workspaceTrust: options.workspaceTrust === true });

  const { chromium } = createRequire(join(ROOT, 'e2e/package.json'))('playwright-core') as typeof import('playwright-core');
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: codeServer.CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.workbenchUrl);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const opened = browser;
    return {
      page,
      workspace,
      userSettings: join(run, 'cs/ud/User/settings.json'),
      setWorkspaceSettings(settings) {
        mkdirSync(join(workspace, '.vscode'), { recursive: true });
        writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
      },
      async saveEvidence(name) {
        mkdirSync(RESULTS, { recursive: true });
        await page.screenshot({ path: join(RESULTS, `${name}.png`) }).catch(() => undefined);
        const logs = join(run, 'cs/ud/logs');
        if (existsSync(logs)) cpSync(logs, join(RESULTS, `${name}-logs`), { recursive: true });
      },
      async close() {
        await opened.close().catch(() => undefined);
        await server.stop();
        log.end();
        rmSync(run, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    throw error;
  }
}

/** Opens a workspace file through Quick Open, as a user would, and waits for its text. */
export async function openFile(page: Page, relativePath: string, expectText: string): Promise<void> {
  const shown = page.locator('.editor-instance .monaco-editor .view-lines', { hasText: expectText });
  // Once in a CI run, Quick Open took the click on an already open file's row (the Explorer revealed
  // it) and left a Markdown preview in front; so the pick is made again when the file is not shown.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(relativePath);
    // The list first shows recently opened files; wait for the search to bring up this one.
    const [folder = '', name = relativePath] = relativePath.includes('/') ? [relativePath.slice(0, relativePath.lastIndexOf('/')), relativePath.slice(relativePath.lastIndexOf('/') + 1)] : [];
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).filter({ hasText: folder }).first();
    await row.waitFor();
    await row.click();
    const opened = await shown.waitFor({ timeout: attempt < 3 ? 10_000 : 30_000 }).then(() => true, (error: unknown) => (attempt < 3 ? false : Promise.reject(error)));
    if (opened) break;
    await page.keyboard.press('Escape');
  }
  // The build-context CodeLens above line 1 arrives a moment later and moves every line down;
  // measuring positions before it lands would aim at the wrong line.
  await page.locator('.editor-instance .codelens-decoration').first().waitFor({ timeout: 5000 }).catch(() => undefined);
}

/** The on-screen box of `word` inside the first editor line that contains `lineText`. */
export async function wordBox(page: Page, lineText: string, word: string): Promise<{ x: number; y: number; width: number; height: number }> {
  // Other editors (closed tabs, peek views) keep hidden lines around; only a visible one has a box.
  const line = page.locator('.editor-instance .view-line', { hasText: lineText }).filter({ visible: true }).first();
  // Monaco replaces line elements when decorations arrive; a replaced one has no box, so ask again.
  let box = await line.boundingBox();
  for (let attempt = 0; !box && attempt < 20; attempt++) {
    await page.waitForTimeout(100);
    box = await line.boundingBox();
  }
  // Monaco renders non-breaking spaces, and zero-width breaks inside long tokens that take no room.
  const text = (await line.innerText()).replace(/\u00a0/g, ' ').replace(/[\u200b-\u200d\ufeff]/g, '');
  const column = text.indexOf(word);
  if (!box || column < 0) throw new Error(`"${word}" is not on screen in "${lineText}" (line shows ${JSON.stringify(text)})`);
  // Monaco lays every editor line out in one monospace font, so columns map linearly to pixels.
  const charWidth = await line.evaluate((el) => {
    const probe = document.createElement('span');
    probe.textContent = 'x'.repeat(100);
    el.appendChild(probe);
    const width = probe.getBoundingClientRect().width / 100;
    probe.remove();
    return width;
  });
  return { x: box.x + column * charWidth, y: box.y, width: word.length * charWidth, height: box.height };
}

/**
 * Hovers `word` in the line containing `lineText` until `within(hover)` shows, and returns that.
 * A hover can open before the registry answered, or be dismissed by a layout change; it is retried.
 */
export async function hoverUntil(page: Page, lineText: string, word: string, within: (hover: Locator) => Locator): Promise<Locator> {
  for (let attempt = 0; ; attempt++) {
    const box = await wordBox(page, lineText, word);
    await page.mouse.move(box.x + 2, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const target = within(page.locator('.monaco-hover:not(.hidden)'));
    try {
      await target.first().waitFor({ timeout: 5000 });
      return target.first();
    } catch (error) {
      if (attempt === 4) throw error;
      await page.mouse.move(0, 0);
    }
  }
}

/** A bounded end-to-end test that leaves a screenshot and the logs behind when it fails. */
export function scenario(name: string, vscode: () => VsCode, body: () => Promise<void>, timeout = 90_000): void {
  test(name, { timeout }, async () => {
    try {
      await body();
    } catch (error) {
      await vscode()?.saveEvidence(`failed-${name.replace(/\W+/g, '-')}`);
      throw error;
    }
  });
}

/** The editor's text as shown (the whole file must fit on screen), with Monaco's spaces normalised. */
export async function editorText(page: Page): Promise<string> {
  const lines = await page.locator('.editor-instance .view-lines .view-line').evaluateAll((els) =>
    els
      .map((el) => ({ top: parseFloat((el as HTMLElement).style.top), text: (el as HTMLElement).innerText }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text),
  );
  return lines.map((l) => l.replace(/\u00a0/g, ' ')).join('\n');
}

/**
 * Puts the cursor on `word` in the line containing `lineText`, opens the Quick Fix menu and
 * chooses the action whose title starts with `title`. Ctrl+. right after a change can come back
 * empty while the server is still linting, so it is retried a few times.
 */
export async function applyQuickFix(page: Page, lineText: string, word: string, title: string): Promise<void> {
  const box = await wordBox(page, lineText, word);
  for (let attempt = 0; attempt < 5; attempt++) {
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.keyboard.press('Control+.');
    const rows = page.locator('.action-widget .monaco-list-row.action');
    try {
      await rows.first().waitFor({ timeout: 3000 });
      // The menu blocks pointer events behind a shield; choose with the keyboard like a user would.
      const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      const index = labels.findIndex((l) => l.startsWith(title));
      if (index < 0) throw new Error(`"${title}" not among ${JSON.stringify(labels)}`);
      for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
      await page.locator('.action-widget .monaco-list-row.action.focused', { hasText: title }).waitFor({ timeout: 2000 });
      await page.keyboard.press('Enter');
      await page.locator('.action-widget').waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
      return;
    } catch {
      await page.keyboard.press('Escape');
    }
  }
  throw new Error(`no quick fix "${title}" on "${word}"`);
}

/**
 * Runs an extension-host test module inside code-server: the workbench takes the development
 * extension and the tests through its `payload` URL parameter and reports the outcome through
 * `codeAutomationExit` (see ../shared/notes/vscode-in-browser.md). Resolves with the exit code.
 */
export async function runExtensionHostSuite(testsPath: string, workspace: string): Promise<{ code: number; log: string }> {
  const codeServer = (await import(pathToFileURL(join(ROOT, 'scripts/code-server.mjs')).href)) as CodeServerModule;
  codeServer.ensureCodeServer();
  const run = mkdtempSync(join(tmpdir(), 'dockwise-suite-'));
  const ws = join(run, 'ws');
  cpSync(workspace, ws, { recursive: true });
  codeServer.prepareRun(join(run, 'cs'), {});
  const logFile = join(run, 'code-server.log');
  const log = createWriteStream(logFile);
  await new Promise((resolve) => log.once('open', resolve));
  const server = await codeServer.startCodeServer(join(run, 'cs'), { port: await codeServer.freePort(), folder: ws, log });
  const { chromium } = createRequire(join(ROOT, 'e2e/package.json'))('playwright-core') as typeof import('playwright-core');
  const browser = await chromium.launch({
    executablePath: codeServer.CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const remote = (path: string) => `vscode-remote://${new URL(server.workbenchUrl).host}${path}`;
    const payload = [['extensionDevelopmentPath', remote(ROOT)], ['extensionTestsPath', remote(testsPath)]];
    const lines: string[] = [];
    page.on('console', (message) => lines.push(message.text()));
    const exit = new Promise<number>((resolve) => void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code)));
    await page.goto(`${server.workbenchUrl}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const code = await Promise.race([exit, new Promise<number>((resolve) => (timer = setTimeout(() => resolve(-1), 120_000)))]);
    // A pending timer would keep the test file's process alive for two more minutes.
    clearTimeout(timer);
    return { code, log: lines.filter((l) => /^(?:ok|not ok) - |passed, \d+ failed|Error/.test(l)).join('\n') };
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
    log.end();
    rmSync(run, { recursive: true, force: true });
  }
}
