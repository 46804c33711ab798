/**
 * `npm run screenshots`: copies the screenshots a finished real-VS-Code run (`npm run test:e2e`) left
 * in test-results/ into media/readme/ under stable names, so the README shows what the suite checked.
 * media/readme/ stays out of the .vsix (.vscodeignore). A missing screenshot is an error, never a stale copy.
 */
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(root, 'test-results');
const target = path.join(root, 'media', 'readme');

/** README image ← the e2e step whose end state shows it (test/e2e/extension.test.ts, readme-views.test.ts). */
const SCREENSHOTS: Record<string, string> = {
  'tree.png': 'experiments-view.png',
  'problems.png': 'problems-panel.png',
  'terminal.png': 'run-loop.png',
  'trial-diff.png': 'trial-diff.png',
  'chart.png': 'results-chart-long-log.png',
};

const missing = Object.values(SCREENSHOTS).filter((from) => !existsSync(path.join(results, from)));
if (missing.length) {
  console.error(`screenshots: test-results/ has no ${missing.join(', ')}; run npm run test:e2e first`);
  process.exit(1);
}
mkdirSync(target, { recursive: true });
for (const [to, from] of Object.entries(SCREENSHOTS)) {
  copyFileSync(path.join(results, from), path.join(target, to));
  console.log(`media/readme/${to} ← test-results/${from} (${statSync(path.join(results, from)).mtime.toISOString()})`);
}
