/**
 * The `autoexp` task type: a run of a pack's loop in the integrated terminal. The task runs the
 * bundled `autoexp run` with the extension host's own Node (ELECTRON_RUN_AS_NODE), from an argument
 * array, so the terminal's stop reaches a process that restores the target before it exits.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PackRef } from '../../core/discovery';
import type { PackIndex } from '../packIndex';
import { Config } from '../config';
import { pythonFor } from '../python';
import { listProposals } from '../../core/proposals';
import { chooseEngine } from '../../core/run/engineChoice';
import { autopilotCliArgs, taskDetail } from '../autopilotPlan';
import { agentReady, confirmWorkspaceCommand } from '../autopilotGate';
import { modelExecution, type ModelSource } from '../lm/modelTask';

export const TASK_TYPE = 'autoexp';

export interface LoopTaskDefinition extends vscode.TaskDefinition {
  type: typeof TASK_TYPE;
  /** The pack folder, relative to the workspace folder (or absolute). */
  pack: string;
  /** Proposal files in proposals/; all of them when absent. */
  proposals?: string[];
  engine?: 'pack' | 'native';
  /** Autopilot: the agent of autoexp.autopilot.agent proposes, instead of the pack's proposals. */
  autopilot?: boolean;
}

export function isLoopTask(task: vscode.Task): task is vscode.Task & { definition: LoopTaskDefinition } {
  return task.definition.type === TASK_TYPE;
}

export function packDirOf(definition: LoopTaskDefinition, scope: vscode.Task['scope']): string {
  if (path.isAbsolute(definition.pack)) return definition.pack;
  const folder = typeof scope === 'object' ? scope.uri.fsPath : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  return path.resolve(folder, definition.pack);
}

/** A run of one chosen proposal is named for it; a loop over a pack's proposals for the pack. */
export function taskName(slug: string, proposals: string[] | undefined): string {
  return proposals?.length === 1 ? `${slug}: ${proposals[0]}` : `Run Loop: ${slug}`;
}

const PRESENTATION: vscode.TaskPresentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true, showReuseMessage: false };

export function autopilotTaskName(slug: string): string {
  return `Autopilot: ${slug}`;
}

/**
 * A runnable task for a definition, with the interpreter and settings of the moment. An Autopilot with
 * the `vscode-lm` agent runs in the extension host instead of the CLI: `model` says where its model comes from.
 */
export async function buildTask(definition: LoopTaskDefinition, scope: vscode.WorkspaceFolder | vscode.TaskScope, cliPath: string, proposals?: string[], model?: ModelSource): Promise<vscode.Task> {
  const packDir = packDirOf(definition, scope);
  const uri = vscode.Uri.file(packDir);
  const python = await pythonFor(uri);
  const seconds = Config.trialTimeoutSeconds(uri);
  const common = ['--python', python.command, '--timeout', String(seconds), ...(Config.inlineDiffs(uri) ? [] : ['--no-diff'])];
  const slug = path.basename(packDir);
  if (definition.autopilot) {
    const settings = Config.autopilot(uri);
    if (settings.agent === 'vscode-lm' && !model) throw new Error('an Autopilot task with the vscode-lm agent is built with its model source');
    const execution =
      settings.agent === 'vscode-lm'
        ? modelExecution({ packDir, python: python.command, settings, timeoutSeconds: seconds, inlineDiffs: Config.inlineDiffs(uri), source: model! })
        : new vscode.ProcessExecution(process.execPath, [cliPath, 'autopilot', packDir, ...autopilotCliArgs(settings), ...common], { cwd: packDir, env: { ELECTRON_RUN_AS_NODE: '1' } });
    const task = new vscode.Task(definition, scope, autopilotTaskName(slug), 'Autoexp', execution, []);
    task.presentationOptions = PRESENTATION;
    task.detail = taskDetail(settings);
    return task;
  }
  const chosen = proposals ?? definition.proposals ?? (await listProposals(packDir));
  const engine = definition.engine ?? Config.engine(uri);
  const args = [cliPath, 'run', packDir, ...chosen.flatMap((p) => ['--proposal', p]), ...common];
  if (engine) args.push('--engine', engine);
  const execution = new vscode.ProcessExecution(process.execPath, args, { cwd: packDir, env: { ELECTRON_RUN_AS_NODE: '1' } });
  const task = new vscode.Task(definition, scope, taskName(slug, proposals), 'Autoexp', execution, []);
  task.presentationOptions = PRESENTATION;
  // The engine the run will use, by the same rule as the run itself: a stub loop.py means native.
  const choice = chooseEngine(packDir, { engine });
  task.detail = `${chosen.length} proposal(s) · ${choice.ok ? `${choice.engine} engine` : choice.usage}`;
  return task;
}

export function definitionFor(pack: PackRef, folder: vscode.WorkspaceFolder | undefined, proposals?: string[], autopilot = false): LoopTaskDefinition {
  const relative = folder ? path.relative(folder.uri.fsPath, pack.dir) : pack.dir;
  return { type: TASK_TYPE, pack: relative.split(path.sep).join('/'), ...(proposals ? { proposals } : {}), ...(autopilot ? { autopilot } : {}) };
}

/** Offers "Run Loop" for every pack with proposals (examples included), and completes tasks written in tasks.json. */
export class LoopTaskProvider implements vscode.TaskProvider {
  constructor(
    private readonly index: PackIndex,
    private readonly cliPath: string,
    /** Where the user's allowing of a workspace's agent command is remembered. */
    private readonly state: vscode.Memento,
  ) {}

  async provideTasks(): Promise<vscode.Task[]> {
    if (!vscode.workspace.isTrusted) return [];
    const tasks: vscode.Task[] = [];
    for (const pack of this.index.allPacks()) {
      // A pack with nothing to try has no loop to offer.
      if ((await listProposals(pack.dir)).length === 0) continue;
      const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(pack.dir));
      tasks.push(await buildTask(definitionFor(pack, folder), folder ?? vscode.TaskScope.Workspace, this.cliPath));
    }
    return tasks;
  }

  async resolveTask(task: vscode.Task): Promise<vscode.Task | undefined> {
    if (!isLoopTask(task) || typeof task.definition.pack !== 'string') return undefined;
    const scope = task.scope === undefined || task.scope === vscode.TaskScope.Global ? vscode.TaskScope.Workspace : task.scope;
    if (task.definition.autopilot) {
      // An autopilot task in tasks.json passes the same checks as Start Autopilot: no way round them.
      if (!vscode.workspace.isTrusted) return undefined;
      const settings = Config.autopilot(vscode.Uri.file(packDirOf(task.definition, scope)));
      if (!(await agentReady(settings)) || !(await confirmWorkspaceCommand(this.state, settings))) return undefined;
    }
    return buildTask(task.definition, scope, this.cliPath, undefined, { state: this.state });
  }
}
