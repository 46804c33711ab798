/**
 * An agent that is a chat model rather than a command: it answers the prompt with the target's whole new
 * text in a fenced block and one JSON line. The model itself comes from the shell (VS Code's Language
 * Model API in the extension); this file only talks to the narrow interface below, so it is tested with
 * a fake model.
 */
import { writeFileSync } from 'node:fs';
import { UserError } from '../errors';
import { readAgentReport, type AgentReport } from './agentReport';
import type { Agent } from './commandAgent';

export interface ChatModel {
  /** Shown in the terminal and the journal, e.g. `copilot/gpt-4o`. */
  readonly name: string;
  /** Streams the model's reply to one user message. */
  reply(message: string, signal?: AbortSignal): AsyncIterable<string>;
  countTokens(text: string): Promise<number>;
}

/**
 * A model that cannot answer at all (the user declined access, the model is blocked or gone): thrown by
 * a ChatModel's `reply`, it ends the session with its one-line message instead of making every trial an
 * error. Any other error is one trial's error. Its name stays `UserError`: shells print it as one line.
 */
export class ModelRefusedError extends UserError {}

/** Appended to the prompt: a model cannot edit files, so it returns the file. */
export const MODEL_REPLY_FORMAT = [
  '## How to answer',
  'You cannot edit files here. Reply with the complete new content of the target in one fenced code block,',
  'then, on the last line, one line of JSON: {"description": "...", "hypothesis": "...", "ideas": ["..."]}',
].join('\n');

export interface ModelReply {
  /** The target's new text, if the reply held a fenced block. */
  text?: string;
  report: AgentReport;
}

/** The last fenced block of a reply (its info string dropped) and the JSON line after it. */
export function parseModelReply(reply: string): ModelReply {
  const lines = reply.replace(/\r\n/g, '\n').split('\n');
  let text: string | undefined;
  for (let i = lines.length - 1; i >= 0 && text === undefined; i--) {
    const close = /^(`{3,}|~{3,})\s*$/.exec(lines[i]);
    if (!close) continue;
    const fence = close[1];
    for (let j = i - 1; j >= 0; j--) {
      if (lines[j].startsWith(fence)) {
        text = `${lines.slice(j + 1, i).join('\n')}\n`;
        break;
      }
    }
  }
  return { text, report: readAgentReport(reply).report };
}

export interface ModelTrial {
  ok: boolean;
  /** Why the trial gives no candidate. */
  failure?: string;
  report: AgentReport;
  reply: string;
}

/** Asks the model, writes its text into the sandbox's target, and counts the tokens both ways. */
export async function proposeWithModel(model: ChatModel, prompt: string, target: string, signal?: AbortSignal, onChunk?: (chunk: string) => void): Promise<ModelTrial> {
  const message = `${prompt}\n${MODEL_REPLY_FORMAT}\n`;
  let reply = '';
  try {
    for await (const chunk of model.reply(message, signal)) {
      reply += chunk;
      onChunk?.(chunk);
    }
  } catch (err) {
    if (err instanceof ModelRefusedError) throw err;
    return { ok: false, failure: `${model.name}: ${(err as Error).message ?? err}`, report: {}, reply };
  }
  const parsed = parseModelReply(reply);
  const tokens = (await model.countTokens(message)) + (await model.countTokens(reply));
  const report = { ...parsed.report, tokens: parsed.report.tokens ?? tokens };
  if (parsed.text === undefined) return { ok: false, failure: `${model.name} replied without a fenced code block holding the new target`, report, reply };
  writeFileSync(target, parsed.text);
  return { ok: true, report, reply };
}

/**
 * The chat model as the session's agent: each trial asks it once and writes its text into the sandbox's
 * target. The reply streams to the terminal as a command agent's output does; a stop while it streams
 * cancels the request and makes the trial a cancelled one.
 */
export function modelAgent(model: ChatModel): Agent {
  return {
    label: model.name,
    async propose(call) {
      // The agent's time limit holds for a model too: a reply that never ends is one trial's error.
      const timeout = new AbortController();
      const timer = call.timeoutMs > 0 ? setTimeout(() => timeout.abort(), call.timeoutMs) : undefined;
      const signal = call.signal ? AbortSignal.any([call.signal, timeout.signal]) : timeout.signal;
      let trial: ModelTrial;
      try {
        trial = await proposeWithModel(model, call.prompt, call.target, signal, call.onOutput);
      } finally {
        clearTimeout(timer);
      }
      const tail = trial.reply.trim().split(/\r?\n/).slice(-5).join('\n');
      if (trial.reply && !trial.reply.endsWith('\n')) call.onOutput?.('\n');
      if (call.signal?.aborted) return { cancelled: true, failure: 'cancelled', report: trial.report, tail };
      if (timeout.signal.aborted) return { failure: `${model.name} did not finish within ${Math.round(call.timeoutMs / 1000)} s`, report: trial.report, tail };
      return { failure: trial.failure, report: trial.report, tail };
    },
  };
}
