/**
 * What stands between a configured agent and its first trial: the agent must be usable (a language
 * model present, a command given), and a command the workspace's settings chose must be allowed by
 * the user once. Start Autopilot and an autopilot task from tasks.json both pass here.
 */
import * as vscode from 'vscode';
import { agentProblem, agentText, consentKey, needsConsent, type AutopilotSettings } from './autopilotPlan';
import { languageModels } from './lm/languageModel';

const openSetting = (id: string) => vscode.commands.executeCommand('workbench.action.openSettings', id);

/**
 * A command the workspace's own settings chose runs only once the user has read it and allowed it;
 * the answer is remembered for that exact argument array in this workspace.
 */
export async function confirmWorkspaceCommand(state: vscode.Memento, settings: AutopilotSettings): Promise<boolean> {
  if (!needsConsent(settings)) return true;
  const key = consentKey(settings.command);
  if (state.get<boolean>(key) === true) return true;
  const allow = 'Allow and Start';
  const choice = await vscode.window.showWarningMessage(
    'Autoexp: this workspace\'s settings choose the Autopilot agent',
    {
      modal: true,
      detail: `autoexp.autopilot.command runs this command once per trial, in a sandbox copy of the repository:\n\n${agentText(settings)}\n\nOnly its change to the pack's target is kept. Start it only if you trust this repository's settings.`,
    },
    allow,
  );
  if (choice !== allow) return false;
  await state.update(key, true);
  return true;
}

async function offerCommandAgents(message: string): Promise<void> {
  const choose = 'Choose an Agent';
  const command = 'Set Agent Command';
  const choice = await vscode.window.showWarningMessage(message, choose, command);
  if (choice === choose) await openSetting('autoexp.autopilot.agent');
  if (choice === command) await openSetting('autoexp.autopilot.command');
}

/** Whether the configured agent can run; says why not, with a way to fix it, when it cannot. */
export async function agentReady(settings: AutopilotSettings): Promise<boolean> {
  if (settings.agent === 'vscode-lm') {
    // The language-model agent needs a model; code-server and VS Code without a chat extension have none.
    if ((await languageModels()).length > 0) return true;
    await offerCommandAgents(
      'Autoexp: no language model is available in this VS Code, so Autopilot cannot use the "vscode-lm" agent. Choose a command agent instead: claude, codex, aider, opencode, or your own command.',
    );
    return false;
  }
  const problem = agentProblem(settings);
  if (problem) {
    const open = 'Open Settings';
    if ((await vscode.window.showErrorMessage(`Autoexp: ${problem}`, open)) === open) await openSetting('autoexp.autopilot.command');
    return false;
  }
  return true;
}
