/** "Autoexp: Validate Packs": the language server checks every pack; the counts go to a message. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { packHealth } from '../../core/summary';
import { VALIDATE_ALL, ValidateAllResult } from '../../shared/protocol';

export async function validatePacks(client: LanguageClient | undefined, log: vscode.LogOutputChannel): Promise<ValidateAllResult | undefined> {
  if (!client?.isRunning()) {
    void vscode.window.showErrorMessage('Autoexp: the pack language server is not running; see the Autoexp output.');
    return undefined;
  }
  const result = ValidateAllResult.parse(await client.sendRequest(VALIDATE_ALL));
  const withErrors = result.packs.filter((p) => packHealth(p) === 'errors').length;
  const withWarnings = result.packs.filter((p) => packHealth(p) === 'warnings').length;
  const summary = `${result.packs.length} pack(s): ${withErrors} with errors, ${withWarnings} with warnings only`;
  log.info(`validated ${summary} in ${Math.round(result.durationMs)} ms`);
  if (withErrors + withWarnings > 0) {
    void vscode.window.showWarningMessage(`Autoexp: ${summary}.`, 'Show Problems').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
  } else {
    void vscode.window.showInformationMessage(`Autoexp: ${summary}.`);
  }
  return result;
}
