/**
 * Activation in the real VS Code (code-server 4.100.3): the packaged .vsix installed, a workspace of
 * packs opened, and the figure read where a user reads it, in Developer: Show Running Extensions.
 * That view shows code loading plus the activate() call; activate() returns no promise, so this is
 * the time from activation start until activate() resolves. Every sample is a fresh extension host:
 * a reload of the page starts a new one.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, newPage } from '../test/e2e/harness/browser';
import { installVsix, newProfile, serve } from '../test/e2e/harness/codeServer';
import { profileLogs } from '../test/e2e/harness/logs';
import { ExperimentsView, Workbench } from '../test/e2e/pages/workbench';
import { generatePackTree } from './generate';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Fresh extension hosts per figure: one run's median of 7 moved between 23 and 31 ms on a quiet machine. */
const SAMPLES = 15;


/** The .vsix as a user installs it: the production build that `npm run package` makes. */
function packageVsix(): string {
  execFileSync('npm', ['run', 'package', '--silent'], { cwd: ROOT, stdio: 'pipe' });
  const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return path.join(ROOT, `autoexp-${version}.vsix`);
}

/**
 * Activation times in ms, one per fresh extension host: Autoexp's from `vsix`, and Git Base's, a
 * built-in extension of two small files activated in the same windows. On a busy machine most of
 * either figure is the extension host waiting its turn; the second says how much.
 */
export async function activationSamples(vsix: string, scratch: string, count = SAMPLES): Promise<{ autoexp: number[]; gitBase: number[]; featuresReady: number[] }> {
  const profile = newProfile();
  installVsix(profile, vsix);
  const workspace = generatePackTree(path.join(scratch, 'activation-bench'), 20);
  const server = await serve({ profile, folder: workspace, trusted: true });
  const { browser, close } = await launchBrowser();
  try {
    const page = await newPage(browser);
    const workbench = await Workbench.open(page, server.folderUrl(workspace));
    await workbench.openExperiments();
    const samples = { autoexp: [] as number[], gitBase: [] as number[] };
    for (let i = 0; i < count; i++) {
      // A reload brings the Experiments view back open. Its packs show once Autoexp has activated,
      // and the running-extensions view lists what has activated when it opens.
      if (i > 0) await workbench.reload();
      await new ExperimentsView(page).tree.getByRole('treeitem').first().waitFor({ timeout: 60_000 });
      const shown = await workbench.activationTimes();
      samples.autoexp.push(shown.get('Autoexp')!);
      samples.gitBase.push(shown.get('Git Base')!);
      // Closed, so the next window does not restore it before our extension has activated.
      await workbench.runCommand('View: Close All Editors');
    }
    return { ...samples, featuresReady: featuresReadyTimes(profile.userDataDir) };
  } finally {
    await close();
    await server.stop();
    rmSync(profile.base, { recursive: true, force: true });
    rmSync(workspace, { recursive: true, force: true });
  }
}

/**
 * What Autoexp's log says of each extension host: the ms from the start of activate() until the
 * features bundle (language client, tree, commands) was loaded and started, which activation defers.
 */
function featuresReadyTimes(userDataDir: string): number[] {
  return profileLogs(userDataDir)
    .filter((l) => l.file.endsWith(path.join('autoexp.autoexp', 'Autoexp.log')))
    .flatMap((l) => [...l.text.matchAll(/features ready (\d+) ms after activation began/g)].map((m) => Number(m[1])));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function activationFigures(scratch: string, figure: (name: string, value: number, unit: string, digits?: number) => void): Promise<void> {
  const { autoexp, gitBase, featuresReady } = await activationSamples(packageVsix(), scratch);
  if (process.env.AUTOEXP_BENCH_DETAIL) {
    console.log(`  activation samples: Autoexp ${autoexp.join(', ')} ms; Git Base ${gitBase.join(', ')} ms; features ready ${featuresReady.join(', ')} ms`);
  }
  figure('activation_ms', median(autoexp), 'ms', 0);
  figure('activation_git_base_ms', median(gitBase), 'ms', 0);
  if (featuresReady.length !== autoexp.length) throw new Error(`Autoexp's log gave ${featuresReady.length} features-ready times for ${autoexp.length} windows`);
  figure('features_ready_ms', median(featuresReady), 'ms', 0);
}
