/**
 * `npm run demo`: the extension in a real VS Code on the bundled example workspace. Builds and
 * packages the .vsix, sets up code-server (cached), copies examples/workspace to a temporary git
 * repository, serves it on 127.0.0.1 and prints the URL. Ctrl+C stops everything it started.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { installVsix, newProfile, serve } from '../test/e2e/harness/codeServer';
import { REPO_ROOT } from '../test/e2e/harness/paths';
import { onCleanup } from '../test/e2e/harness/processes';
import { workspaceCopy } from '../test/e2e/harness/workspace';

const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

async function main(): Promise<void> {
  console.log('demo: building and packaging the extension…');
  execFileSync('npm', ['run', 'package', '--silent'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const profile = newProfile();
  installVsix(profile, path.join(REPO_ROOT, `autoexp-${version}.vsix`));
  const workspace = workspaceCopy(path.join(REPO_ROOT, 'examples', 'workspace'));
  const server = await serve({ profile, folder: workspace, trusted: true });
  // On Ctrl+C the harness runs this, then kills any process group still alive, then exits.
  onCleanup(async () => {
    await server.stop();
    rmSync(profile.base, { recursive: true, force: true });
    rmSync(path.dirname(workspace), { recursive: true, force: true });
    console.log('\ndemo: stopped code-server and removed the temporary workspace.');
  });
  console.log(`\nAutoexp ${version} is running in VS Code (code-server) on a copy of examples/workspace:\n`);
  console.log(`  ${server.folderUrl(workspace)}\n`);
  console.log('Open that URL in a browser, then the Experiments view in the activity bar. Ctrl+C stops it.');
}

main().catch((err) => {
  console.error(`demo: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
