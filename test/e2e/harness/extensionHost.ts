/**
 * Runs a test module inside the real VS Code extension host, the way VS Code runs its own browser
 * integration tests: the workbench opens with extensionDevelopmentPath and extensionTestsPath, calls
 * the module's run(), and reports through codeAutomationExit (0 when it resolves, 1 when it throws).
 */
import type { Browser } from 'playwright-core';
import { newPage, saveArtifacts } from './browser';
import type { RunningServer } from './codeServer';

export interface ExtensionHostRun {
  server: RunningServer;
  /** The workspace folder to open. */
  folder: string;
  /** The installed extension's folder, loaded as the extension under development. */
  extensionDir: string;
  /** Absolute path of the CommonJS module whose run() executes in the extension host. */
  runner: string;
  /** Name of the screenshot saved under test-results/. */
  artifact: string;
  timeoutMs?: number;
}

export async function runInExtensionHost(browser: Browser, run: ExtensionHostRun): Promise<number> {
  const page = await newPage(browser);
  let timer: NodeJS.Timeout | undefined;
  try {
    const exit = new Promise<number>((resolve) => void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code)));
    const remote = (p: string) => `vscode-remote://${new URL(run.server.url).host}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(run.extensionDir)],
      ['extensionTestsPath', remote(run.runner)],
    ]);
    await page.goto(`${run.server.folderUrl(run.folder)}&payload=${encodeURIComponent(payload)}`);
    const timedOut = new Promise<number>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${run.artifact}: the extension-host run did not finish`)), run.timeoutMs ?? 120_000);
    });
    return await Promise.race([exit, timedOut]);
  } finally {
    clearTimeout(timer);
    await saveArtifacts(page, run.artifact, false);
    await page.context().close();
  }
}
