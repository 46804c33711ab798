import * as path from 'node:path';
import { DEFAULT_EXPERIMENTS_FOLDERS } from '../../core/packFormat';
import { createPack } from '../../core/scaffold';
import { onePositional, parse } from '../args';
import type { CliIO } from '../io';


/** Creates `<root>/atris/experiments/<slug>/` from the pack template. */
export async function newCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse('new', args, { root: { type: 'string' } });
  const slug = onePositional('new', positionals, 'SLUG');
  const root = path.resolve(io.cwd, values.root ?? '.');
  const dir = await createPack({
    experimentsDir: path.join(root, DEFAULT_EXPERIMENTS_FOLDERS[0]),
    slug,
    templateDir: path.join(io.templatesDir, 'pack'),
  });
  io.out(`created ${path.relative(io.cwd, dir) || dir}`);
  return 0;
}
