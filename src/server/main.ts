/**
 * Entry point of the bundled language server (dist/server.cjs). VS Code starts it over IPC, and the
 * transport is read from the command line by createConnection. `autoexp lsp` loads this bundle and
 * serves on its own stdin and stdout, so the CLI carries no second copy of the server.
 */
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { type Connection, ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { PackServer } from './packServer';

export function startServer(templatesDir: string, streams?: { input: Readable; output: Writable }): Connection {
  const connection = streams ? createConnection(ProposedFeatures.all, streams.input, streams.output) : createConnection(ProposedFeatures.all);
  new PackServer(connection, { defaultTemplatesDir: templatesDir }).listen();
  return connection;
}

// Only ever run as a CommonJS bundle: started as a program (by VS Code), not when `autoexp lsp` loads it.
if (require.main === module) startServer(path.resolve(__dirname, '..', 'templates'));
