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
import { VALIDATE_ALL, ValidateAllResult } from '../shared/protocol';
import { measurePack } from './commands/measurePack';
import { measureNoiseCommand } from './commands/measureNoise';
import { newPack } from './commands/newPack';
import { resetPack } from './commands/resetPack';
import { runLoopCommand, runProposalCommand, stopRunCommand } from './commands/runLoop';
import { recoverOnStart } from './runs/recoverOnStart';
import { compareTrials, showTargetHistory, showTrialDiff } from './diffs/showTrialDiff';
import { TargetLensProvider } from './diffs/targetLens';
import { reconstructDiff } from './diffs/reconstructDiff';
import { ResultsPanel } from './results/resultsPanel';
import { SNAPSHOT_SCHEME, SnapshotContentProvider } from './diffs/snapshotContent';
import { LoopTaskProvider } from './runs/loopTask';
import { RunTracker } from './runs/runTracker';
import { TrialLinkProvider } from './runs/trialLinks';
import { ExperimentsTree } from './experimentsTree';
import { startLanguageClient } from './languageClient';
import { PackDecorations } from './packDecorations';
import { PackIndex } from './packIndex';
import { pickPack } from './packPicker';
import { pythonExtensionInterpreters } from './python';
import { requireTrust } from './trust';

let client: LanguageClient | undefined;

export interface Features {
  commands: Map<string, (...args: unknown[]) => unknown>;
  tree: ExperimentsTree;
  tasks: LoopTaskProvider;
}

export function start(context: vscode.ExtensionContext): Features {
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

  const commands = new Map<string, (...args: unknown[]) => unknown>();
  const command = (id: string, fn: (...args: unknown[]) => unknown) => commands.set(id, fn);

  command('autoexp.refresh', () => index.refresh());
  command('autoexp.newPack', () => newPack(index, context.asAbsolutePath(path.join('templates', 'pack')), log));
  command('autoexp.openFolder', async (arg) => {
    const pack = await pickPack(index, arg, 'Open Pack Folder');
    if (pack) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(pack.dir));
  });
  command('autoexp.measure', async (arg) => {
    const pack = await pickPack(index, arg, 'Measure');
    if (!pack || !requireTrust('Measure')) return undefined;
    const outcome = await measurePack(pack, log);
    if (outcome?.ok) tree.setMeasured(pack.dir, outcome.score);
    return outcome;
  });
  command('autoexp.measureNoise', async (arg, repeat) => {
    const pack = await pickPack(index, arg, 'Measure Noise');
    if (!pack || !requireTrust('Measure Noise')) return undefined;
    return measureNoiseCommand(pack, log, typeof repeat === 'number' ? repeat : undefined);
  });
  command('autoexp.resetPack', async (arg, options) => {
    const pack = await pickPack(index, arg, 'Reset Pack');
    if (!pack || !requireTrust('Reset Pack')) return undefined;
    const confirm = !(options && typeof options === 'object' && (options as { confirm?: boolean }).confirm === false);
    const score = await resetPack(pack, log, confirm);
    if (score !== undefined) tree.setMeasured(pack.dir, score);
    tree.invalidate(pack.dir);
    return score;
  });
  command('autoexp.validatePacks', async () => {
    await clientStarted;
    if (!client?.isRunning()) {
      void vscode.window.showErrorMessage('Autoexp: the pack language server is not running; see the Autoexp output.');
      return undefined;
    }
    const parsed = ValidateAllResult.safeParse(await client.sendRequest(VALIDATE_ALL));
    if (!parsed.success) {
      log.error(`the pack language server answered Validate Packs with something else: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      void vscode.window.showErrorMessage('Autoexp: the pack language server gave an answer Autoexp cannot read; see the Autoexp output.');
      return undefined;
    }
    const result = parsed.data;
    const withErrors = result.packs.filter((p) => p.errors > 0).length;
    const withWarnings = result.packs.filter((p) => p.errors === 0 && p.warnings > 0).length;
    const summary = `${result.packs.length} pack(s): ${withErrors} with errors, ${withWarnings} with warnings only`;
    log.info(`validated ${summary} in ${Math.round(result.durationMs)} ms`);
    if (withErrors + withWarnings > 0) {
      void vscode.window.showWarningMessage(`Autoexp: ${summary}.`, 'Show Problems').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
      });
    } else {
      void vscode.window.showInformationMessage(`Autoexp: ${summary}.`);
    }
    return result;
  });
  const cliPath = context.asAbsolutePath(path.join('dist', 'cli.cjs'));
  const tracker = new RunTracker(tree, log);
  const tasks = new LoopTaskProvider(index, cliPath);
  context.subscriptions.push(tracker);
  command('autoexp.runLoop', (arg, proposals) => runLoopCommand(index, tracker, cliPath, arg, proposals));
  command('autoexp.runProposal', (arg) => runProposalCommand(index, tracker, cliPath, arg));
  command('autoexp.stopRun', (arg) => stopRunCommand(tracker, arg));
  command('autoexp.showRunTerminal', (packDir) => typeof packDir === 'string' && tracker.showTerminal(packDir));
  context.subscriptions.push(vscode.window.registerTerminalLinkProvider(new TrialLinkProvider((terminal) => tracker.packOfTerminal(terminal))));
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(SNAPSHOT_SCHEME, new SnapshotContentProvider()));
  command('autoexp.showTrialDiff', (arg) => showTrialDiff(index, arg));
  command('autoexp.showTargetHistory', (arg) => showTargetHistory(arg));
  command('autoexp.compareTrials', (arg) => compareTrials(index, arg));
  command('autoexp.reconstructDiff', (arg) => reconstructDiff(arg));
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
  command('autoexp.showResults', async (arg) => {
    const pack = await pickPack(index, arg, 'Show Results');
    if (!pack) return undefined;
    const openTrial = (packDir: string, resultsLine: number) => showTrialDiff(index, { packDir, resultsLine });
    return ResultsPanel.show(pack, context.extensionUri, log, openTrial) !== undefined;
  });
  command('autoexp.openDocumentation', () => vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(context.asAbsolutePath('README.md'))));

  // Packs come and go: re-scan. A file inside a pack changes: redraw only that pack.
  const watcher = vscode.workspace.createFileSystemWatcher('**/atris/experiments/**');
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
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('autoexp.experimentsFolders') && rescan()),
    { dispose: () => clearTimeout(timer) },
  );

  log.info(`Autoexp ${context.extension.packageJSON.version} activated`);
  void index.refresh().then(() => recoverOnStart(index, log));
  return { commands, tree, tasks };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
