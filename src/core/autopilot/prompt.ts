/**
 * The prompt an agent gets for one trial, as markdown: the pack's brief verbatim, the target in full,
 * where the metric stands, the memory, the recent log, the budget left, and the one rule.
 */
import type { Direction } from '../results/model';

export interface PromptInput {
  program: string;
  /** The target's path as the agent should name it (relative to its working directory). */
  targetPath: string;
  targetText: string;
  metric: string;
  direction: Direction;
  baseline?: number;
  best?: number;
  memory: string;
  /** The last rows of results.tsv, header first. */
  recentRows: string[];
  budgetLeft: string;
  trial: number;
  /** Patience ran out: ask for a different direction. */
  changeDirection: boolean;
}

const score = (v: number | undefined) => (v === undefined ? 'not measured yet' : v.toFixed(4));

function fence(text: string): string {
  // A fence longer than any backtick run in the text, so the target cannot close it early.
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}\n${text.replace(/\n?$/, '\n')}${ticks}`;
}

export function buildPrompt(p: PromptInput): string {
  return [
    `# Autopilot trial ${p.trial}`,
    '',
    '## The rule',
    `Edit only \`${p.targetPath}\`. Any other change is discarded and the trial counts as yours all the same.`,
    'Make one focused change that you expect to improve the metric. Autoexp measures it and keeps it only if it helps.',
    'End your reply with one line of JSON: {"description": "...", "hypothesis": "...", "ideas": ["..."]}',
    ...(p.changeDirection ? ['', `**Nothing was kept in the recent trials. Try a clearly different direction from those in the memory.**`] : []),
    '',
    '## The brief (program.md)',
    p.program.trim(),
    '',
    '## The metric',
    `${p.metric}, ${p.direction} is better. Baseline ${score(p.baseline)}; best so far ${score(p.best)}.`,
    '',
    `## The target: ${p.targetPath}`,
    fence(p.targetText),
    '',
    p.memory.trim(),
    '',
    '## The last rows of results.tsv',
    fence(p.recentRows.join('\n')),
    '',
    '## Budget',
    p.budgetLeft,
    '',
  ].join('\n');
}
