/**
 * "Start Autopilot" and "Stop Autopilot". A session is an `autoexp autopilot` task in the terminal,
 * the same bundled CLI and native engine as `autoexp run`, so the terminal, the journal, the stop
 * (SIGTERM: the engine restores the target) and the crash recovery are those of any run. The
 * `vscode-lm` agent's session runs the same core loop in the extension host instead, in a
 * Pseudoterminal task (../lm/modelTask.ts), since its model lives there.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PackRef } from '../../core/discovery';
import { agentReady, confirmWorkspaceCommand } from '../autopilotGate';
import { Config } from '../config';
import { chooseLanguageModel } from '../lm/languageModel';
import type { PackIndex } from '../packIndex';
import { pickPack } from '../packPicker';
import { buildTask, definitionFor } from '../runs/loopTask';
import type { RunTracker } from '../runs/runTracker';
import { requireTrust } from '../trust';
import type { PackTarget } from './args';
import { refuseIfRunning } from './runLoop';

export async function startAutopilotCommand(
  index: PackIndex,
  tracker: RunTracker,
  state: vscode.Memento,
  cliPath: string,
  target: PackTarget | undefined,
): Promise<vscode.TaskExecution | undefined> {
  const pack = await pickPack(index, target, 'Start Autopilot');
  if (!pack || !requireTrust('Start Autopilot')) return undefined;
  return startAutopilot(pack, tracker, state, cliPath);
}

async function startAutopilot(pack: PackRef, tracker: RunTracker, state: vscode.Memento, cliPath: string): Promise<vscode.TaskExecution | undefined> {
  if (refuseIfRunning(pack, tracker)) return undefined;
  const settings = Config.autopilot(vscode.Uri.file(pack.dir));
  if (!(await agentReady(settings))) return undefined;
  if (!(await confirmWorkspaceCommand(state, settings))) return undefined;
  // The language-model agent: the model is chosen (or the one chosen before taken) before anything starts.
  const model = settings.agent === 'vscode-lm' ? await chooseLanguageModel(state) : undefined;
  if (settings.agent === 'vscode-lm' && !model) return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(pack.dir));
  const task = await buildTask(definitionFor(pack, folder, undefined, true), folder ?? vscode.TaskScope.Workspace, cliPath, undefined, { state, model });
  return vscode.tasks.executeTask(task);
}

export async function stopAutopilotCommand(tracker: RunTracker, target: PackTarget | undefined): Promise<boolean> {
  const running = tracker.runningAutopilots();
  let dir = target && 'dir' in target ? target.dir : undefined;
  if (dir && !running.includes(dir)) dir = undefined;
  if (!dir && running.length === 1) dir = running[0];
  if (!dir && running.length > 1) {
    const items = running.map((d) => ({ label: path.basename(d), description: vscode.workspace.asRelativePath(d), dir: d }));
    dir = (await vscode.window.showQuickPick(items, { title: 'Stop Autopilot', placeHolder: 'The session to stop' }))?.dir;
  }
  if (!dir) {
    if (running.length === 0) void vscode.window.showInformationMessage('Autoexp: no Autopilot session is running in this window.');
    return false;
  }
  return tracker.stop(dir);
}
