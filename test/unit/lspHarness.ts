/**
 * The language server over an in-process LSP connection: two pipes, the real PackServer on one end,
 * a JSON-RPC client on the other. What the test sees is exactly what VS Code would receive.
 */
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { createConnection } from 'vscode-languageserver/node';
import type { CodeAction, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { PackServer } from '../../src/server/packServer';
import type { InitializationOptions, PacksValidated } from '../../src/shared/protocol';
import { fileURLToPath } from 'node:url';

/** Not taken from helpers.ts: that module registers test hooks, and benchmarks use this harness too. */
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const uri = (file: string) => pathToFileURL(file).toString();

export interface Harness {
  client: MessageConnection;
  server: PackServer;
  /** The latest diagnostics published for a file. */
  diagnostics(file: string): Diagnostic[] | undefined;
  /** How many times diagnostics were published for a file. */
  publications(file: string): number;
  /** Resolves with the next diagnostics for `file` that satisfy `accept`. */
  nextDiagnostics(file: string, accept?: (d: Diagnostic[]) => boolean, timeoutMs?: number): Promise<Diagnostic[]>;
  validated: PacksValidated[];
  /** Resolves with the next pack summaries the server sends. */
  nextValidated(): Promise<PacksValidated>;
  codeActions(file: string, diagnostics: Diagnostic[]): Promise<CodeAction[]>;
  open(file: string, text: string): void;
  change(file: string, text: string, version: number): void;
  dispose(): void;
}

/**
 * Waits until everything the server sent so far has arrived: it writes in order, so the answer to a
 * request comes after every notification sent before it.
 */
export function flush(client: MessageConnection): Promise<unknown> {
  const none = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return client.sendRequest('textDocument/codeAction', { textDocument: { uri: 'file:///flush' }, range: none, context: { diagnostics: [] } });
}

export async function startServer(root: string, options: Partial<InitializationOptions> = {}): Promise<Harness> {
  const up = new PassThrough();
  const down = new PassThrough();
  const connection = createConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
  const server = new PackServer(connection, { defaultTemplatesDir: path.join(REPO_ROOT, 'templates') });
  server.listen();
  const client = createMessageConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
  const latest = new Map<string, Diagnostic[]>();
  const counts = new Map<string, number>();
  const waiters: Array<{ uri: string; accept: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }> = [];
  const validated: PacksValidated[] = [];
  client.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    latest.set(p.uri, p.diagnostics);
    counts.set(p.uri, (counts.get(p.uri) ?? 0) + 1);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.accept(p.diagnostics)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p.diagnostics);
      }
    }
  });
  const validatedWaiters: Array<(m: PacksValidated) => void> = [];
  client.onNotification('autoexp/packsValidated', (m: PacksValidated) => {
    validated.push(m);
    validatedWaiters.splice(0).forEach((resolve) => resolve(m));
  });
  client.onNotification('window/logMessage', () => {});
  client.listen();
  await client.sendRequest('initialize', {
    processId: null,
    rootUri: uri(root),
    workspaceFolders: [{ uri: uri(root), name: path.basename(root) }],
    capabilities: {},
    initializationOptions: { trusted: true, experimentsFolders: ['atris/experiments'], templatesDir: path.join(REPO_ROOT, 'templates'), ...options },
  });
  await client.sendNotification('initialized', {});
  await server.ready;
  await flush(client);
  return {
    client,
    server,
    validated,
    diagnostics: (file) => latest.get(uri(file)),
    publications: (file) => counts.get(uri(file)) ?? 0,
    nextValidated: () => new Promise((resolve) => validatedWaiters.push(resolve)),
    nextDiagnostics(file, accept = () => true, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${file} within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          uri: uri(file),
          accept,
          resolve: (d) => {
            clearTimeout(timer);
            resolve(d);
          },
        });
      });
    },
    codeActions: (file, diagnostics) =>
      client.sendRequest('textDocument/codeAction', {
        textDocument: { uri: uri(file) },
        range: diagnostics[0].range,
        context: { diagnostics },
      }) as Promise<CodeAction[]>,
    open: (file, text) => void client.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(file), languageId: 'markdown', version: 1, text } }),
    change: (file, text, version) =>
      void client.sendNotification('textDocument/didChange', { textDocument: { uri: uri(file), version }, contentChanges: [{ text }] }),
    dispose() {
      // The server side goes first, so nothing it still has in flight writes to a closed client.
      server.stop();
      connection.dispose();
      client.dispose();
      // The pipes are left to the garbage collector: destroying them fails writes still queued.
    },
  };
}
