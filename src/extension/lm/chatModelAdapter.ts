/**
 * A VS Code language model (`vscode.LanguageModelChat`) as core's `ChatModel`: one user message per
 * trial, its streamed text passed on chunk by chunk, the session's AbortSignal turned into the
 * request's CancellationToken, and the model's own token count. Typed by the shape it uses, with no
 * `vscode` import, so it is unit-tested with a fake model; ./languageModel.ts hands it the real one.
 */
import { oneLine } from '../../core/errors';
import { ModelRefusedError, type ChatModel } from '../../core/autopilot/modelAgent';

/** What the adapter uses of `vscode.LanguageModelChat`. */
export interface LanguageModelChatLike<Message, Token> {
  readonly id: string;
  readonly name: string;
  readonly vendor: string;
  readonly family: string;
  sendRequest(messages: Message[], options: { justification?: string }, token: Token): PromiseLike<{ readonly text: AsyncIterable<string> }>;
  countTokens(text: string, token?: Token): PromiseLike<number>;
}

/** What it uses of `vscode.CancellationTokenSource`. */
export interface CancellationSourceLike<Token> {
  readonly token: Token;
  cancel(): void;
  dispose(): void;
}

/** The two VS Code constructors the adapter needs, passed in: `LanguageModelChatMessage.User` and a token source. */
export interface AdapterParts<Message, Token> {
  userMessage(text: string): Message;
  cancellation(): CancellationSourceLike<Token>;
}

/** Shown by VS Code's consent dialog the first time Autoexp asks a model. */
export const JUSTIFICATION = "Autoexp's Autopilot asks the model for a new version of an experiment's target file, once per trial, and measures it.";

/** `copilot/gpt-4o`: the model in the terminal, the journal and results.tsv's error rows. */
export function modelLabel(model: Pick<LanguageModelChatLike<unknown, unknown>, 'vendor' | 'family'>): string {
  return `${model.vendor}/${model.family}`;
}

/**
 * The errors after which no trial can get an answer (`vscode.LanguageModelError` codes), as the one
 * line that ends the session; undefined for any other error, which is one trial's error.
 */
export function refusalOf(label: string, err: unknown): ModelRefusedError | undefined {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  const detail = err instanceof Error && err.message && err.message !== code ? ` (${oneLine(err)})` : '';
  switch (code) {
    case 'NoPermissions':
      return new ModelRefusedError(`${label}: Autoexp may not use this language model${detail}. Allow it when VS Code asks, or under Accounts > Manage Language Model Access, then start Autopilot again; or choose a command agent in autoexp.autopilot.agent.`);
    case 'Blocked':
      return new ModelRefusedError(`${label}: the language model refused the request${detail}, for instance over a quota. Try again later or choose another agent in autoexp.autopilot.agent.`);
    case 'NotFound':
      return new ModelRefusedError(`${label}: this language model is no longer available${detail}. Start Autopilot again to choose another.`);
    default:
      return undefined;
  }
}

export function chatModelOf<Message, Token>(model: LanguageModelChatLike<Message, Token>, parts: AdapterParts<Message, Token>): ChatModel {
  const name = modelLabel(model);
  return {
    name,
    async *reply(message, signal) {
      const source = parts.cancellation();
      const cancel = () => source.cancel();
      if (signal?.aborted) cancel();
      else signal?.addEventListener('abort', cancel, { once: true });
      try {
        const response = await model.sendRequest([parts.userMessage(message)], { justification: JUSTIFICATION }, source.token);
        for await (const chunk of response.text) {
          // A stream that does not heed its token still stops here: nothing after a stop is used.
          if (signal?.aborted) return;
          yield chunk;
        }
      } catch (err) {
        throw refusalOf(name, err) ?? err;
      } finally {
        signal?.removeEventListener('abort', cancel);
        source.dispose();
      }
    },
    countTokens: async (text) => model.countTokens(text),
  };
}

/** The workspaceState key of the model chosen in this workspace (its id). */
export const CHOSEN_MODEL_KEY = 'autoexp.autopilot.languageModel';

export type ModelChoice<M> = { model: M } | { ask: true; missing?: string } | { none: true };

/**
 * Which model a session uses: the only one, or the one chosen before in this workspace; otherwise the
 * user is asked, told when the one chosen before is gone.
 */
export function modelChoice<M extends { id: string }>(models: readonly M[], remembered: string | undefined): ModelChoice<M> {
  if (models.length === 0) return { none: true };
  if (models.length === 1) return { model: models[0] };
  const found = models.find((m) => m.id === remembered);
  if (found) return { model: found };
  return remembered === undefined ? { ask: true } : { ask: true, missing: remembered };
}
