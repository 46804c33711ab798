/** The chat-model agent with a fake model: VS Code's language models cannot run in these tests. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { modelAgent, ModelRefusedError, parseModelReply, proposeWithModel, type ChatModel } from '../../src/core/autopilot/modelAgent';
import type { AgentCall } from '../../src/core/autopilot/commandAgent';
import { tempDir } from './helpers';

/** Replies with a fixed text in small chunks, counts a token per 4 characters, as a stand-in for a real model. */
function fakeModel(reply: string, fail?: string): ChatModel & { asked: string[] } {
  const asked: string[] = [];
  return {
    name: 'fake/model-1',
    asked,
    async *reply(message) {
      asked.push(message);
      if (fail) throw new Error(fail);
      for (let i = 0; i < reply.length; i += 7) yield reply.slice(i, i + 7);
    },
    countTokens: async (text) => Math.ceil(text.length / 4),
  };
}

const REPLY = 'Here is the change.\n\n```python\ndef reverse_words(s):\n    return " ".join(reversed(s.split()))\n```\n{"description": "reverse with split", "hypothesis": "split handles runs of spaces"}\n';

describe('parseModelReply', () => {
  test('the last fenced block, without its info string, and the JSON line', () => {
    assert.deepEqual(parseModelReply(REPLY), {
      text: 'def reverse_words(s):\n    return " ".join(reversed(s.split()))\n',
      report: { description: 'reverse with split', hypothesis: 'split handles runs of spaces' },
    });
  });
  test('a longer fence keeps inner backticks; no fence gives no text', () => {
    assert.equal(parseModelReply('````md\nuse ``` here\n````\n').text, 'use ``` here\n');
    assert.equal(parseModelReply('I would rather not.').text, undefined);
  });
});

describe('proposeWithModel', () => {
  test('writes the new text into the sandbox target and counts tokens both ways', async () => {
    const target = path.join(tempDir(), 'candidate.py');
    writeFileSync(target, 'old\n');
    const model = fakeModel(REPLY);
    const chunks: string[] = [];
    const trial = await proposeWithModel(model, '# Autopilot trial 1\n', target, undefined, (c) => chunks.push(c));
    assert.equal(trial.ok, true);
    assert.equal(readFileSync(target, 'utf8'), 'def reverse_words(s):\n    return " ".join(reversed(s.split()))\n');
    assert.match(model.asked[0], /^# Autopilot trial 1\n\n## How to answer\n/);
    assert.equal(trial.report.tokens, Math.ceil(model.asked[0].length / 4) + Math.ceil(REPLY.length / 4));
    assert.equal(chunks.join(''), REPLY);
  });
  test('a reply without a block, or a failing model, gives no candidate and says why', async () => {
    const target = path.join(tempDir(), 'candidate.py');
    writeFileSync(target, 'old\n');
    const none = await proposeWithModel(fakeModel('No.'), 'p', target);
    assert.deepEqual([none.ok, none.failure], [false, 'fake/model-1 replied without a fenced code block holding the new target']);
    const broken = await proposeWithModel(fakeModel('', 'quota exceeded'), 'p', target);
    assert.deepEqual([broken.ok, broken.failure], [false, 'fake/model-1: quota exceeded']);
    assert.equal(readFileSync(target, 'utf8'), 'old\n');
  });
});

describe('modelAgent: the chat model as the session\'s agent', () => {
  const call = (target: string, extra: Partial<AgentCall> = {}): AgentCall => ({ trial: 1, prompt: 'p', promptFile: '/nowhere', root: path.dirname(target), pack: path.dirname(target), target, timeoutMs: 60_000, ...extra });

  test('writes the candidate, reports its tokens, streams the reply as output', async () => {
    const target = path.join(tempDir(), 'candidate.py');
    writeFileSync(target, 'old\n');
    const out: string[] = [];
    const outcome = await modelAgent(fakeModel(REPLY)).propose(call(target, { onOutput: (c) => out.push(c) }));
    assert.equal(outcome.failure, undefined);
    assert.equal(outcome.report.description, 'reverse with split');
    assert.ok((outcome.report.tokens ?? 0) > 0);
    assert.equal(out.join(''), REPLY);
    assert.match(readFileSync(target, 'utf8'), /reversed\(s\.split\(\)\)/);
  });

  test('a refused model ends the session (throws); a reply past the agent time limit is the trial\'s error', async () => {
    const target = path.join(tempDir(), 'candidate.py');
    writeFileSync(target, 'old\n');
    const refusing: ChatModel = {
      name: 'fake/model-1',
      async *reply() {
        throw new ModelRefusedError('fake/model-1: no access');
      },
      countTokens: async () => 0,
    };
    await assert.rejects(modelAgent(refusing).propose(call(target)), /^ModelRefusedError|no access/);
    const slow: ChatModel = {
      name: 'fake/slow',
      async *reply(_message, signal) {
        yield 'thinking';
        await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve(), { once: true }));
      },
      countTokens: async () => 1,
    };
    const outcome = await modelAgent(slow).propose(call(target, { timeoutMs: 50 }));
    assert.equal(outcome.failure, 'fake/slow did not finish within 0 s');
    assert.equal(outcome.cancelled, undefined);
    const stopped = new AbortController();
    setTimeout(() => stopped.abort(), 20);
    const cancelled = await modelAgent(slow).propose(call(target, { signal: stopped.signal }));
    assert.deepEqual([cancelled.cancelled, cancelled.failure], [true, 'cancelled']);
    assert.equal(readFileSync(target, 'utf8'), 'old\n');
  });
});
