/** Autopilot's progress as the status bar shows it, from a journal as a session writes it. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { autopilotProgress, autopilotStatusLabel, autopilotStatusText } from '../../src/core/autopilot/progress';
import { foldJournal, type JournalEvent } from '../../src/core/run/journal';

const START = Date.parse('2026-05-01T10:00:00.000Z');
const at = (minutes: number) => new Date(START + minutes * 60_000).toISOString();

function journal(events: JournalEvent[]) {
  const [run] = foldJournal(events.map((e) => JSON.stringify(e)).join('\n')).runs;
  return run;
}

const runStart: JournalEvent = { type: 'run-start', run: 'r1', pack: '/w/reverse-words', slug: 'reverse-words', engine: 'native', proposals: [], target: '/w/reverse-words/t.py', pid: 1, at: at(0) };
const apStart = (budgets: Record<string, number>): JournalEvent => ({ type: 'autopilot-start', run: 'r1', session: 's1', agent: 'python3', budgets, at: at(0) });

function trial(n: number, status: 'kept' | 'reverted' | 'error' | 'cancelled', costUsd?: number): JournalEvent[] {
  return [
    { type: 'trial-start', run: 'r1', trial: n, proposal: `000${n}-x.py`, target: '/w/reverse-words/t.py', before: 'h', at: at(n) },
    { type: 'trial-end', run: 'r1', trial: n, status, at: at(n) },
    { type: 'autopilot-trial', run: 'r1', session: 's1', trial: n, durationMs: 1000, ...(costUsd === undefined ? {} : { costUsd }) },
  ];
}

describe('autopilot progress', () => {
  test('nothing until the session has written its budgets', () => {
    assert.equal(autopilotProgress(journal([runStart]), START), undefined);
  });

  test('7 of 20 trials, 77 minutes in of 120, $0.84 spent: the issue\'s own example', () => {
    const events = [runStart, apStart({ maxTrials: 20, maxMinutes: 120, maxErrors: 5, patience: 5 })];
    for (let n = 1; n <= 7; n++) events.push(...trial(n, n === 2 ? 'kept' : 'reverted', 0.12));
    const progress = autopilotProgress(journal(events), START + 77 * 60_000)!;
    assert.equal(progress.done, 7);
    assert.equal(progress.costUsd.toFixed(2), '0.84');
    assert.equal(autopilotStatusText('reverse-words', progress), 'reverse-words autopilot 7/20 · 43 min left · $0.84');
    assert.equal(autopilotStatusLabel('reverse-words', progress), 'Autoexp Autopilot on reverse-words: 7 of 20 trials done, 43 minutes left, 0.84 dollars spent');
  });

  test('a cost cap shows beside what was spent; part of a minute left counts as a minute', () => {
    const events = [runStart, apStart({ maxTrials: 4, maxMinutes: 30, maxCostUsd: 0.5, maxErrors: 5, patience: 5 }), ...trial(1, 'reverted'), ...trial(2, 'error', 0.1)];
    const progress = autopilotProgress(journal(events), START + 90_000)!;
    assert.equal(autopilotStatusText('smoke', progress), 'smoke autopilot 2/4 · 29 min left · $0.10 of $0.50');
  });

  test('a trial still going, or cancelled, is not done and its cost is not counted yet', () => {
    const going: JournalEvent = { type: 'trial-start', run: 'r1', trial: 3, proposal: 'python3', target: '/w/t.py', before: 'h', at: at(3) };
    const events = [runStart, apStart({ maxTrials: 10, maxMinutes: 60 }), ...trial(1, 'kept', 0.05), ...trial(2, 'cancelled', 0.5), going];
    const progress = autopilotProgress(journal(events), START)!;
    assert.deepEqual(progress, { done: 1, maxTrials: 10, minutesLeft: 60, costUsd: 0.05 });
  });

  test('past the time budget: 0 min left, never negative', () => {
    const progress = autopilotProgress(journal([runStart, apStart({ maxTrials: 3, maxMinutes: 1 })]), START + 5 * 60_000)!;
    assert.equal(autopilotStatusText('p', progress), 'p autopilot 0/3 · 0 min left · $0.00');
  });
});
