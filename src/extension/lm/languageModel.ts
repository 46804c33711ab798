/**
 * VS Code's side of the language-model agent: the models there are, the one the user picks (remembered
 * per workspace), and the real `vscode.LanguageModelChat` handed to ./chatModelAdapter.ts.
 */
import * as vscode from 'vscode';
import type { ChatModel } from '../../core/autopilot/modelAgent';
import { CHOSEN_MODEL_KEY, chatModelOf, modelChoice, modelLabel } from './chatModelAdapter';

/** The chat models of this VS Code; none in code-server or without a chat extension. */
export async function languageModels(): Promise<readonly vscode.LanguageModelChat[]> {
  try {
    return (await vscode.lm?.selectChatModels()) ?? [];
  } catch {
    return [];
  }
}

export function toChatModel(model: vscode.LanguageModelChat): ChatModel {
  return chatModelOf<vscode.LanguageModelChatMessage, vscode.CancellationToken>(model, {
    userMessage: (text) => vscode.LanguageModelChatMessage.User(text),
    cancellation: () => new vscode.CancellationTokenSource(),
  });
}

/**
 * The model for a session: the only one, the one chosen before in this workspace, or the user's pick
 * from a quick pick, which is remembered. Undefined when there is none or the pick was dismissed.
 */
export async function chooseLanguageModel(state: vscode.Memento): Promise<vscode.LanguageModelChat | undefined> {
  const models = await languageModels();
  const choice = modelChoice(models, state.get<string>(CHOSEN_MODEL_KEY));
  if ('none' in choice) return undefined;
  if ('model' in choice) return choice.model;
  const items = models.map((model) => ({ label: model.name, description: modelLabel(model), model }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Autoexp: Autopilot Language Model',
    placeHolder: choice.missing
      ? `The model chosen before (${choice.missing}) is not available; choose the model that proposes each trial`
      : 'The model that proposes each trial (remembered for this workspace)',
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  await state.update(CHOSEN_MODEL_KEY, picked.model.id);
  return picked.model;
}
