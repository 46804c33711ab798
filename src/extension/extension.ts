/**
 * Everything the extension does, started by entry.ts right after activation (this module is bundled
 * apart, as dist/features.cjs, so activation does not parse it). Discovery and the language server
 * start in the background; every command says plainly why it cannot act (no pack, untrusted
 * workspace, server down). The commands, the tree and the task provider are returned, and entry.ts
 * registers them: they must exist the moment activation resolves.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { commandTable } from './commands/table';
import { recoverOnStart } from './runs/recoverOnStart';
import { TargetLensProvider } from './diffs/targetLens';
import { SNAPSHOT_SCHEME, SnapshotContentProvider } from './diffs/snapshotContent';
import { LoopTaskProvider } from './runs/loopTask';
import { RunTracker } from './runs/runTracker';
import { TrialLinkProvider } from './runs/trialLinks';
import { ExperimentsTree } from './experimentsTree';
import { startLanguageClient } from './languageClient';
import { PackDecorations } from './packDecorations';
import { PackIndex } from './packIndex';
import { pythonExtensionInterpreters } from './python';
import { Config } from './config';
import { FolderWatcher } from './folderWatcher';

let client: LanguageClient | undefined;

export interface Features {
  commands: Map<string, (...args: unknown[]) => unknown>;
  tree: ExperimentsTree;
  tasks: LoopTaskProvider;
}

/** `activatedAt`: performance.now() when activate() began, for the figure the log gives. */
export function start(context: vscode.ExtensionContext, activatedAt: number): Features {
  const log = vscode.window.createOutputChannel('Autoexp', { log: true });
  pythonExtensionInterpreters.log = log;
  const index = new PackIndex(log);
  const decorations = new PackDecorations();
  const tree = new ExperimentsTree(index, decorations);
  context.subscriptions.push(log, index, decorations, tree, pythonExtensionInterpreters, vscode.window.registerFileDecorationProvider(decorations));

  client = startLanguageClient(context, log, (message) => decorations.update(message));
  const clientStarted = client.start().then(
    () => log.info('pack language server started'),
    (err) => log.error(`the pack language server did not start: ${err}`),
  );

  const cliPath = context.asAbsolutePath(path.join('dist', 'cli.cjs'));
  const tracker = new RunTracker(tree, log);
  const tasks = new LoopTaskProvider(index, cliPath, context.workspaceState);
  context.subscriptions.push(tracker);
  context.subscriptions.push(vscode.window.registerTerminalLinkProvider(new TrialLinkProvider((terminal) => tracker.packOfTerminal(terminal))));
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(SNAPSHOT_SCHEME, new SnapshotContentProvider()));

  const table = commandTable({ extension: context, log, index, tree, tracker, cliPath, client: () => clientStarted.then(() => client) });
  const commands = new Map(Object.entries(table).map(([id, cmd]) => [id, (...args: unknown[]) => cmd.invoke(args)] as const));
  const lenses = new TargetLensProvider(index);
  // Trials land in the journal (from this window's runs or a CLI's): the lenses read it again.
  const journalWatcher = vscode.workspace.createFileSystemWatcher('**/.autoexp/journal.jsonl');
  context.subscriptions.push(
    lenses,
    vscode.languages.registerCodeLensProvider({ scheme: 'file' }, lenses),
    journalWatcher,
    journalWatcher.onDidChange(() => lenses.refresh()),
    journalWatcher.onDidCreate(() => lenses.refresh()),
  );

  // Packs come and go: re-scan. A file inside a pack changes: redraw only that pack. The folders
  // watched are the configured ones, and follow the setting.
  const watcher = new FolderWatcher(Config.experimentsGlobs());
  let timer: NodeJS.Timeout | undefined;
  const rescan = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void index.refresh(), 300);
  };
  const touched = (uri: vscode.Uri) => {
    const pack = index.packOf(uri.fsPath);
    if (pack) tree.invalidate(pack.dir);
  };
  context.subscriptions.push(
    watcher,
    watcher.onDidCreate((uri) => (touched(uri), rescan())),
    watcher.onDidDelete((uri) => (touched(uri), rescan())),
    watcher.onDidChange(touched),
    vscode.workspace.onDidChangeWorkspaceFolders(rescan),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!Config.experimentsFoldersChanged(e)) return;
      watcher.watch(Config.experimentsGlobs());
      rescan();
    }),
    { dispose: () => clearTimeout(timer) },
  );

  // The bench reads this figure: activation defers loading this bundle, so its cost shows here.
  log.info(`Autoexp ${context.extension.packageJSON.version} activated; features ready ${Math.round(performance.now() - activatedAt)} ms after activation began`);
  void index.refresh().then(() => recoverOnStart(index, log));
  return { commands, tree, tasks };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
