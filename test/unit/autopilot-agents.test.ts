/**
 * Agent command lines and what agents print. No real agent runs here (no network): the sample outputs
 * below are written by us in each tool's documented shape.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readAgentReport } from '../../src/core/autopilot/agentReport';
import { PRESETS } from '../../src/core/autopilot/presets';
import { splitShellWords } from '../../src/core/autopilot/shellWords';

const REPORT = '{"description": "memoise the tokenizer", "hypothesis": "tokenizing twice wastes time", "ideas": ["cache the regex"]}';
const call = { promptFile: '/tmp/s/prompt.md', prompt: 'Improve it.', target: '/tmp/s/candidate.py' };

describe('--agent-command is split as a shell splits words, and never run through one', () => {
  test('quotes, escapes and empty words, as Python shlex splits them', () => {
    assert.deepEqual(splitShellWords(`python3 agent.py --flag "a b" 'c d' e\\ f`), { ok: true, words: ['python3', 'agent.py', '--flag', 'a b', 'c d', 'e f'] });
    assert.deepEqual(splitShellWords(`x "a\\"b" 'it'"'"'s' "" y`), { ok: true, words: ['x', 'a"b', "it's", '', 'y'] });
    assert.deepEqual(splitShellWords('agent; rm -rf ~ $(id)'), { ok: true, words: ['agent;', 'rm', '-rf', '~', '$(id)'] });
  });
  test('unclosed quotes and an empty command are errors', () => {
    assert.deepEqual(splitShellWords('agent "oops'), { ok: false, error: 'unclosed double quote at character 7' });
    assert.deepEqual(splitShellWords("agent 'oops"), { ok: false, error: 'unclosed single quote at character 7' });
    assert.deepEqual(splitShellWords('   '), { ok: false, error: 'the command is empty' });
  });
});

describe('the agent report', () => {
  test('the last line as JSON', () => {
    assert.deepEqual(readAgentReport(`thinking...\n${REPORT}\n`).report, { description: 'memoise the tokenizer', hypothesis: 'tokenizing twice wastes time', ideas: ['cache the regex'] });
  });
  test('no report, and a malformed one, are not fatal', () => {
    assert.deepEqual(readAgentReport('done\n'), { report: {} });
    assert.deepEqual(readAgentReport('{"cost_usd": "a lot"}'), { report: {}, problem: 'the report\'s cost_usd is not valid (Expected number, received string)' });
    assert.deepEqual(readAgentReport('{"description": '), { report: {}, problem: 'the last line starts like JSON but does not parse' });
  });
});

describe('presets', () => {
  test('claude: print mode, JSON output, edits accepted without asking', () => {
    assert.deepEqual(PRESETS.claude.argv(call), ['claude', '-p', '--output-format', 'json', '--permission-mode', 'acceptEdits', '--allowedTools', 'Read,Edit,Write']);
    const out = JSON.stringify({ type: 'result', subtype: 'success', is_error: false, result: `I memoised it.\n${REPORT}`, total_cost_usd: 0.0734, usage: { input_tokens: 5120, output_tokens: 880 } });
    assert.deepEqual(PRESETS.claude.read(`${out}\n`), { description: 'memoise the tokenizer', hypothesis: 'tokenizing twice wastes time', ideas: ['cache the regex'], cost_usd: 0.0734, tokens: 6000 });
  });
  test('codex: exec with JSONL events from stdin, workspace-write sandbox; tokens summed over turns, no cost', () => {
    assert.deepEqual(PRESETS.codex.argv(call), ['codex', 'exec', '--json', '--sandbox', 'workspace-write', '--skip-git-repo-check', '-']);
    const events = [
      { type: 'thread.started', thread_id: 't1' },
      { type: 'turn.started' },
      { type: 'item.completed', item: { id: 'i1', type: 'agent_message', text: `Done.\n${REPORT}` } },
      { type: 'turn.completed', usage: { input_tokens: 3000, cached_input_tokens: 1000, output_tokens: 400 } },
    ];
    const report = PRESETS.codex.read(events.map((e) => JSON.stringify(e)).join('\n'));
    assert.equal(report.tokens, 3400);
    assert.equal(report.cost_usd, undefined);
    assert.equal(report.description, 'memoise the tokenizer');
  });
  test('aider: the message from the prompt file, only the target in the chat; cost from its Tokens line', () => {
    assert.deepEqual(PRESETS.aider.argv(call), ['aider', '--yes-always', '--no-git', '--no-auto-commits', '--no-pretty', '--no-stream', '--message-file', '/tmp/s/prompt.md', '/tmp/s/candidate.py']);
    const out = `Applied edit to candidate.py\nTokens: 12k sent, 133 received. Cost: $0.04 message, $0.10 session.\n${REPORT}\n`;
    assert.deepEqual(PRESETS.aider.read(out), { description: 'memoise the tokenizer', hypothesis: 'tokenizing twice wastes time', ideas: ['cache the regex'], cost_usd: 0.04, tokens: 12133 });
  });
  test('opencode: run with JSON events; cost and tokens summed over steps', () => {
    assert.deepEqual(PRESETS.opencode.argv(call), ['opencode', 'run', '--format', 'json', 'Improve it.']);
    const events = [
      { type: 'step_start', part: { type: 'step-start' } },
      { type: 'text', part: { type: 'text', text: `Edited.\n${REPORT}` } },
      { type: 'step_finish', part: { type: 'step-finish', reason: 'stop', cost: 0.012, tokens: { total: 17512, input: 17509, output: 3 } } },
      { type: 'step_finish', part: { type: 'step-finish', reason: 'stop', cost: 0.003, tokens: { total: 100, input: 90, output: 10 } } },
    ];
    const report = PRESETS.opencode.read(events.map((e) => JSON.stringify(e)).join('\n'));
    assert.equal(report.tokens, 17612);
    assert.ok(Math.abs(report.cost_usd! - 0.015) < 1e-12);
    assert.deepEqual(report.ideas, ['cache the regex']);
  });
  test("an agent's own figures in its report win over the tool's", () => {
    const out = JSON.stringify({ type: 'result', result: '{"description": "x", "cost_usd": 0.5}', total_cost_usd: 0.07 });
    assert.equal(PRESETS.claude.read(out).cost_usd, 0.5);
  });
});
