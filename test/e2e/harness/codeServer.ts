/** code-server from the cache that scripts/code-server.sh builds, serving one workspace on 127.0.0.1. */
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { stopGroup, track } from './processes';
import { REPO_ROOT } from './paths';

let entryPath: string | undefined;

/** Runs scripts/code-server.sh (seconds when cached) and returns entry.js. */
export function codeServerEntry(): string {
  if (!entryPath) {
    const out = execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'code-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    entryPath = out.trim().split('\n').pop()!;
  }
  return entryPath;
}

export interface Profile {
  /** Holds both folders; removed when the test is done. */
  base: string;
  extensionsDir: string;
  userDataDir: string;
}

/** Settings that keep the first start quiet: no welcome walkthrough over the editor, no telemetry. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  // xterm's DOM renderer: the terminal's text is in the page, where a test can read it.
  'terminal.integrated.gpuAcceleration': 'off',
};

export function newProfile(): Profile {
  const base = mkdtempSync(path.join(tmpdir(), 'autoexp-e2e-profile-'));
  const userDataDir = path.join(base, 'user-data');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(QUIET_SETTINGS, null, 2));
  return { base, extensionsDir: path.join(base, 'extensions'), userDataDir };
}

/** Installs a .vsix into the profile; returns code-server's own words about it. */
export function installVsix(profile: Profile, vsix: string): string {
  return execFileSync(
    process.execPath,
    [codeServerEntry(), '--extensions-dir', profile.extensionsDir, '--user-data-dir', profile.userDataDir, '--install-extension', vsix],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 },
  );
}

export interface RunningServer {
  url: string;
  folderUrl(folder: string): string;
  log(): string;
  stop(): Promise<void>;
}

export interface ServeOptions {
  profile: Profile;
  folder: string;
  /** false starts with workspace trust on, so an unknown folder opens in restricted mode. */
  trusted: boolean;
  env?: Record<string, string>;
}

export async function serve({ profile, folder, trusted, env }: ServeOptions): Promise<RunningServer> {
  const args = [
    codeServerEntry(),
    '--auth', 'none',
    '--bind-addr', '127.0.0.1:0',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--extensions-dir', profile.extensionsDir,
    '--user-data-dir', profile.userDataDir,
    ...(trusted ? ['--disable-workspace-trust'] : []),
    folder,
  ];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  track(child);
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start within 60 s:\n${log}`)), 60_000);
    const check = () => {
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code} before listening:\n${log}`));
    });
  });
  return {
    url,
    folderUrl: (f) => `${url}/?folder=${encodeURIComponent(f)}`,
    log: () => log,
    stop: () => stopGroup(child),
  };
}
