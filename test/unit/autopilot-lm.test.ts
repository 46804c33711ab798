/**
 * The `vscode-lm` agent without VS Code: the adapter from a LanguageModelChat-shaped object to core's
 * ChatModel, and whole sessions the extension's Pseudoterminal runs, on a real pack in a git repository
 * with real Python measuring. No VS Code here can give a model (code-server 1.100 has none, and a test
 * model provider needs API 1.104), so the model is a fake with the same shape.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { ModelRefusedError } from '../../src/core/autopilot/modelAgent';
import { readJournal, runsOfPack } from '../../src/core/run/journal';
import { EXIT_CANCELLED } from '../../src/core/run/exitCodes';
import { chatModelOf, JUSTIFICATION, modelChoice, refusalOf, type AdapterParts } from '../../src/extension/lm/chatModelAdapter';
import { runModelSession, toTerminalText } from '../../src/extension/lm/modelSession';
import type { AutopilotSettings } from '../../src/extension/autopilotPlan';
import { BASELINE, FIXED, smokeRepo } from './support/smokeRepo';

/** What `vscode.CancellationToken` and its source do, as far as the adapter uses them. */
class FakeToken {
  isCancellationRequested = false;
  private readonly listeners: (() => void)[] = [];
  onCancellationRequested(listener: () => void) {
    this.listeners.push(listener);
    return { dispose: () => undefined };
  }
  fire() {
    this.isCancellationRequested = true;
    for (const l of this.listeners) l();
  }
}
class FakeSource {
  readonly token = new FakeToken();
  disposed = false;
  cancel() {
    this.token.fire();
  }
  dispose() {
    this.disposed = true;
  }
}

interface Message {
  role: 'user';
  text: string;
}

interface Request {
  messages: Message[];
  options: { justification?: string };
  token: FakeToken;
}

/**
 * A LanguageModelChat-shaped fake: `answer` gives each request's reply (split in chunks of 9
 * characters), or throws; `hold` makes the stream wait after its first chunk until the token is cancelled.
 */
function fakeChatModel(answer: (message: string, n: number) => string, hold = false) {
  const requests: Request[] = [];
  const counted: string[] = [];
  return {
    id: 'fake-model-1',
    name: 'Fake Model 1',
    vendor: 'fake',
    family: 'model-1',
    requests,
    counted,
    async sendRequest(messages: Message[], options: { justification?: string }, token: FakeToken) {
      requests.push({ messages, options, token });
      const reply = answer(messages[0].text, requests.length);
      return {
        text: (async function* () {
          for (let i = 0; i < reply.length; i += 9) {
            if (token.isCancellationRequested) return;
            yield reply.slice(i, i + 9);
            await new Promise((r) => setImmediate(r));
            if (hold) await new Promise<void>((resolve) => (token.isCancellationRequested ? resolve() : token.onCancellationRequested(resolve)));
          }
        })(),
      };
    },
    async countTokens(text: string) {
      counted.push(text);
      return Math.ceil(text.length / 4);
    },
  };
}

const sources: FakeSource[] = [];
const PARTS: AdapterParts<Message, FakeToken> = {
  userMessage: (text) => ({ role: 'user', text }),
  cancellation: () => {
    const source = new FakeSource();
    sources.push(source);
    return source;
  },
};

async function collect(chunks: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const c of chunks) out.push(c);
  return out;
}

function languageModelError(code: string, message = code): Error & { code: string } {
  return Object.assign(new Error(message), { name: 'LanguageModelError', code });
}

describe('the LanguageModelChat adapter', () => {
  test('one user message with the justification; the streamed chunks joined as they came', async () => {
    const lm = fakeChatModel(() => 'Here you are:\n```python\nx = 1\n```\n{"description": "one"}\n');
    const model = chatModelOf(lm, PARTS);
    assert.equal(model.name, 'fake/model-1');
    const chunks = await collect(model.reply('the prompt'));
    assert.ok(chunks.length > 3, 'streamed in several chunks');
    assert.equal(chunks.join(''), 'Here you are:\n```python\nx = 1\n```\n{"description": "one"}\n');
    assert.deepEqual(lm.requests[0].messages, [{ role: 'user', text: 'the prompt' }]);
    assert.equal(lm.requests[0].options.justification, JUSTIFICATION);
    assert.equal(sources.at(-1)!.disposed, true, 'the token source is disposed after the reply');
  });

  test('an abort while streaming cancels the request and ends the stream', async () => {
    const lm = fakeChatModel(() => 'a'.repeat(90), true);
    const model = chatModelOf(lm, PARTS);
    const controller = new AbortController();
    const chunks: string[] = [];
    for await (const c of model.reply('p', controller.signal)) {
      chunks.push(c);
      controller.abort();
    }
    assert.deepEqual(chunks, ['a'.repeat(9)]);
    assert.equal(lm.requests[0].token.isCancellationRequested, true);
    // Aborted before it asks: the request goes out already cancelled.
    const early = new AbortController();
    early.abort();
    assert.deepEqual(await collect(model.reply('p', early.signal)), []);
    assert.equal(lm.requests[1].token.isCancellationRequested, true);
  });

  test('countTokens is the model\'s own count', async () => {
    const lm = fakeChatModel(() => '');
    assert.equal(await chatModelOf(lm, PARTS).countTokens('twelve chars'), 3);
    assert.deepEqual(lm.counted, ['twelve chars']);
  });

  test('NoPermissions, Blocked and NotFound end the session in one line; other errors stay a trial\'s error', async () => {
    const refused = refusalOf('copilot/gpt-4o', languageModelError('NoPermissions'));
    assert.ok(refused instanceof ModelRefusedError);
    assert.equal(refused.message.includes('\n'), false);
    assert.match(refused.message, /^copilot\/gpt-4o: Autoexp may not use this language model\. Allow it when VS Code asks/);
    assert.match(refusalOf('m', languageModelError('Blocked', 'quota exceeded'))!.message, /^m: the language model refused the request \(quota exceeded\)/);
    assert.match(refusalOf('m', languageModelError('NotFound'))!.message, /^m: this language model is no longer available\. Start Autopilot again/);
    assert.equal(refusalOf('m', new Error('socket hang up')), undefined);

    const lm = fakeChatModel(() => {
      throw languageModelError('NoPermissions', 'The user did not consent.');
    });
    await assert.rejects(collect(chatModelOf(lm, PARTS).reply('p')), (err: Error) => err instanceof ModelRefusedError && /Autoexp may not use this language model \(The user did not consent\.\)/.test(err.message));
    const flaky = fakeChatModel(() => {
      throw new Error('socket hang up');
    });
    await assert.rejects(collect(chatModelOf(flaky, PARTS).reply('p')), (err: Error) => !(err instanceof ModelRefusedError) && err.message === 'socket hang up');
  });

  test('the model: the only one, the one chosen before, else ask (saying when the one chosen before is gone)', () => {
    const a = { id: 'a' };
    const b = { id: 'b' };
    assert.deepEqual(modelChoice([], 'a'), { none: true });
    assert.deepEqual(modelChoice([b], 'a'), { model: b });
    assert.deepEqual(modelChoice([a, b], 'b'), { model: b });
    assert.deepEqual(modelChoice([a, b], undefined), { ask: true });
    assert.deepEqual(modelChoice([a, b], 'gone'), { ask: true, missing: 'gone' });
  });

  test('a pseudoterminal gets CRLF line endings', () => {
    assert.equal(toTerminalText('a\nb\r\nc'), 'a\r\nb\r\nc');
  });
});

const SETTINGS: AutopilotSettings = { agent: 'vscode-lm', command: [], commandFromWorkspace: false, maxTrials: 4, maxMinutes: 30, maxErrors: 5 };
const BAD = 'def count_words(text):\n    return 0\n';
const fenced = (text: string, report: object) => `I will try this.\n\n\`\`\`python\n${text}\`\`\`\n${JSON.stringify(report)}\n`;
const rows = (pack: string) => readFileSync(path.join(pack, 'results.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));

async function session(pack: string, lm: ReturnType<typeof fakeChatModel>, signal = new AbortController().signal, settings = SETTINGS) {
  let written = '';
  const code = await runModelSession({ pack, python: 'python3', model: chatModelOf(lm, PARTS), settings, timeoutSeconds: 60, inlineDiffs: true, color: false, signal, clock: () => 0, write: (d) => (written += d) });
  return { code, written, lines: written.split('\r\n') };
}

describe('a vscode-lm session over the adapter', () => {
  test('a bad candidate reverted, a good one kept, a reply without a block and a no-change as errors; tokens in the journal', async () => {
    const { repo, pack } = smokeRepo();
    const lm = fakeChatModel((_message, n) => {
      if (n === 1) return fenced(BAD, { description: 'always zero', hypothesis: 'zero is simpler', ideas: ['split on whitespace'] });
      if (n === 2) return fenced(FIXED, { description: 'split on whitespace', hypothesis: 'runs of spaces miscount' });
      if (n === 3) return 'I am not sure what to change.';
      return fenced(FIXED, { description: 'the same again' });
    });
    const { code, written, lines } = await session(pack, lm);
    assert.equal(code, 0, written);
    assert.equal(/[^\r]\n/.test(written), false, 'every line ends in CRLF');
    assert.deepEqual(
      lines.filter((l) => /^(BASELINE|TRIAL|AUTOPILOT)/.test(l)).map((l) => l.replace(/session ap-\S+/, 'session S')),
      [
        'AUTOPILOT started session S with fake/model-1: 4 trial(s), 30 min left',
        'BASELINE 0.2000',
        'AUTOPILOT trial 1: fake/model-1 is proposing (4 trial(s), 30 min left)',
        'TRIAL 1 REVERTED score=0.2000 proposal=0001-always-zero.py',
        'AUTOPILOT trial 2: fake/model-1 is proposing (3 trial(s), 30 min left)',
        'TRIAL 2 KEPT score=1.0000 proposal=0002-split-on-whitespace.py',
        'AUTOPILOT trial 3: fake/model-1 is proposing (2 trial(s), 30 min left)',
        'TRIAL 3 ERROR score=- proposal=fake/model-1 reason=fake/model-1 replied without a fenced code block holding the new target',
        'AUTOPILOT trial 4: fake/model-1 is proposing (1 trial(s), 30 min left)',
        'TRIAL 4 ERROR score=- proposal=fake/model-1 reason=agent proposed no change',
        lines.find((l) => l.startsWith('AUTOPILOT stopped'))!,
      ],
    );
    assert.match(written, /  hypothesis: runs of spaces miscount\r\n/);
    assert.match(written, /I will try this\.\r\n/, 'the reply streams into the terminal');
    assert.deepEqual(
      rows(pack).map((r) => [r[1], r[2], r[3], r[4], r[5], r[6]]),
      [
        ['1', 'reverted', '0.2000', '0.2000', '0001-always-zero.py', 'always zero'],
        ['2', 'kept', '0.2000', '1.0000', '0002-split-on-whitespace.py', 'split on whitespace'],
        ['3', 'error', '1.0000', '', 'fake/model-1', '(fake/model-1 replied without a fenced code block holding the new target)'],
        ['4', 'error', '1.0000', '', 'fake/model-1', 'the same again (agent proposed no change)'],
      ],
    );
    assert.equal(readFileSync(path.join(pack, 'candidate.py'), 'utf8'), FIXED);
    // The second prompt carries what the first trial tried; the model was asked once a trial.
    assert.equal(lm.requests.length, 4);
    assert.match(lm.requests[1].messages[0].text, /always zero/);
    assert.match(lm.requests[0].messages[0].text, /## How to answer\nYou cannot edit files here/);

    const [run] = runsOfPack(readJournal(repo), pack);
    assert.equal(run.autopilot?.agent, 'fake/model-1');
    const tokens = run.autopilot!.trials.map((t) => t.tokens);
    assert.equal(tokens.length, 4);
    for (const [i, t] of tokens.entries()) assert.ok(typeof t === 'number' && t > 0, `trial ${i + 1} has its tokens: ${t}`);
    const total = tokens.reduce((a, b) => a! + b!, 0);
    assert.match(lines.find((l) => l.startsWith('AUTOPILOT stopped'))!, new RegExp(`^AUTOPILOT stopped: ran 4 trial\\(s\\) of --max-trials 4\\. 4 trial\\(s\\): 1 kept, 1 reverted, 2 error\\(s\\); best 1\\.0000 \\(baseline 0\\.2000\\); \\$0\\.00, ${total} tokens$`));
  });

  test('a model the user did not allow ends the session with one line, the target untouched and no row', async () => {
    const { repo, pack } = smokeRepo();
    const before = readFileSync(path.join(pack, 'results.tsv'), 'utf8');
    const lm = fakeChatModel(() => {
      throw languageModelError('NoPermissions', 'The user did not grant access.');
    });
    const { code, lines } = await session(pack, lm);
    assert.equal(code, 1);
    const last = lines.filter(Boolean).at(-1)!;
    assert.match(last, /^autoexp: fake\/model-1: Autoexp may not use this language model \(The user did not grant access\.\)\. Allow it when VS Code asks/);
    assert.equal(lines.some((l) => /^\s+at /.test(l)), false, 'no stack');
    assert.equal(readFileSync(path.join(pack, 'results.tsv'), 'utf8'), before);
    assert.equal(readFileSync(path.join(pack, 'candidate.py'), 'utf8'), BASELINE);
    assert.equal(runsOfPack(readJournal(repo), pack)[0].status, 'error');
  });

  test('closing the terminal mid-reply cancels the request; the target stays as it was', async () => {
    const { repo, pack } = smokeRepo();
    const controller = new AbortController();
    const lm = fakeChatModel(() => fenced(BAD, { description: 'never finished' }), true);
    const started = session(pack, lm, controller.signal);
    while (lm.requests.length === 0) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    const { code, lines } = await started;
    assert.equal(code, EXIT_CANCELLED);
    assert.equal(lm.requests[0].token.isCancellationRequested, true);
    assert.match(lines.find((l) => l.startsWith('AUTOPILOT stopped'))!, /^AUTOPILOT stopped: cancelled\. 1 trial\(s\): 0 kept, 0 reverted, 0 error\(s\)/);
    assert.equal(readFileSync(path.join(pack, 'candidate.py'), 'utf8'), BASELINE);
    assert.deepEqual(rows(pack), []);
    assert.equal(runsOfPack(readJournal(repo), pack)[0].status, 'cancelled');
  });
});
