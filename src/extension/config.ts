/**
 * The `autoexp.*` settings, read here and nowhere else. settings.json is hand-edited, so each value is
 * checked with zod; a value of the wrong shape counts as unset rather than reaching a command.
 */
import * as vscode from 'vscode';
import { z } from 'zod';
import type { Engine } from '../core/run/context';
import { DEFAULT_TIMEOUT_SECONDS } from '../core/measure';
import { DEFAULT_EXPERIMENTS_FOLDERS } from '../core/packFormat';
import { DEFAULT_BUDGETS } from '../core/autopilot/budget';
import { AUTOPILOT_AGENTS, type AutopilotSettings } from './autopilotPlan';

export const SECTION = 'autoexp';

function commandFromWorkspace(resource?: vscode.Uri): boolean {
  const inspected = vscode.workspace.getConfiguration(SECTION, resource).inspect('autopilot.command');
  return inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined;
}

function read<T>(key: string, schema: z.ZodType<T>, fallback: T, resource?: vscode.Uri): T {
  const parsed = schema.safeParse(vscode.workspace.getConfiguration(SECTION, resource).get(key));
  return parsed.success ? parsed.data : fallback;
}

export const Config = {
  /** Folder paths that hold packs, matched at any depth of the workspace. */
  experimentsFolders: (): string[] => read('experimentsFolders', z.array(z.string()), [...DEFAULT_EXPERIMENTS_FOLDERS]),
  /** Globs for the files of those folders, at any depth, for file watchers and document selectors. */
  experimentsGlobs: (): string[] => Config.experimentsFolders().map((f) => `**/${f.replace(/^[/\\]+|[/\\]+$/g, '')}/**`),
  /** Undefined: the Python extension's interpreter, then PATH. */
  pythonPath: (resource?: vscode.Uri): string | undefined => read('pythonPath', z.string(), '', resource).trim() || undefined,
  trialTimeoutSeconds: (resource?: vscode.Uri): number => read('trialTimeoutSeconds', z.number().positive(), DEFAULT_TIMEOUT_SECONDS, resource),
  trialTimeoutMs: (resource?: vscode.Uri): number => Config.trialTimeoutSeconds(resource) * 1000,
  /** Undefined ("auto"): core's chooseEngine decides from the pack. */
  engine: (resource?: vscode.Uri): Engine | undefined => read<Engine | undefined>('engine', z.enum(['pack', 'native']), undefined, resource),
  inlineDiffs: (resource?: vscode.Uri): boolean => read('terminal.inlineDiffs', z.boolean(), true, resource),
  autopilot: (resource?: vscode.Uri): AutopilotSettings => ({
    agent: read('autopilot.agent', z.enum(AUTOPILOT_AGENTS), 'claude', resource),
    command: read('autopilot.command', z.array(z.string()), [], resource),
    /** Whether the command comes from the workspace's own settings: a cloned repository's choice. */
    commandFromWorkspace: commandFromWorkspace(resource),
    maxTrials: read('autopilot.maxTrials', z.number().int().positive(), DEFAULT_BUDGETS.maxTrials, resource),
    maxMinutes: read('autopilot.maxMinutes', z.number().positive(), DEFAULT_BUDGETS.maxMinutes, resource),
    maxCostUsd: read<number | undefined>('autopilot.maxCostUsd', z.number().nonnegative(), undefined, resource),
    maxErrors: read('autopilot.maxErrors', z.number().int().positive(), DEFAULT_BUDGETS.maxErrors, resource),
  }),
  /** Whether a settings change touches a setting that decides which folders hold packs. */
  experimentsFoldersChanged: (e: vscode.ConfigurationChangeEvent): boolean => e.affectsConfiguration(`${SECTION}.experimentsFolders`),
};
