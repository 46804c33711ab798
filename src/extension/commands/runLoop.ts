/** "Run Loop", "Run Proposal" and "Stop Run": what starts and stops the loop task of a pack. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PackRef } from '../../core/discovery';
import { listProposals } from '../../core/proposals';
import { journalRoot } from '../../core/run/journal';
import { heldLock } from '../../core/run/lock';
import type { PackIndex } from '../packIndex';
import type { PackTarget } from './args';
import { pickPack } from '../packPicker';
import { buildTask, definitionFor } from '../runs/loopTask';
import type { RunTracker } from '../runs/runTracker';
import { requireTrust } from '../trust';

/** Refuses a second run, whether this window started the first or a CLI in some terminal did. */
export function refuseIfRunning(pack: PackRef, tracker: RunTracker): boolean {
  const lock = heldLock(journalRoot(pack.dir), pack.dir);
  if (!tracker.isRunning(pack.dir) && !lock) return false;
  const who = lock ? ` (run ${lock.run}, pid ${lock.pid}, since ${new Date(lock.startedAt).toLocaleTimeString()})` : '';
  void vscode.window.showWarningMessage(`Autoexp: ${pack.slug} is already running${who}. Stop it first.`, 'Stop Run').then((choice) => {
    if (choice) void vscode.commands.executeCommand('autoexp.stopRun', { pack });
  });
  return true;
}

async function startRun(pack: PackRef, proposals: string[], tracker: RunTracker, cliPath: string): Promise<vscode.TaskExecution | undefined> {
  if (refuseIfRunning(pack, tracker)) return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(pack.dir));
  const task = await buildTask(definitionFor(pack, folder, proposals), folder ?? vscode.TaskScope.Workspace, cliPath, proposals);
  return vscode.tasks.executeTask(task);
}

/** Asks which proposals to try: every `proposals/*.py`, all checked, in order. */
async function chooseProposals(pack: PackRef): Promise<string[] | undefined> {
  const names = await listProposals(pack.dir);
  if (names.length === 0) {
    void vscode.window.showWarningMessage(`Autoexp: ${pack.slug} has no proposals/*.py to try. Add a proposal script that rewrites the file named by EXPERIMENT_TARGET.`);
    return undefined;
  }
  const items = names.map((name) => ({ label: name, picked: true }));
  const chosen = await vscode.window.showQuickPick(items, {
    title: `Run Loop: ${pack.slug}`,
    placeHolder: 'Proposals to try, in this order',
    canPickMany: true,
  });
  if (!chosen || chosen.length === 0) return undefined;
  const picked = new Set(chosen.map((c) => c.label));
  return names.filter((n) => picked.has(n));
}

export async function runLoopCommand(index: PackIndex, tracker: RunTracker, cliPath: string, target: PackTarget | undefined, given: string[] | undefined): Promise<vscode.TaskExecution | undefined> {
  const pack = await pickPack(index, target, 'Run Loop');
  if (!pack || !requireTrust('Run Loop')) return undefined;
  // Tests and keybindings may name the proposals; people choose them.
  const proposals = given ?? (await chooseProposals(pack));
  return proposals ? startRun(pack, proposals, tracker, cliPath) : undefined;
}

/** From the tree's proposal node, a proposal file's URI, or a pick of the pack's proposals. */
export async function runProposalCommand(index: PackIndex, tracker: RunTracker, cliPath: string, given: { file?: string; pack?: PackTarget }): Promise<vscode.TaskExecution | undefined> {
  let file = given.file;
  const pack = file ? index.packOf(file) : await pickPack(index, given.pack, 'Run Proposal');
  if (!pack || !requireTrust('Run Proposal')) return undefined;
  if (!file) {
    const names = await listProposals(pack.dir);
    const name = await vscode.window.showQuickPick(names, { title: `Run Proposal: ${pack.slug}`, placeHolder: 'The proposal to try' });
    if (!name) return undefined;
    file = path.join(pack.dir, 'proposals', name);
  }
  return startRun(pack, [path.basename(file)], tracker, cliPath);
}

export async function stopRunCommand(tracker: RunTracker, target: PackTarget | undefined): Promise<boolean> {
  const running = tracker.runningPacks();
  // Only a pack's own node names the run to stop; a file of a pack does not.
  let dir = target && 'dir' in target ? target.dir : undefined;
  if (!dir && running.length === 1) dir = running[0];
  if (!dir && running.length > 1) {
    dir = (await vscode.window.showQuickPick(running.map((d) => ({ label: path.basename(d), dir: d })), { title: 'Stop Run', placeHolder: 'The run to stop' }))?.dir;
  }
  if (!dir || !tracker.stop(dir)) {
    if (running.length === 0) void vscode.window.showInformationMessage('Autoexp: no run is going on in this window.');
    return false;
  }
  return true;
}
