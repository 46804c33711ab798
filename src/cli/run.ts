/** The command table and error handling of `autoexp`, separate from process wiring so tests call it directly. */
import { type UserError, oneLine } from '../core/errors';
import type { CliIO } from './io';

type Command = (args: string[], io: CliIO) => Promise<number>;

/**
 * Commands load on demand, and all but validate from their own bundle (dist/cli-commands.cjs):
 * `autoexp validate` in CI should not pay for parsing or starting execa, zod and simple-git.
 */
const COMMANDS: Record<string, { load: () => Promise<Command>; usage: string; help?: string }> = {
  validate: {
    load: async () => (await import('./commands/validate')).validateCommand,
    usage: 'autoexp validate [ROOT] [--json]',
    help: [
      'ROOT is read as validate.py reads it: one pack when it holds program.md, measure.py, loop.py or results.tsv,',
      'else a folder of packs (its sub-folders not starting with . or _). Without ROOT: the current folder if it is',
      'a pack, else every atris/experiments folder below it. --json adds Autoexp\'s further rules and positions.',
    ].join('\n'),
  },
  results: { load: async () => (await import('./commands/index')).resultsCommand, usage: 'autoexp results PACK [--json|--csv|--md]' },
  measure: { load: async () => (await import('./commands/index')).measureCommand, usage: 'autoexp measure PACK [--repeat N] [--python P] [--timeout S] [--json]' },
  reset: { load: async () => (await import('./commands/index')).resetCommand, usage: 'autoexp reset PACK [--python P] [--timeout S]' },
  run: {
    load: async () => (await import('./commands/index')).runCommand,
    usage: 'autoexp run PACK --proposal P [--proposal P ...] [--engine pack|native] [--direction higher|lower] [--repeat N] [--margin X] [--keep-rule greedy|significant|pareto] [--alpha A] [--min-effect X] [--test welch|mann-whitney] [--secondary NAME:lower|higher[:max-regress=N%]] [--metrics NAME:DIR,NAME:DIR] [--timeout S] [--python P] [--no-diff] [--json]',
  },
  diff: { load: async () => (await import('./commands/index')).diffCommand, usage: 'autoexp diff PACK N|RUN:N [M|RUN:M]' },
  autopilot: {
    load: async () => (await import('./commands/index')).autopilotCommand,
    usage:
      'autoexp autopilot PACK (--agent claude|codex|aider|opencode | --agent-command "CMD ARG...") [--max-trials N] [--max-minutes M] [--max-cost USD] [--max-errors K] [--patience P] [--resume] [--repeat N] [--margin X] [--direction higher|lower] [--keep-rule greedy|significant|pareto] [--alpha A] [--min-effect X] [--test welch|mann-whitney] [--secondary NAME:lower|higher[:max-regress=N%]] [--metrics NAME:DIR,NAME:DIR] [--timeout S] [--agent-timeout S] [--python P] [--no-diff] [--json]',
  },
  new: { load: async () => (await import('./commands/index')).newCommand, usage: 'autoexp new SLUG [--root DIR]' },
  lsp: { load: async () => (await import('./commands/index')).lspCommand, usage: 'autoexp lsp [--stdio]' },
};

export const USAGE = [
  'usage:',
  ...Object.values(COMMANDS).map((c) => `  ${c.usage}`),
  '',
  'PACK is a pack folder such as atris/experiments/<slug>. Exit 0 on success, 1 on a failed check, 2 on bad usage.',
].join('\n');

export async function runCli(argv: string[], io: CliIO, version: string): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    io.out(version);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`autoexp: unknown command "${name}" (try: ${Object.keys(COMMANDS).join(', ')})`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(`usage: ${command.usage}${command.help ? `\n\n${command.help}` : ''}`);
    return 0;
  }
  try {
    return await (await command.load())(args, io);
  } catch (err) {
    // By name, like the next check: the commands beyond validate are bundled apart (dist/cli-commands.cjs)
    // with their own copy of UserError.
    if (err instanceof Error && err.name === 'UserError') {
      // A usage error already names its command (`autoexp run: …`); others get the program's name.
      io.err(err.message.startsWith('autoexp ') ? err.message : `autoexp: ${err.message}`);
      return (err as UserError).exitCode;
    }
    // Importing core/python here would load execa for every command, `validate` included.
    if (err instanceof Error && err.name === 'PythonNotFoundError') {
      io.err(`autoexp: ${err.message}`);
      return 1;
    }
    io.err(`autoexp: internal error: ${oneLine(err)}`);
    return 1;
  }
}
