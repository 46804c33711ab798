/**
 * What the columns of a results log mean, by their names (never their positions), what its status
 * words mean, and which way its metric goes. Pure functions over header names and cell text.
 */
import type { ColumnRoles, Direction, TrialStatus } from './model';

export type Role = keyof ColumnRoles;

/** Header names per role, lowercase, in order of preference. The first unclaimed match wins. */
export const ROLE_NAMES: ReadonlyArray<readonly [Role, readonly string[]]> = [
  ['timestamp', ['timestamp', 'datetime', 'date', 'created_at', 'ts']],
  ['run', ['run', 'run_id']],
  ['trial', ['trial', 'iteration', 'iter', 'trial_id']],
  ['modality', ['modality']],
  ['status', ['status', 'decision', 'outcome', 'verdict']],
  ['oldScore', ['old_score', 'prev_score', 'previous_score', 'old_metric']],
  ['score', ['new_score', 'score', 'metric', 'metric_1']],
  ['score2', ['metric_2']],
  ['proposal', ['proposal', 'proposal_file', 'experiment_id']],
  ['description', ['description', 'note', 'notes', 'desc', 'message']],
  ['commit', ['commit', 'commit_sha', 'sha', 'hash']],
];

const ROLE_NAME_SET = new Set(ROLE_NAMES.flatMap(([, names]) => names));

/**
 * Numeric columns that are bookkeeping, never the metric: ids and counters, resources (memory_gb),
 * deltas and guards, before-values (old_*, prev_*, baseline_*), pass lists and review counts.
 */
const BOOKKEEPING =
  /^(id|.*_id|idx|index|n|num_.*|n_.*|.*_count|count|total|seed|epochs?|steps?|iters?|delta|diff|change|improvement|guard|mem|memory.*|mem_.*|.*_mem|vram.*|gpus?|.*_gb|.*_mb|.*_kb|.*bytes|size|lines|tokens|.*_tokens|params|.*_params|old_.*|prev.*|previous_.*|baseline.*|best.*|.*passed|reviewed|tests|artifacts|interventions)$/;

/** Name tokens (split at `_`, `-`, `.`, space, `/`) of metrics where lower is better. */
const LOWER_TOKENS = new Set([
  'bpb',
  'bpc',
  'loss',
  'nll',
  'latency',
  'time',
  'runtime',
  'walltime',
  'duration',
  'elapsed',
  'ms',
  'sec',
  'secs',
  'seconds',
  'error',
  'errors',
  'err',
  'perplexity',
  'ppl',
  'wer',
  'cer',
  'mse',
  'rmse',
  'mae',
  'cost',
  'regret',
]);

/** Name tokens of metrics that are plainly higher-is-better (the default anyway; used to spot a metric by name). */
const HIGHER_TOKENS = new Set(['accuracy', 'acc', 'f1', 'auc', 'bleu', 'rouge', 'reward', 'precision', 'recall', 'throughput', 'tps', 'qps']);
const HIGHER_NAMES = new Set(['pass_rate', 'win_rate', 'success_rate', 'hit_rate']);

function tokens(name: string): string[] {
  return name.trim().toLowerCase().split(/[_\-. /]+/).filter(Boolean);
}

function isLowerName(name: string): boolean {
  const lower = name.trim().toLowerCase();
  const parts = tokens(lower);
  // A rate per unit of time (tokens_per_sec) goes up, whatever its unit says.
  if (parts.includes('per')) return false;
  return parts.some((t) => LOWER_TOKENS.has(t)) || lower.endsWith('loss');
}

/** A header name that names a metric on its own (val_bpb, loss, accuracy, latency_ms, ...). */
export function isMetricName(name: string): boolean {
  return isLowerName(name) || HIGHER_NAMES.has(name.trim().toLowerCase()) || tokens(name).some((t) => HIGHER_TOKENS.has(t));
}

/** True when a line's cells read as column names: one of them is a role name or a metric name. */
export function looksLikeHeader(cells: readonly string[]): boolean {
  for (const c of cells) {
    const name = c.trim().toLowerCase();
    if (ROLE_NAME_SET.has(name)) return true;
  }
  // No role name at all: still a header when no cell is a number and one names a metric (`step_name\tval_loss`).
  return cells.every((c) => parseNumber(c.trim()) === undefined) && cells.some((c) => /^[a-z][\w.\- ]*$/i.test(c.trim()) && isMetricName(c));
}

/**
 * A strict decimal number (`-1`, `0.5`, `.5`, `1e-3`): no hex, no `Infinity`, no empty string, which
 * `Number()` alone would all accept. `text` must already be trimmed.
 */
export function parseNumber(text: string): number | undefined {
  const n = text.length;
  if (n === 0) return undefined;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    // 0-9 . + - e E
    if (!((c >= 48 && c <= 57) || c === 46 || c === 43 || c === 45 || c === 101 || c === 69)) return undefined;
  }
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
}

/** What crashed loops write where a score would be. Not a problem on an error row; never a score. */
export function isPlaceholder(text: string): boolean {
  switch (text.toLowerCase()) {
    case '':
    case 'n/a':
    case 'na':
    case 'nan':
    case 'none':
    case 'null':
    case '-':
    case '—':
      return true;
    default:
      return false;
  }
}

/** How many sample rows decide the named metric, and the share of their filled cells that must be numbers. */
export const METRIC_SAMPLE_ROWS = 200;
const MOSTLY_NUMERIC = 0.8;

/**
 * Column roles by name. `sampleCells(i)` gives column i's cells in the first data rows; it is only
 * called when no column is a score by name.
 *
 * The named-metric rule, when no column is called new_score, score, metric or metric_1:
 *  1. skip columns already given a role, and bookkeeping columns (ids, counters, memory_gb, delta,
 *     guard, old_ and prev_ and baseline_ values, *_passed lists; see BOOKKEEPING);
 *  2. among the rest, a column whose name is a metric name (val_bpb, loss, accuracy, latency_ms...)
 *     wins when its filled cells are mostly (80%) numbers, or when there are no rows yet;
 *  3. else the first column whose filled cells (placeholders such as N/A aside) are at least 80% numbers,
 *     with at least one number.
 * karpathy/autoresearch's `commit val_bpb memory_gb status description` gives val_bpb (memory_gb is
 * bookkeeping); atris daily's `... baseline_passed candidate_passed verify_passed note` gives none.
 */
export function findRoles(header: readonly string[], sampleCells: (column: number) => string[]): { roles: ColumnRoles; index: Record<Role, number> } {
  const lower = header.map((h) => h.trim().toLowerCase());
  const roles: ColumnRoles = {};
  const index = Object.fromEntries(ROLE_NAMES.map(([role]) => [role, -1])) as Record<Role, number>;
  const claimed = new Set<number>();
  for (const [role, names] of ROLE_NAMES) {
    for (const name of names) {
      const i = lower.findIndex((h, j) => h === name && !claimed.has(j));
      if (i !== -1) {
        roles[role] = header[i];
        index[role] = i;
        claimed.add(i);
        break;
      }
    }
  }
  if (roles.score !== undefined) return { roles, index };

  const candidates: number[] = [];
  for (let i = 0; i < header.length; i++) if (!claimed.has(i) && lower[i] !== '' && !BOOKKEEPING.test(lower[i])) candidates.push(i);
  const numericShare = (i: number): { filled: number; share: number } => {
    let filled = 0;
    let numbers = 0;
    for (const raw of sampleCells(i)) {
      const cell = raw.trim();
      if (isPlaceholder(cell)) continue;
      filled++;
      if (parseNumber(cell) !== undefined) numbers++;
    }
    return { filled, share: filled === 0 ? 0 : numbers / filled };
  };
  const shares = new Map(candidates.map((i) => [i, numericShare(i)]));
  const mostlyNumeric = (i: number) => shares.get(i)!.filled > 0 && shares.get(i)!.share >= MOSTLY_NUMERIC;
  const chosen = candidates.find((i) => isMetricName(lower[i]) && (shares.get(i)!.filled === 0 || mostlyNumeric(i))) ?? candidates.find(mostlyNumeric);
  if (chosen !== undefined) {
    roles.score = header[chosen];
    index.score = chosen;
  }
  return { roles, index };
}

const STATUS_WORDS = new Map<string, TrialStatus>([
  ...['kept', 'keep', 'accept', 'accepted', 'improved', 'pass', 'passed'].map((w) => [w, 'kept'] as const),
  ...['reverted', 'revert', 'discard', 'discarded', 'reject', 'rejected', 'rollback', 'rolled_back'].map((w) => [w, 'reverted'] as const),
  ...['error', 'errored', 'crash', 'crashed', 'fail', 'failed', 'failure', 'timeout', 'timed_out', 'interrupted', 'killed', 'cancelled', 'canceled'].map(
    (w) => [w, 'error'] as const,
  ),
  ['baseline', 'baseline'],
]);

/** The normalised status of a (trimmed) status word, or undefined for a word we do not know. */
export function normaliseStatus(word: string): TrialStatus | undefined {
  return STATUS_WORDS.get(word) ?? STATUS_WORDS.get(word.toLowerCase());
}

const LOWER_WORDS = new Set(['lower', 'low', 'min', 'minimize', 'minimise', 'decrease', 'down', 'lower_is_better', 'lower-is-better']);
const HIGHER_WORDS = new Set(['higher', 'high', 'max', 'maximize', 'maximise', 'increase', 'up', 'higher_is_better', 'higher-is-better']);

/**
 * Which way the metric goes: a `# metric_direction:` (or `# direction:`) line wins; else a metric
 * named like a loss, an error or a time (val_bpb, loss, *_loss, latency, *_ms, *_seconds, perplexity...)
 * is lower-is-better; else higher.
 */
export function directionFor(meta: Readonly<Record<string, string>>, metric: string | undefined): { direction: Direction; source: 'meta' | 'metric-name' | 'default' } {
  const declared = (meta.metric_direction ?? meta.direction ?? '').trim().toLowerCase();
  if (LOWER_WORDS.has(declared)) return { direction: 'lower', source: 'meta' };
  if (HIGHER_WORDS.has(declared)) return { direction: 'higher', source: 'meta' };
  if (metric !== undefined && isLowerName(metric)) return { direction: 'lower', source: 'metric-name' };
  return { direction: 'higher', source: 'default' };
}

/** True when `a` is a strictly better score than `b` in this direction. */
export function isBetter(a: number, b: number, direction: Direction): boolean {
  return direction === 'lower' ? a < b : a > b;
}
