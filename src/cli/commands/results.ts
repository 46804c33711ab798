import * as path from 'node:path';
import { UserError } from '../../core/errors';
import { runningBest, toCsv, toJson, toMarkdown } from '../../core/results/export';
import { loadResults } from '../../core/results/load';
import { scoreText as fmt } from '../../core/scoreText';
import type { ResultsLog } from '../../core/results/model';
import { onePositional, parse } from '../args';
import type { CliIO } from '../io';
import { packFolder } from '../packArg';
import { journalRoot, readJournal, runsOfPack } from '../../core/run/journal';


/** A summary a person reads in a terminal; the flags give the same data for machines. */
export function resultsText(log: ResultsLog): string[] {
  const c = log.counts;
  const arrow = log.direction === 'lower' ? '↓ lower is better' : '↑ higher is better';
  const lines = [
    `${log.file}`,
    `${log.runs.length} run(s), ${log.trials.length} trial(s): ${c.kept} kept, ${c.reverted} reverted, ${c.error} error${c.baseline ? `, ${c.baseline} baseline` : ''}${c.unknown ? `, ${c.unknown} unknown` : ''}`,
    `metric: ${log.metric ?? 'none (status only)'} (${arrow}) · baseline ${fmt(log.baseline)} · best ${fmt(log.best?.score)}`,
  ];
  const best = runningBest(log);
  for (const run of log.runs) {
    // A log without a run column names its runs `run N` already: say it once.
    const label = `run ${run.index + 1}`;
    lines.push('', run.id === label ? label : `${label} · ${run.id}`);
    for (const t of run.trials) {
      const status = (t.status ?? `?${t.statusWord}`).toUpperCase().padEnd(9);
      const change = `${fmt(t.oldScore)} → ${fmt(t.score)}`.padEnd(17);
      lines.push(`  ${String(t.number).padStart(3)}  ${status} ${change} best ${fmt(best[t.index])}  ${t.proposal ?? t.commit ?? ''}  ${t.description ?? ''}`.trimEnd());
    }
  }
  for (const p of log.problems) lines.push(`${path.basename(p.file)}:${p.line}:${p.column}: ${p.severity}: ${p.message}`);
  return lines;
}

export async function resultsCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse('results', args, { json: { type: 'boolean' }, csv: { type: 'boolean' }, md: { type: 'boolean' } });
  const formats = [values.json, values.csv, values.md].filter(Boolean).length;
  if (formats > 1) throw new UserError('autoexp results: choose one of --json, --csv, --md', 2);
  const pack = await packFolder(io.cwd, onePositional('results', positionals, 'PACK'));
  const log = await loadResults(path.join(pack, 'results.tsv'));
  // The journal holds what results.tsv cannot: snapshots, payloads, interrupted and cancelled trials.
  if (values.json) io.out(JSON.stringify({ ...toJson(log), journal: runsOfPack(readJournal(journalRoot(pack)), pack) }, null, 2));
  else if (values.csv) io.out(toCsv(log).trimEnd());
  else if (values.md) io.out(toMarkdown(log).trimEnd());
  else for (const line of resultsText(log)) io.out(line);
  return 0;
}
