/**
 * A fresh VS Code window for one `describe`, in the manner of vitest-dev/vscode's `launch` fixture: its
 * own profile with the .vsix installed, its own git repository copied from the fixture workspace, its
 * own code-server and browser page. The first test that runs starts it (a test run alone with
 * --test-name-pattern starts only the windows it needs); every test then begins from a known workbench:
 * no editor, notification, panel or quick input open, the Experiments view showing its packs collapsed.
 */
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, beforeEach } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { newPage } from './browser';
import { installVsix, newProfile, serve, type Profile, type RunningServer } from './codeServer';
import { FIXTURE_WORKSPACE } from './paths';
import { uiStep } from './uiStep';
import { workspaceCopy } from './workspace';
import { Workbench } from '../pages/workbench';

export interface WindowOptions {
  vsix: string;
  browser: () => Browser;
  /** false: workspace trust is on and the window declines it, so the folder opens in restricted mode. */
  trusted?: boolean;
  /** Environment of code-server and so of the extension host. */
  env?: Record<string, string>;
  /** Runs on the fresh workspace before code-server starts: the state the tests begin from. */
  prepare?: (workspace: string, profile: Profile) => void;
  /** false: no page is opened; the tests open their own (the extension-host checks do). */
  page?: boolean;
}

export interface Window {
  profile: Profile;
  workspace: string;
  server: RunningServer;
  installOutput: string;
  page: Page;
  workbench: Workbench;
}

async function start(options: WindowOptions): Promise<Window> {
  const profile = newProfile();
  const installOutput = installVsix(profile, options.vsix);
  const workspace = workspaceCopy(FIXTURE_WORKSPACE);
  options.prepare?.(workspace, profile);
  const trusted = options.trusted ?? true;
  const server = await serve({ profile, folder: workspace, trusted, env: options.env });
  const window = { profile, workspace, server, installOutput } as Window;
  if (options.page === false) return window;
  window.page = await newPage(options.browser());
  window.workbench = await Workbench.open(window.page, server.folderUrl(workspace));
  if (!trusted) await window.workbench.declineTrust();
  return window;
}

/** Registers the window's hooks in the enclosing `describe`; its fields are there once a test runs. */
export function useWindow(options: WindowOptions): Window & { step: (name: string, fn: () => Promise<void>) => Promise<void> } {
  let started: Promise<Window> | undefined;
  const current = {} as Window;
  beforeEach(async () => {
    started ??= start(options);
    Object.assign(current, await started);
    await current.workbench?.reset();
  });
  after(async () => {
    const window = await started?.catch(() => undefined);
    if (!window) return;
    await window.page?.context().close();
    await window.server.stop();
    rmSync(window.profile.base, { recursive: true, force: true });
    rmSync(path.dirname(window.workspace), { recursive: true, force: true });
  });
  return Object.assign(current, {
    /** A UI step: always a screenshot; on failure the page HTML and the server log too. */
    async step(name: string, fn: () => Promise<void>): Promise<void> {
      return current.page ? uiStep(name, current.page, current.server, fn) : fn();
    },
  });
}
