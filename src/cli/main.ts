/** Entry point of the bundled `autoexp` binary (dist/cli.cjs). */
import * as path from 'node:path';
import { EXIT_CANCELLED } from '../core/run/exitCodes';
import { wantsColor } from './color';
import { runCli } from './run';

declare const AUTOEXP_VERSION: string;

const controller = new AbortController();
let interrupted = false;
let outputClosed = false;

// A closed pipe (`autoexp results … | head`) or a closed terminal is the reader's choice, not an
// error: stop writing, and stop the work as if interrupted, so a run still restores its target.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'EIO') throw err;
    outputClosed = true;
    controller.abort();
  });
}
const write = (stream: NodeJS.WriteStream, text: string) => {
  if (!outputClosed) stream.write(text);
};

/**
 * Ctrl+C, the terminal's stop (SIGHUP when its pty closes) and a plain kill all mean the same: stop the
 * child process trees and put the target back. A second signal does not wait for the trees to stop on
 * their own: it kills them at once. Either way the target is restored before the exit (130).
 */
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (interrupted) {
      // Through the commands' bundle: its copy of core/process is the one that started the trees.
      void import('./commands/index').then((c) => c.killAllTreesNow());
      return;
    }
    interrupted = true;
    write(process.stderr, `autoexp: ${signal}: stopping and restoring the target (a second ${signal} kills the run's processes at once)\n`);
    controller.abort();
  });
}

runCli(
  process.argv.slice(2),
  {
    out: (line) => write(process.stdout, `${line}\n`),
    err: (line) => write(process.stderr, `${line}\n`),
    write: (chunk) => write(process.stdout, chunk),
    cwd: process.cwd(),
    templatesDir: path.resolve(__dirname, '..', 'templates'),
    signal: controller.signal,
    color: wantsColor(process.env, process.stdout.isTTY),
  },
  AUTOEXP_VERSION,
).then(
  (code) => {
    process.exitCode = interrupted && code === 0 && !outputClosed ? EXIT_CANCELLED : code;
  },
  (err) => {
    process.stderr.write(`autoexp: internal error: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
