/**
 * Follows the loop tasks that are running: a status bar item and a progress notification with
 * Cancel for each, the tree's running state, and a summary when the task ends. Progress comes from
 * the run journal the task's process writes, so a run started from tasks.json is followed too.
 * The task's run is the one whose id its process wrote in the pack's lock; the journal is followed
 * with a tail, so a poll reads only what was appended since the last one.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { oneLine } from '../../core/errors';
import { outcomeOfExit } from '../../core/run/exitCodes';
import type { RunRecord, TrialRecord } from '../../core/run/journal';
import { RunFollower } from '../../core/run/runFollower';
import { autopilotProgress, autopilotStatusLabel, autopilotStatusText } from '../../core/autopilot/progress';
import { scoreText as score } from '../../core/scoreText';
import { countsText, statusCounts } from '../../core/summary';
import type { ExperimentsTree } from '../experimentsTree';
import { isLoopTask, packDirOf, type LoopTaskDefinition } from './loopTask';
import { modelSessionExitCode } from '../lm/modelTask';

/** A task of ours that runs in the extension host rather than in a process. */
const isCustom = (execution: vscode.TaskExecution) => isLoopTask(execution.task) && execution.task.execution instanceof vscode.CustomExecution;

const POLL_MS = 400;

/** `trial 1 bad_patch.py: reverted 0.2000 → 0.2000 (proposal exit 0, 64 ms)` for the log channel. */
function trialLogLine(t: TrialRecord): string {
  const proposal = t.proposalExitCode === undefined ? '' : ` (proposal exit ${t.proposalExitCode ?? 'killed'}${t.proposalMs === undefined ? '' : `, ${Math.round(t.proposalMs)} ms`})`;
  return `trial ${t.trial} ${t.proposal}: ${t.status} ${score(t.oldScore)} → ${score(t.newScore)}${t.reason ? ` [${t.reason}]` : ''}${proposal}`;
}

interface ActiveRun {
  packDir: string;
  slug: string;
  execution: vscode.TaskExecution;
  /** The task's run in the journal, known by the id its process writes in the pack's lock. */
  follower: RunFollower;
  /** How many proposals the run has, as its journal says; unknown until the run has started. */
  total?: number;
  done: number;
  startedAt: number;
  status: vscode.StatusBarItem;
  progress?: vscode.Progress<{ message?: string; increment?: number }>;
  finishProgress?: () => void;
  timer: NodeJS.Timeout;
  stopRequested?: boolean;
  /** An Autopilot session: its total is its trial budget, and its status bar says what is left. */
  autopilot: boolean;
  /** The status bar text last shown, so a poll that changes nothing redraws nothing. */
  shown?: string;
}

/** How long a stopped run's process may take to restore its target and write its end. */
const SETTLE_MS = 5000;

export class RunTracker implements vscode.Disposable {
  private readonly active = new Map<string, ActiveRun>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly tree: ExperimentsTree,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      vscode.tasks.onDidStartTaskProcess((e) => this.started(e.execution)),
      vscode.tasks.onDidEndTaskProcess((e) => this.ended(e.execution, e.exitCode)),
      // The language-model Autopilot runs in the extension host (a CustomExecution): no process to start or end.
      vscode.tasks.onDidStartTask((e) => isCustom(e.execution) && this.started(e.execution)),
      vscode.tasks.onDidEndTask((e) => isCustom(e.execution) && this.ended(e.execution, modelSessionExitCode(packDirOf(e.execution.task.definition as LoopTaskDefinition, e.execution.task.scope)))),
    );
    // A window reloaded during a run picks the run up again.
    for (const execution of vscode.tasks.taskExecutions) this.started(execution, true);
  }

  isRunning(packDir: string): boolean {
    return this.active.has(packDir);
  }

  runningPacks(): string[] {
    return [...this.active.keys()];
  }

  /** The packs an Autopilot session is running on. */
  runningAutopilots(): string[] {
    return [...this.active.values()].filter((r) => r.autopilot).map((r) => r.packDir);
  }

  private updateContexts(): void {
    void vscode.commands.executeCommand('setContext', 'autoexp.running', this.active.size > 0);
    void vscode.commands.executeCommand('setContext', 'autoexp.autopilotRunning', this.runningAutopilots().length > 0);
  }

  /** Ends the run's task: the terminal's process gets the signal and restores the target. */
  stop(packDir: string): boolean {
    const run = this.active.get(packDir);
    if (!run) return false;
    run.stopRequested = true;
    run.execution.terminate();
    return true;
  }

  private readonly lastTaskName = new Map<string, string>();

  /** The terminal of the pack's current run, or of its last one. */
  showTerminal(packDir: string): void {
    const name = this.active.get(packDir)?.execution.task.name ?? this.lastTaskName.get(packDir);
    const terminal = name ? vscode.window.terminals.find((t) => t.name.includes(name)) : undefined;
    terminal?.show();
  }

  /** The pack whose run (going on, or the last one) this terminal shows. */
  packOfTerminal(terminal: vscode.Terminal): string | undefined {
    const names = [...[...this.active.values()].map((r) => [r.packDir, r.execution.task.name] as const), ...this.lastTaskName];
    // The longest name first: `Run Loop: a` must not claim the terminal of `Run Loop: a-b`.
    const found = names.filter(([, name]) => terminal.name.includes(name)).sort((x, y) => y[1].length - x[1].length)[0];
    return found?.[0];
  }

  /** `resumed`: a run already going when this window started, so its run is in the journal already. */
  private started(execution: vscode.TaskExecution, resumed = false): void {
    const task = execution.task;
    if (!isLoopTask(task) || !(task.execution instanceof vscode.ProcessExecution || task.execution instanceof vscode.CustomExecution)) return;
    const packDir = packDirOf(task.definition, task.scope);
    if (this.active.has(packDir)) return;
    const slug = path.basename(packDir);
    const autopilot = task.definition.autopilot === true;
    let follower: RunFollower;
    try {
      follower = new RunFollower(packDir, resumed);
    } catch (err) {
      this.log.error(`cannot follow the run of ${packDir}: ${oneLine(err)}`);
      return;
    }
    const status = vscode.window.createStatusBarItem(autopilot ? 'autoexp.autopilot' : 'autoexp.run', vscode.StatusBarAlignment.Left, 50);
    status.name = autopilot ? 'Autoexp Autopilot' : 'Autoexp Run';
    status.command = { command: 'autoexp.showRunTerminal', title: 'Show Run Terminal', arguments: [packDir] };
    status.tooltip = `Autoexp: ${autopilot ? 'Autopilot is running on ' : ''}${slug}${autopilot ? '' : ' is running'}; click to show its terminal`;
    const run: ActiveRun = { packDir, slug, execution, follower, done: 0, startedAt: resumed ? 0 : Date.now(), status, autopilot, timer: setInterval(() => this.poll(run), POLL_MS) };
    this.active.set(packDir, run);
    this.render(run);
    status.show();
    this.tree.setRunning(packDir, true, autopilot);
    this.updateContexts();
    this.log.info(`${autopilot ? 'autopilot' : 'run'} started: ${task.name} in ${packDir}`);
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Autoexp: ${autopilot ? `Autopilot on ${slug}` : slug}`, cancellable: true },
      (progress, token) =>
        new Promise<void>((resolve) => {
          run.progress = progress;
          run.finishProgress = resolve;
          token.onCancellationRequested(() => this.stop(packDir));
          // The notification is new: tell it what the status bar already shows.
          run.shown = undefined;
          this.render(run);
        }),
    );
  }

  /** The task's run in the journal so far; undefined when it has not started or the journal cannot be read (logged). */
  private journalRun(run: ActiveRun): RunRecord | undefined {
    let record: RunRecord | undefined;
    try {
      record = run.follower.read();
    } catch (err) {
      this.log.warn(`${run.slug}: cannot read the run journal: ${oneLine(err)}`);
      return undefined;
    }
    if (record && run.total === undefined) {
      // An Autopilot run has no proposals; its total is its trial budget, once it has written it.
      const total = run.autopilot ? record.autopilot?.budgets.maxTrials : record.proposals.length;
      if (total !== undefined) {
        run.total = total;
        this.log.info(run.autopilot ? `${run.slug}: autopilot run ${record.id} with ${record.autopilot!.agent}, up to ${total} trial(s)` : `${run.slug}: run ${record.id}, ${total} proposal(s)`);
        this.render(run, record);
      }
    }
    return record;
  }

  private poll(run: ActiveRun): void {
    const record = this.journalRun(run);
    const ended = record?.trials.filter((t) => t.status !== undefined) ?? [];
    const done = ended.length;
    // Autopilot's minutes left change with no new trial.
    if (run.autopilot && done === run.done) this.render(run, record);
    if (done === run.done) return;
    for (const t of ended.slice(run.done)) this.log.info(`${run.slug} · ${trialLogLine(t)}`);
    const step = ((done - run.done) / Math.max(run.total ?? 1, 1)) * 100;
    run.done = done;
    run.progress?.report({ increment: step });
    this.render(run, record);
    this.tree.invalidate(run.packDir);
  }

  private show(run: ActiveRun, text: string, label: string, message: string): void {
    if (run.shown === text) return;
    run.shown = text;
    run.status.text = text;
    run.status.accessibilityInformation = { label };
    run.progress?.report({ message });
  }

  private render(run: ActiveRun, record?: RunRecord): void {
    if (run.autopilot) {
      const progress = record && autopilotProgress(record, Date.now());
      if (!progress) {
        this.show(run, `$(rocket) ${run.slug} autopilot`, `Autoexp Autopilot on ${run.slug}, starting`, 'starting');
        return;
      }
      const next = Math.min(progress.done + 1, progress.maxTrials);
      this.show(run, `$(rocket) ${autopilotStatusText(run.slug, progress)}`, autopilotStatusLabel(run.slug, progress), `trial ${next} of ${progress.maxTrials} (${progress.done} done)`);
      this.tree.setAutopilotProgress(run.packDir, `${progress.done}/${progress.maxTrials}`);
      return;
    }
    if (run.total === undefined) {
      // Until its process has written the run's start, nothing says how many proposals it has.
      run.status.text = `$(beaker~spin) ${run.slug}`;
      run.status.accessibilityInformation = { label: `Autoexp run: ${run.slug}, starting` };
      run.progress?.report({ message: 'starting' });
      return;
    }
    run.status.text = `$(beaker~spin) ${run.slug} ${run.done}/${run.total}`;
    run.status.accessibilityInformation = { label: `Autoexp run: ${run.slug}, ${run.done} of ${run.total} trials done` };
    run.progress?.report({ message: `trial ${Math.min(run.done + 1, run.total)} of ${run.total} (${run.done} done)` });
  }

  private ended(execution: vscode.TaskExecution, exitCode: number | undefined): void {
    const run = [...this.active.values()].find((r) => r.execution === execution || r.execution.task.name === execution.task.name);
    if (!run) return;
    clearInterval(run.timer);
    run.status.dispose();
    run.finishProgress?.();
    this.active.delete(run.packDir);
    this.lastTaskName.set(run.packDir, execution.task.name);
    this.tree.setRunning(run.packDir, false);
    this.tree.setMeasured(run.packDir, undefined);
    this.tree.invalidate(run.packDir);
    this.updateContexts();
    const took = run.startedAt ? ` after ${((Date.now() - run.startedAt) / 1000).toFixed(1)} s` : '';
    this.log.info(`run ended: ${execution.task.name}: exit ${exitCode ?? 'unknown'}${took}`);
    void this.settled(run).then((record) => this.report(run, exitCode, record));
  }

  /**
   * The run's journal record once its process has written the end. A stopped task's terminal closes
   * first; the process is still restoring the target then.
   */
  private async settled(run: ActiveRun): Promise<RunRecord | undefined> {
    const deadline = Date.now() + SETTLE_MS;
    let record = this.journalRun(run);
    while (record && record.status === undefined && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      record = this.journalRun(run);
    }
    return record;
  }

  private report(run: ActiveRun, exitCode: number | undefined, record: RunRecord | undefined): void {
    const counts = countsText(statusCounts(record?.trials ?? []));
    if (run.autopilot && outcomeOfExit(exitCode) === 'finished') {
      // A session that ran out of budget or patience did what it was asked; its record says which.
      const best = record?.best === undefined ? '' : `; best ${record.best.toFixed(4)}`;
      const why = record?.message ? ` (${record.message})` : '';
      void vscode.window.showInformationMessage(`Autoexp: Autopilot on ${run.slug} stopped${why}: ${counts}${best}.`, 'Show Terminal').then((choice) => choice && this.showTerminal(run.packDir));
    } else if (outcomeOfExit(exitCode) === 'finished') {
      const best = record?.best === undefined ? '' : `; best ${record.best.toFixed(4)}`;
      void vscode.window.showInformationMessage(`Autoexp: ${run.slug} finished: ${counts}${best}.`);
    } else if (outcomeOfExit(exitCode) === 'cancelled' || record?.status === 'cancelled' || run.stopRequested) {
      const restored = record?.trials.find((t) => t.status === 'cancelled' && t.restored)?.restored;
      const target = restored ? `${path.basename(restored)} was put back as it was before the unfinished trial` : 'its target was not changed';
      void vscode.window.showInformationMessage(`Autoexp: ${run.slug} was stopped; ${target}.`);
      if (record?.status === undefined) this.log.warn(`${run.slug}: the stopped run did not record its end within ${SETTLE_MS / 1000} s; it is recovered at the next start`);
    } else {
      const why = record?.message ?? `exit code ${exitCode ?? 'unknown'}`;
      void vscode.window.showErrorMessage(`Autoexp: ${run.slug} failed: ${why}`, 'Show Terminal').then((choice) => choice && this.showTerminal(run.packDir));
    }
  }

  dispose(): void {
    for (const run of this.active.values()) {
      clearInterval(run.timer);
      run.status.dispose();
      run.finishProgress?.();
    }
    this.disposables.forEach((d) => d.dispose());
  }
}
