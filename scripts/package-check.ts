/**
 * `npm run package:check`: the .vsix that `npm run package` just made is ready to publish (icon,
 * CHANGELOG, license, no proposed APIs, at most 1 MB). Prints each problem on a line; exit 1 if any.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageProblems } from './packageChecks';
import { zipEntries } from './zipEntries';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const vsix = path.join(root, `autoexp-${manifest.version}.vsix`);
if (!existsSync(vsix)) {
  console.error(`package:check: ${path.basename(vsix)} is missing; run npm run package first`);
  process.exit(1);
}
const vsixBytes = statSync(vsix).size;
const entries = zipEntries(vsix).map((e) => e.name);
const problems = packageProblems({ manifest, root, vsixBytes, entries });

console.log(`vsix size: ${vsixBytes} bytes`);
console.log(`vsix files: ${entries.filter((e) => e.startsWith('extension/')).length} files`);
for (const problem of problems) console.error(`package:check: ${problem}`);
if (problems.length) process.exitCode = 1;
else console.log(`package:check: ${path.basename(vsix)} is ready for the VS Code Marketplace and Open VSX`);
