/**
 * Entry point of the bundled language server (dist/server.cjs). VS Code starts it over IPC; other
 * editors start it with `--stdio`. The transport is read from the command line by createConnection.
 */
import * as path from 'node:path';
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { PackServer } from './packServer';

const connection = createConnection(ProposedFeatures.all);
new PackServer(connection, { defaultTemplatesDir: path.resolve(__dirname, '..', 'templates') }).listen();
