/**
 * Agent presets: the exact argument arrays for the coding agents people run at night, and how to read
 * what each prints. Every preset runs non-interactively, limits edits to the target where the tool can,
 * and reports cost and tokens where the tool does. Our own report (the JSON line the prompt asks for)
 * is read from the agent's final message.
 */
import { lastNonEmptyLine, readAgentReport, type AgentReport } from './agentReport';

export const PRESET_NAMES = ['claude', 'codex', 'aider', 'opencode'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export interface AgentInvocation {
  /** The prompt's file, also handed over as AUTOEXP_PROMPT_FILE. */
  promptFile: string;
  prompt: string;
  /** The target's path inside the sandbox. */
  target: string;
}

export interface AgentPreset {
  name: PresetName;
  argv(call: AgentInvocation): string[];
  /** Reads the tool's stdout into our report: its final message's JSON line, plus cost and tokens. */
  read(stdout: string): AgentReport;
}

function jsonLines(stdout: string): Record<string, unknown>[] {
  const values: Record<string, unknown>[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    if (!line.trim().startsWith('{')) continue;
    try {
      const value = JSON.parse(line);
      if (value && typeof value === 'object' && !Array.isArray(value)) values.push(value);
    } catch (err) {
      // Not every line of a tool's output is an event.
      if (!(err instanceof SyntaxError)) throw err;
    }
  }
  return values;
}

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const sum = (...values: Array<number | undefined>) => values.reduce<number>((s, v) => s + (v ?? 0), 0);
const get = (value: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);

/** Our report from the agent's final message, with the tool's own figures where the message has none. */
function withFigures(message: string | undefined, costUsd: number | undefined, tokens: number | undefined): AgentReport {
  const { report } = readAgentReport(message ?? '');
  return { ...report, cost_usd: report.cost_usd ?? costUsd, tokens: report.tokens ?? tokens };
}

/** Claude Code: `claude -p` reads the prompt on stdin; `--output-format json` ends with one result object. */
const claude: AgentPreset = {
  name: 'claude',
  argv: () => ['claude', '-p', '--output-format', 'json', '--permission-mode', 'acceptEdits', '--allowedTools', 'Read,Edit,Write'],
  read(stdout) {
    const result = jsonLines(stdout).filter((e) => e.type === 'result').pop();
    if (!result) return readAgentReport(stdout).report;
    const usage = result.usage;
    const tokens = usage ? sum(num(get(usage, 'input_tokens')), num(get(usage, 'output_tokens'))) : undefined;
    return withFigures(typeof result.result === 'string' ? result.result : undefined, num(result.total_cost_usd), tokens);
  },
};

/** Codex: `codex exec --json -` reads stdin and prints JSONL events; usage comes with turn.completed, cost not at all. */
const codex: AgentPreset = {
  name: 'codex',
  argv: () => ['codex', 'exec', '--json', '--sandbox', 'workspace-write', '--skip-git-repo-check', '-'],
  read(stdout) {
    const events = jsonLines(stdout);
    const turns = events.filter((e) => e.type === 'turn.completed');
    const tokens = turns.length ? sum(...turns.map((t) => sum(num(get(t, 'usage', 'input_tokens')), num(get(t, 'usage', 'output_tokens'))))) : undefined;
    const messages = events.filter((e) => e.type === 'item.completed' && get(e, 'item', 'type') === 'agent_message');
    const text = get(messages.pop(), 'item', 'text');
    return withFigures(typeof text === 'string' ? text : undefined, undefined, tokens);
  },
};

const TOKEN_COUNT = /([\d.]+)(k?)/;
const tokenCount = (text: string) => {
  const m = TOKEN_COUNT.exec(text);
  return m ? Math.round(Number(m[1]) * (m[2] ? 1000 : 1)) : 0;
};

/** aider: only the target is added to the chat, so only it can be edited; it prints `Tokens: … Cost: $… message`. */
const aider: AgentPreset = {
  name: 'aider',
  argv: ({ promptFile, target }) => ['aider', '--yes-always', '--no-git', '--no-auto-commits', '--no-pretty', '--no-stream', '--message-file', promptFile, target],
  read(stdout) {
    let costUsd: number | undefined;
    let tokens: number | undefined;
    for (const line of stdout.split(/\r?\n/)) {
      const m = /Tokens:\s*([\d.]+k?)\s+sent,\s*([\d.]+k?)\s+received\.\s*Cost:\s*\$([\d.]+)\s+message/.exec(line);
      if (m) {
        tokens = sum(tokens, tokenCount(m[1]) + tokenCount(m[2]));
        costUsd = sum(costUsd, Number(m[3]));
      }
    }
    return withFigures(lastNonEmptyLine(stdout), costUsd, tokens);
  },
};

/** opencode: `opencode run --format json` prints NDJSON; each step_finish carries its cost and tokens. */
const opencode: AgentPreset = {
  name: 'opencode',
  argv: ({ prompt }) => ['opencode', 'run', '--format', 'json', prompt],
  read(stdout) {
    const events = jsonLines(stdout);
    const steps = events.filter((e) => e.type === 'step_finish');
    const costUsd = steps.length ? sum(...steps.map((s) => num(get(s, 'part', 'cost')))) : undefined;
    const tokens = steps.length ? sum(...steps.map((s) => sum(num(get(s, 'part', 'tokens', 'input')), num(get(s, 'part', 'tokens', 'output'))))) : undefined;
    const text = get(events.filter((e) => e.type === 'text').pop(), 'part', 'text');
    return withFigures(typeof text === 'string' ? text : undefined, costUsd, tokens);
  },
};

export const PRESETS: Record<PresetName, AgentPreset> = { claude, codex, aider, opencode };

