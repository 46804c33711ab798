/**
 * `autoexp lsp`: the pack language server over stdin/stdout, so any editor that speaks LSP gets the
 * same diagnostics and quick fixes as VS Code.
 */
import { UserError } from '../../core/errors';
import { parse } from '../args';
import type { CliIO } from '../io';

export async function lspCommand(args: string[], io: CliIO): Promise<number> {
  // `--stdio` is accepted because many editors add it by habit; stdio is the only transport.
  const { positionals } = parse('lsp', args, { stdio: { type: 'boolean' } });
  if (positionals.length) throw new UserError(`autoexp lsp: unexpected argument "${positionals[0]}" (the server speaks LSP over stdin/stdout)`, 2);
  // stdout carries the protocol: a stray console.log from any library would corrupt it.
  console.log = console.info = console.error;
  // The server's own bundle (dist/server.cjs), loaded only now.
  const { startServer } = await import('../../server/main');
  const connection = startServer(io.templatesDir, { input: process.stdin, output: process.stdout });
  return new Promise<number>((resolve) => {
    connection.onExit(() => resolve(0));
    // SIGTERM or Ctrl+C: end the input as an editor closing the pipe would; the connection then exits.
    io.signal?.addEventListener('abort', () => process.stdin.destroy());
  });
}
