/**
 * memory.md: what the autopilot has learnt about a pack, rewritten after every trial from the journal and
 * results.tsv, and fed to the next prompt. Kept trials with their gain, reverted ones with their loss,
 * errors, an ideas backlog from the agents, and a `## Notes` section that the user writes and Autoexp
 * carries over untouched.
 */

export interface MemoryTrial {
  trial: number;
  status: 'kept' | 'reverted' | 'error';
  description?: string;
  hypothesis?: string;
  /** The change in the metric's direction: positive helped. */
  gain?: number;
  reason?: string;
}

export interface MemoryState {
  slug: string;
  metric: string;
  trials: MemoryTrial[];
  ideas: string[];
  /** The user's `## Notes`, verbatim. */
  notes: string;
}

const NOTES_HEADING = '## Notes';
const DEFAULT_NOTES = '<!-- Yours: Autoexp never rewrites this section. Hints for the agent go here. -->\n';

/** The body of the user's `## Notes` section in an existing memory.md, verbatim. */
export function readNotes(text: string | undefined): string {
  if (!text) return DEFAULT_NOTES;
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trimEnd() === NOTES_HEADING);
  if (start === -1) return DEFAULT_NOTES;
  const end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  return lines.slice(start + 1, end === -1 ? undefined : end).join('\n').replace(/^\n+/, '').replace(/\n*$/, '\n');
}

const signed = (n: number) => `${n >= 0 ? '+' : ''}${Number(n.toPrecision(4))}`;

function line(t: MemoryTrial): string {
  const what = t.description || '(no description)';
  const why = t.hypothesis ? ` — because ${t.hypothesis}` : '';
  if (t.status === 'kept') return `- trial ${t.trial}: ${what} (${t.gain === undefined ? 'gain unknown' : `${signed(t.gain)}`})${why}`;
  if (t.status === 'reverted') return `- trial ${t.trial}: ${what} (${t.gain === undefined ? 'no score' : `${signed(t.gain)}, reverted`})${why}`;
  return `- trial ${t.trial}: ${what} (${t.reason ?? 'error'})`;
}

/** A section, newest first, at most `limit` items, with a count for the rest. */
function section(title: string, items: string[], limit: number): string[] {
  const shown = items.slice(0, limit);
  const cut = items.length - shown.length;
  return [`## ${title}`, ...(items.length ? shown : ['- none yet']), ...(cut > 0 ? [`- … and ${cut} older`] : []), ''];
}

function render(state: MemoryState, limit: number): string {
  const newest = [...state.trials].sort((a, b) => b.trial - a.trial);
  const of = (status: MemoryTrial['status']) => newest.filter((t) => t.status === status).map(line);
  return [
    `# Memory: ${state.slug}`,
    '',
    `Autopilot rewrites this file after every trial (${state.trials.length} so far; metric: ${state.metric}). Only ${NOTES_HEADING} is yours.`,
    '',
    ...section('Kept', of('kept'), limit),
    ...section('Reverted', of('reverted'), limit),
    ...section('Errors', of('error'), limit),
    ...section('Ideas', [...state.ideas].reverse().map((i) => `- ${i}`), limit),
    NOTES_HEADING,
    '',
    state.notes.replace(/\n*$/, '\n'),
  ].join('\n');
}

export function renderMemory(state: MemoryState): string {
  return render(state, Infinity);
}

/** The memory for a prompt: newest first, each section cut until the whole fits in `maxBytes`. */
export function memoryForPrompt(state: MemoryState, maxBytes = 8 * 1024): string {
  const longest = Math.max(state.ideas.length, ...(['kept', 'reverted', 'error'] as const).map((s) => state.trials.filter((t) => t.status === s).length));
  for (let limit = longest; limit > 0; limit--) {
    const text = render(state, limit);
    if (Buffer.byteLength(text) <= maxBytes) return text;
  }
  const text = render(state, 0);
  return Buffer.byteLength(text) <= maxBytes ? text : `${Buffer.from(text).subarray(0, maxBytes).toString('utf8')}\n… (memory cut at ${maxBytes} bytes)\n`;
}
