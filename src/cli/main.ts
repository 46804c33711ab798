/** Entry point of the bundled `autoexp` binary (dist/cli.cjs). */
import * as path from 'node:path';
import { runCli } from './run';

declare const AUTOEXP_VERSION: string;

// A closed pipe (`autoexp results … | head`) is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  // First Ctrl+C: stop child process trees cleanly; a second one exits at once.
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort();
});

runCli(
  process.argv.slice(2),
  {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    cwd: process.cwd(),
    templatesDir: path.resolve(__dirname, '..', 'templates'),
    signal: controller.signal,
  },
  AUTOEXP_VERSION,
).then(
  (code) => {
    process.exitCode = interrupted && code === 0 ? 130 : code;
  },
  (err) => {
    process.stderr.write(`autoexp: internal error: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
