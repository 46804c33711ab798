/** Commands that run Python need a trusted workspace; in restricted mode they say why and stop. */
import * as vscode from 'vscode';

export function requireTrust(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(`Autoexp: ${action} runs the pack's Python scripts, so it needs a trusted workspace.`, 'Manage Workspace Trust')
    .then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
  return false;
}
