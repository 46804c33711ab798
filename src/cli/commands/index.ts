/**
 * The commands beyond `validate`, bundled apart as dist/cli-commands.cjs and loaded on demand: then
 * `autoexp validate`, the one command CI runs on every push, loads and parses a fraction of the code
 * (none of execa, zod, simple-git or the loop engines). scripts/build.mjs sends the CLI's imports of
 * this module here; `lsp` loads the language server's bundle (dist/server.cjs) only when it runs.
 */
export { autopilotCommand } from './autopilot';
export { diffCommand } from './diff';
export { lspCommand } from './lsp';
export { measureCommand } from './measure';
export { newCommand } from './new';
export { resetCommand } from './reset';
export { resultsCommand } from './results';
export { runCommand } from './run';
export { validateJson } from './validateJson';
/** For the second Ctrl+C (src/cli/main.ts), which must reach the trees the commands started. */
export { killAllTreesNow } from '../../core/process';
