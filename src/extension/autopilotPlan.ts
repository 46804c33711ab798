/**
 * What "Start Autopilot" decides from the settings before it starts anything: the `autoexp autopilot`
 * arguments, whether the agent is usable as configured, and whether to ask before running a command
 * that a workspace's own settings chose. No `vscode` import, so it is unit-tested without VS Code.
 */
import { DEFAULT_BUDGETS, type Budgets } from '../core/autopilot/budget';
import { quoteShellWords } from '../core/autopilot/shellWords';

export const AUTOPILOT_AGENTS = ['claude', 'codex', 'aider', 'opencode', 'command', 'vscode-lm'] as const;
export type AutopilotAgentSetting = (typeof AUTOPILOT_AGENTS)[number];

export interface AutopilotSettings {
  agent: AutopilotAgentSetting;
  command: string[];
  /** Whether `autoexp.autopilot.command` comes from the workspace's (or folder's) settings: a cloned repository's choice. */
  commandFromWorkspace: boolean;
  maxTrials: number;
  maxMinutes: number;
  maxCostUsd?: number;
  maxErrors: number;
}

/** `autoexp autopilot`'s agent and budget flags. */
export function autopilotCliArgs(s: AutopilotSettings): string[] {
  if (s.agent === 'vscode-lm') throw new Error('the vscode-lm agent runs in the extension, not through the CLI');
  const agent = s.agent === 'command' ? ['--agent-command', quoteShellWords(s.command)] : ['--agent', s.agent];
  const budgets = ['--max-trials', String(s.maxTrials), '--max-minutes', String(s.maxMinutes), '--max-errors', String(s.maxErrors)];
  if (s.maxCostUsd !== undefined) budgets.push('--max-cost', String(s.maxCostUsd));
  return [...agent, ...budgets];
}

/** The session's budgets from the settings, for the language-model agent that runs without the CLI; patience as the CLI's default. */
export function autopilotBudgets(s: AutopilotSettings): Budgets {
  return { maxTrials: s.maxTrials, maxMinutes: s.maxMinutes, maxErrors: s.maxErrors, patience: DEFAULT_BUDGETS.patience, ...(s.maxCostUsd !== undefined ? { maxCostUsd: s.maxCostUsd } : {}) };
}

/** Why the agent cannot run as configured, in words for the user; undefined when it can. */
export function agentProblem(s: AutopilotSettings): string | undefined {
  if (s.agent === 'command' && s.command.length === 0) return 'autoexp.autopilot.agent is "command" but autoexp.autopilot.command is empty: give the agent\'s argument array, such as ["python3", "my_agent.py"].';
  if (s.agent === 'command' && s.command[0].trim() === '') return 'the first word of autoexp.autopilot.command, the program to run, is empty.';
  return undefined;
}

/** A command chosen by the workspace's settings runs only once the user has allowed that exact command. */
export function needsConsent(s: AutopilotSettings): boolean {
  return s.agent === 'command' && s.commandFromWorkspace;
}

/** The workspaceState key that remembers the user allowed this exact argument array. */
export function consentKey(command: readonly string[]): string {
  return `autoexp.autopilot.allowedCommand:${JSON.stringify(command)}`;
}

/** The agent as the user reads it: the command line, or the preset's name. */
export function agentText(s: AutopilotSettings): string {
  if (s.agent === 'command') return quoteShellWords(s.command);
  return s.agent === 'vscode-lm' ? 'a VS Code language model' : s.agent;
}

/** The task's detail line: who proposes and the budgets. */
export function taskDetail(s: AutopilotSettings): string {
  const cost = s.maxCostUsd === undefined ? '' : `, $${s.maxCostUsd.toFixed(2)}`;
  return `${s.agent === 'command' ? (s.command[0] ?? 'command') : s.agent} proposes · up to ${s.maxTrials} trials, ${s.maxMinutes} min${cost}`;
}
