/** "New Pack": a copy of templates/pack with the slug filled in, written whole or not at all. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { UserError } from './errors';
import { slugProblem } from './packFormat';
import { isMissing } from './fsErrors';

const TEXT_FILE = /\.(md|py|txt|tsv|json|toml|ya?ml)$/i;
const SLUG_TOKEN = /\{\{slug\}\}/g;

export interface NewPackOptions {
  /** The experiments folder, e.g. `<repo>/atris/experiments`; created when missing. */
  experimentsDir: string;
  slug: string;
  templateDir: string;
}

export async function packExists(experimentsDir: string, slug: string): Promise<boolean> {
  return fs.stat(path.join(experimentsDir, slug)).then(
    () => true,
    () => false,
  );
}

/** Creates the pack and returns its folder. Copies into a hidden sibling first, then renames it into place. */
export async function createPack({ experimentsDir, slug, templateDir }: NewPackOptions): Promise<string> {
  const problem = slugProblem(slug);
  if (problem) throw new UserError(`${slug}: ${problem}`, 2);
  const target = path.join(experimentsDir, slug);
  if (await packExists(experimentsDir, slug)) throw new UserError(`${target}: already exists; choose another slug`);
  try {
    await fs.access(path.join(templateDir, 'program.md'));
  } catch (err) {
    if (!isMissing(err)) throw err;
    throw new UserError(`${templateDir}: pack template not found (the installation is incomplete)`);
  }
  await fs.mkdir(experimentsDir, { recursive: true });
  const staging = path.join(experimentsDir, `.${slug}.creating-${process.pid}`);
  try {
    await copyTemplate(templateDir, staging, slug);
    await fs.rename(staging, target);
  } catch (err) {
    await fs.rm(staging, { recursive: true, force: true });
    throw err;
  }
  return target;
}

async function copyTemplate(from: string, to: string, slug: string): Promise<void> {
  await fs.mkdir(to, { recursive: true });
  for (const entry of await fs.readdir(from, { withFileTypes: true })) {
    if (entry.name === '__pycache__') continue;
    const src = path.join(from, entry.name);
    const dest = path.join(to, entry.name);
    if (entry.isDirectory()) await copyTemplate(src, dest, slug);
    else if (TEXT_FILE.test(entry.name)) await fs.writeFile(dest, (await fs.readFile(src, 'utf8')).replace(SLUG_TOKEN, slug));
    else await fs.copyFile(src, dest);
  }
}
