/**
 * What a .vsix needs before it goes to the VS Code Marketplace or Open VSX, as a list of problems
 * (empty when it is ready). Pure: `npm run package:check` gathers the inputs, tests pass their own.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export const MAX_VSIX_BYTES = 1024 * 1024;
export const ICON_SIZE = 128;

export interface PackageFacts {
  /** package.json as parsed. */
  manifest: Record<string, any>;
  /** The folder package.json is in. */
  root: string;
  vsixBytes: number;
  /** Entry names inside the .vsix, such as `extension/media/icon.png`. */
  entries: string[];
}

/** Width and height from a PNG's IHDR chunk, or undefined when the file is not a PNG. */
export function pngSize(file: string): { width: number; height: number } | undefined {
  const data = readFileSync(file);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (data.length < 24 || !data.subarray(0, 8).equals(signature) || data.toString('ascii', 12, 16) !== 'IHDR') return undefined;
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

function iconProblems({ manifest, root, entries }: PackageFacts): string[] {
  const icon = manifest.icon;
  if (typeof icon !== 'string') return ['package.json: no "icon" (a 128×128 PNG in media/)'];
  const file = path.join(root, icon);
  if (!existsSync(file)) return [`${icon}: missing (package.json "icon"; npm run icon draws it from media/icon.svg)`];
  const size = pngSize(file);
  if (!size) return [`${icon}: not a PNG`];
  const problems: string[] = [];
  if (size.width !== ICON_SIZE || size.height !== ICON_SIZE) problems.push(`${icon}: ${size.width}×${size.height}, expected ${ICON_SIZE}×${ICON_SIZE}`);
  if (!entries.includes(`extension/${icon}`)) problems.push(`${icon}: not in the .vsix (check .vscodeignore)`);
  return problems;
}

function changelogProblems({ manifest, root, entries }: PackageFacts): string[] {
  const file = path.join(root, 'CHANGELOG.md');
  if (!existsSync(file)) return ['CHANGELOG.md: missing'];
  const problems: string[] = [];
  if (!readFileSync(file, 'utf8').includes(`## [${manifest.version}]`)) problems.push(`CHANGELOG.md: no "## [${manifest.version}]" section for this version`);
  if (!entries.includes('extension/changelog.md')) problems.push('CHANGELOG.md: not in the .vsix (check .vscodeignore)');
  return problems;
}

/** Both registries refuse an extension without a license or with proposed APIs. */
function publishingProblems({ manifest, entries }: PackageFacts): string[] {
  const problems: string[] = [];
  if (typeof manifest.license !== 'string') problems.push('package.json: no "license"');
  if (!entries.includes('extension/LICENSE.txt')) problems.push('LICENSE: not in the .vsix');
  if (manifest.enabledApiProposals !== undefined) problems.push('package.json: "enabledApiProposals" is set; proposed APIs cannot be published');
  const banner = manifest.galleryBanner;
  if (typeof banner?.color !== 'string' || !['dark', 'light'].includes(banner?.theme)) problems.push('package.json: "galleryBanner" needs a color and a theme (dark or light)');
  return problems;
}

function contentProblems({ vsixBytes, entries }: PackageFacts): string[] {
  const problems: string[] = [];
  if (vsixBytes > MAX_VSIX_BYTES) problems.push(`.vsix is ${vsixBytes} bytes, over the budget of ${MAX_VSIX_BYTES} bytes (1 MB)`);
  const stray = entries.filter((e) => /^extension\/(src|test|scripts|node_modules|media\/readme)\/|\.map$/.test(e));
  if (stray.length) problems.push(`.vsix holds files that do not run: ${stray.join(', ')}`);
  return problems;
}

export function packageProblems(facts: PackageFacts): string[] {
  return [...iconProblems(facts), ...changelogProblems(facts), ...publishingProblems(facts), ...contentProblems(facts)];
}
