/**
 * Starts the pack language server over IPC and keeps it alive: when it crashes, the client restarts
 * it and says so once per session.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { Config } from './config';
import {
  EXPERIMENTS_FOLDERS_CHANGED,
  PACKS_VALIDATED,
  PacksValidated,
  TRUST_CHANGED,
  type ExperimentsFoldersChanged,
  type InitializationOptions,
  type TrustChanged,
} from '../shared/protocol';
import { FolderWatcher } from './folderWatcher';

/** Restarts allowed before the client gives up; beyond that something is wrong in every start. */
const MAX_RESTARTS = 5;

export function startLanguageClient(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  onPacksValidated: (message: PacksValidated) => void,
): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.cjs'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const globs = Config.experimentsGlobs();
  const watcher = new FolderWatcher(globs);
  // A function, so a server restarted after a crash starts with the settings of that moment.
  const initializationOptions = (): InitializationOptions => ({
    trusted: vscode.workspace.isTrusted,
    experimentsFolders: Config.experimentsFolders(),
    templatesDir: context.asAbsolutePath('templates'),
  });
  let restarts = 0;
  let told = false;
  const errorHandler: ErrorHandler = {
    error: () => ({ action: ErrorAction.Continue }),
    closed: () => {
      restarts++;
      if (restarts > MAX_RESTARTS) {
        void vscode.window.showErrorMessage('Autoexp: the pack language server keeps stopping; diagnostics are off. See the Autoexp output for details.');
        return { action: CloseAction.DoNotRestart, handled: true };
      }
      log.warn(`the pack language server stopped; restarting it (${restarts}/${MAX_RESTARTS})`);
      if (!told) {
        told = true;
        void vscode.window.showWarningMessage('Autoexp: the pack language server stopped and was restarted.');
      }
      return { action: CloseAction.Restart, handled: true };
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: globs.map((pattern) => ({ scheme: 'file', pattern })),
    synchronize: { fileEvents: watcher },
    initializationOptions,
    outputChannel: log,
    errorHandler,
  };
  const client = new LanguageClient('autoexp', 'Autoexp Packs', serverOptions, clientOptions);
  client.onNotification(PACKS_VALIDATED, (raw) => {
    const parsed = PacksValidated.safeParse(raw);
    if (parsed.success) onPacksValidated(parsed.data);
    else log.warn(`dropped a malformed ${PACKS_VALIDATED} message`);
  });
  context.subscriptions.push(
    watcher,
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      const message: TrustChanged = { trusted: true };
      void client.sendNotification(TRUST_CHANGED, message);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!Config.experimentsFoldersChanged(e)) return;
      watcher.watch(Config.experimentsGlobs());
      const message: ExperimentsFoldersChanged = { experimentsFolders: Config.experimentsFolders() };
      // A server that is not running gets the new folders in its initializationOptions when it starts.
      if (client.isRunning()) void client.sendNotification(EXPERIMENTS_FOLDERS_CHANGED, message);
    }),
  );
  return client;
}
