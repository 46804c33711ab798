/**
 * The Experiments tree as plain data: labels, descriptions, icons and children. experimentsTree.ts
 * turns these into vscode.TreeItems; tests check them directly.
 */
import * as path from 'node:path';
import { runningBest } from '../../core/results/export';
import type { ResultsLog, Run } from '../../core/results/model';
import { scoreText as fmt } from '../../core/scoreText';
import { countsText, statusCounts } from '../../core/summary';
import type { PackInfo } from '../../core/packInfo';

export type PackState = 'valid' | 'warnings' | 'errors' | 'running' | 'autopilot' | 'unknown';

export interface NodeSpec {
  /** Stable across refreshes, so expansion state survives them. */
  id: string;
  label: string;
  description?: string;
  /** A codicon id such as `beaker` or `loading~spin`, with an optional theme colour id. */
  icon: { id: string; color?: string };
  tooltip?: string;
  contextValue: string;
  collapsible: boolean;
  expanded?: boolean;
  /** A file to open on click. */
  open?: string;
  /** A command to run on click, with its arguments. */
  command?: { id: string; args: unknown[] };
  /** What the node stands for: the tree builds its children, and the commands find their pack, trial or run, by it. */
  kind: 'pack' | 'program' | 'target' | 'proposals' | 'proposal' | 'runs' | 'run' | 'trial' | 'results' | 'memory' | 'message';
  packDir: string;
  runIndex?: number;
  trialIndex?: number;
  /** A trial's row in results.tsv, which links it to its snapshots in the run journal. */
  resultsLine?: number;
}

const arrow = (log: ResultsLog) => (log.direction === 'lower' ? '↓' : '↑');

const STATE_ICON: Record<PackState, NodeSpec['icon']> = {
  valid: { id: 'beaker' },
  warnings: { id: 'warning', color: 'list.warningForeground' },
  errors: { id: 'error', color: 'list.errorForeground' },
  running: { id: 'loading~spin' },
  autopilot: { id: 'loading~spin' },
  unknown: { id: 'beaker' },
};

const STATUS_ICON: Record<string, NodeSpec['icon']> = {
  kept: { id: 'pass-filled', color: 'testing.iconPassed' },
  reverted: { id: 'discard', color: 'disabledForeground' },
  error: { id: 'error', color: 'testing.iconFailed' },
  baseline: { id: 'circle-outline' },
  unknown: { id: 'question' },
};

/** `measured` is the target's score from the last Measure or Reset in this session, when there was one. */
export function describePack(info: PackInfo, measured?: number): string {
  const now = measured === undefined ? '' : `now ${fmt(measured)} · `;
  const log = info.log;
  if (!log) return now + (info.resultsError ? 'results.tsv unreadable' : info.summary);
  const trials = `${log.trials.length} trial${log.trials.length === 1 ? '' : 's'}`;
  if (log.best) return `${now}best ${fmt(log.best.score)} ${arrow(log)} · ${trials}`;
  if (log.baseline !== undefined) return `${now}baseline ${fmt(log.baseline)} ${arrow(log)} · ${trials}`;
  return now + (log.trials.length ? trials : 'no trials yet');
}

function lastRun(log: ResultsLog | undefined): Run | undefined {
  return log?.runs[log.runs.length - 1];
}

function targetLine(info: PackInfo): string {
  const t = info.target;
  return t.kind === 'unknown' ? `unknown (${t.reason})` : path.relative(info.pack.dir, t.path) || t.path;
}

/** Markdown for the pack's hover: its brief, its target and its last run. */
export function packTooltip(info: PackInfo): string {
  const parts = [`**${info.pack.slug}**`, '', info.program?.trim() || '_no program.md_', '', `Target: \`${targetLine(info)}\``];
  const run = lastRun(info.log);
  if (run) {
    const when = run.trials[run.trials.length - 1]?.timestamp ?? run.id;
    parts.push(`Last run: ${when} · ${countsText(statusCounts(run.trials))}`);
  }
  return parts.join('\n');
}

const STATE_CONTEXT: Partial<Record<PackState, string>> = { running: '.running', autopilot: '.autopilot' };

/**
 * `autopilot`: while an Autopilot session runs on the pack, how far it is (`3/20`), when known; the
 * pack then says so first, and offers Stop Autopilot.
 */
export function packNode(info: PackInfo, state: PackState, measured?: number, autopilot?: string): NodeSpec {
  const running = state === 'autopilot' ? `Autopilot running${autopilot ? ` ${autopilot}` : ''} · ` : '';
  const tooltip = packTooltip(info);
  return {
    id: `pack:${info.pack.dir}`,
    kind: 'pack',
    packDir: info.pack.dir,
    label: info.pack.slug,
    description: running + describePack(info, measured),
    icon: STATE_ICON[state],
    tooltip: state === 'autopilot' ? `${tooltip}\n\nAutopilot is running: an agent proposes each trial, Autoexp measures and decides.` : tooltip,
    contextValue: `autoexp.pack${STATE_CONTEXT[state] ?? ''}`,
    collapsible: true,
  };
}

export function packChildren(info: PackInfo): NodeSpec[] {
  const dir = info.pack.dir;
  const base = { packDir: dir, collapsible: false } as const;
  const target = info.target;
  return [
    { ...base, id: `program:${dir}`, kind: 'program', label: 'Program', description: info.summary, icon: { id: 'book' }, contextValue: 'autoexp.program', open: path.join(dir, 'program.md') },
    target.kind === 'unknown'
      ? { ...base, id: `target:${dir}`, kind: 'target', label: 'Target', description: 'unknown', tooltip: target.reason, icon: { id: 'question' }, contextValue: 'autoexp.target.unknown' }
      : { ...base, id: `target:${dir}`, kind: 'target', label: 'Target', description: targetLine(info), tooltip: target.path, icon: { id: 'target' }, contextValue: 'autoexp.target', open: target.path },
    { ...base, id: `proposals:${dir}`, kind: 'proposals', label: 'Proposals', description: String(info.proposals.length), icon: { id: 'lightbulb' }, contextValue: 'autoexp.proposals', collapsible: info.proposals.length > 0 },
    { ...base, id: `runs:${dir}`, kind: 'runs', label: 'Runs', description: String(info.log?.runs.length ?? 0), icon: { id: 'history' }, contextValue: 'autoexp.runs', collapsible: (info.log?.runs.length ?? 0) > 0 },
    {
      ...base,
      id: `results:${dir}`,
      kind: 'results',
      label: 'Results',
      description: info.resultsError ? 'unreadable' : `${info.log?.trials.length ?? 0} rows`,
      tooltip: info.resultsError,
      icon: { id: 'graph-line' },
      contextValue: 'autoexp.results',
      command: { id: 'autoexp.showResults', args: [{ pack: info.pack }] },
    },
    ...(info.memory
      ? [
          {
            ...base,
            id: `memory:${dir}`,
            kind: 'memory',
            label: 'Memory',
            description: 'memory.md',
            tooltip: 'What Autopilot has learned: kept, reverted, errors and ideas, rewritten after every trial. Your own "## Notes" section is never touched.',
            icon: { id: 'notebook' },
            contextValue: 'autoexp.memory',
            open: info.memory,
          } satisfies NodeSpec,
        ]
      : []),
  ];
}

export function proposalNodes(info: PackInfo): NodeSpec[] {
  return info.proposals.map((name) => ({
    id: `proposal:${info.pack.dir}:${name}`,
    kind: 'proposal',
    packDir: info.pack.dir,
    label: name,
    icon: { id: 'file-code' },
    contextValue: 'autoexp.proposal',
    collapsible: false,
    open: path.join(info.pack.dir, 'proposals', name),
  }));
}

/** Runs, newest first. Built only when the Runs node is expanded: a 10,000-row log costs nothing until then. */
export function runNodes(info: PackInfo): NodeSpec[] {
  const log = info.log;
  if (!log) return [];
  return [...log.runs].reverse().map((run) => {
    const when = run.trials[0]?.timestamp?.replace('T', ' ').slice(0, 19);
    return {
      id: `run:${info.pack.dir}:${run.index}`,
      kind: 'run',
      packDir: info.pack.dir,
      runIndex: run.index,
      label: `Run ${run.index + 1}`,
      description: `${when ? `${when} · ` : ''}${countsText(statusCounts(run.trials))}`,
      icon: { id: 'run-all' },
      contextValue: 'autoexp.run',
      collapsible: run.trials.length > 0,
    };
  });
}

export function trialNodes(info: PackInfo, runIndex: number): NodeSpec[] {
  const log = info.log;
  const run = log?.runs[runIndex];
  if (!log || !run) return [];
  const best = runningBest(log);
  return run.trials.map((t) => {
    const diffable = info.diffLines?.has(t.line) ?? false;
    const holdout = info.holdoutWorse?.get(t.line);
    return {
      id: `trial:${info.pack.dir}:${t.index}`,
      kind: 'trial',
      packDir: info.pack.dir,
      runIndex,
      trialIndex: t.index,
      resultsLine: t.line,
      label: `${t.number} ${(t.status ?? t.statusWord).toUpperCase()}`,
      description: `${fmt(t.oldScore)} → ${fmt(t.score)} · ${t.proposal ?? t.commit ?? ''}${holdout ? ' · holdout worse' : ''}`.trim(),
      tooltip: [
        t.description,
        holdout && `measure_holdout.py: ${fmt(holdout.score)}, worse than ${fmt(holdout.previous)} before this keep. It stays kept: you decide.`,
        t.timestamp,
        `best so far ${fmt(best[t.index])}`,
        `results.tsv line ${t.line}`,
        diffable ? 'Click to see what this trial changed.' : 'No snapshots: a run Autoexp did not record logged this trial.',
      ]
        .filter(Boolean)
        .join('\n'),
      icon: STATUS_ICON[t.status ?? 'unknown'],
      contextValue: `autoexp.trial.${t.status ?? 'unknown'}${diffable ? '.diff' : ''}`,
      collapsible: false,
      command: diffable ? { id: 'autoexp.showTrialDiff', args: [{ packDir: info.pack.dir, resultsLine: t.line }] } : undefined,
    };
  });
}

/**
 * Everything a pack's row and the rows under it show, as one string: two equal views draw the same
 * tree. The tree redraws a pack only when its view changed, because a redraw costs more than the
 * paint: VS Code's extension host drops the commands of every row under the pack at once, and until
 * the rows are drawn again, a click on one fails with "Actual command not found". It renders every
 * trial: compare views only when a pack's details were read again, never on each draw.
 */
export function packView(info: PackInfo, state: PackState, measured?: number, autopilot?: string): string {
  const runs = info.log?.runs ?? [];
  return JSON.stringify([packNode(info, state, measured, autopilot), packChildren(info), proposalNodes(info), runNodes(info), runs.map((_, i) => trialNodes(info, i))]);
}
