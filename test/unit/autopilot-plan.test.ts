/** What Start Autopilot decides from the settings before anything runs: the CLI's arguments, a usable agent, consent. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { splitShellWords } from '../../src/core/autopilot/shellWords';
import { agentProblem, agentText, autopilotBudgets, autopilotCliArgs, consentKey, needsConsent, taskDetail, type AutopilotSettings } from '../../src/extension/autopilotPlan';

const base: AutopilotSettings = { agent: 'claude', command: [], commandFromWorkspace: false, maxTrials: 20, maxMinutes: 120, maxErrors: 5 };

describe('autopilot settings to `autoexp autopilot` arguments', () => {
  test('a preset, with the budgets; no cost cap unless set', () => {
    assert.deepEqual(autopilotCliArgs(base), ['--agent', 'claude', '--max-trials', '20', '--max-minutes', '120', '--max-errors', '5']);
    assert.deepEqual(autopilotCliArgs({ ...base, agent: 'codex', maxCostUsd: 0.5, maxTrials: 3 }), ['--agent', 'codex', '--max-trials', '3', '--max-minutes', '120', '--max-errors', '5', '--max-cost', '0.5']);
  });

  test('a command agent: its argument array survives the CLI\'s shell-word split exactly, spaces and quotes included', () => {
    const command = ['python3', '/tmp/my agents/agent.py', "it's", '--flag=a;b', '$HOME'];
    const args = autopilotCliArgs({ ...base, agent: 'command', command });
    assert.equal(args[0], '--agent-command');
    assert.equal(args[1], `python3 '/tmp/my agents/agent.py' 'it'"'"'s' '--flag=a;b' '$HOME'`);
    assert.deepEqual(splitShellWords(args[1]), { ok: true, words: command });
  });

  test('the vscode-lm session\'s budgets: the settings, and the CLI\'s default patience', () => {
    assert.deepEqual(autopilotBudgets({ ...base, agent: 'vscode-lm', maxTrials: 7, maxMinutes: 30, maxErrors: 2 }), { maxTrials: 7, maxMinutes: 30, maxErrors: 2, patience: 5 });
    assert.deepEqual(autopilotBudgets({ ...base, agent: 'vscode-lm', maxCostUsd: 0.25 }), { maxTrials: 20, maxMinutes: 120, maxErrors: 5, patience: 5, maxCostUsd: 0.25 });
  });

  test('vscode-lm never becomes a CLI argument', () => {
    assert.throws(() => autopilotCliArgs({ ...base, agent: 'vscode-lm' }), /runs in the extension/);
  });
});

describe('whether the agent can run, and whether to ask first', () => {
  test('a command agent needs a command', () => {
    assert.match(agentProblem({ ...base, agent: 'command' })!, /autoexp\.autopilot\.command is empty/);
    assert.match(agentProblem({ ...base, agent: 'command', command: [' ', 'x'] })!, /the program to run, is empty/);
    assert.equal(agentProblem({ ...base, agent: 'command', command: ['python3', 'a.py'] }), undefined);
    assert.equal(agentProblem(base), undefined);
  });

  test('only a command from the workspace\'s settings asks, and the answer is kept per exact command', () => {
    const fromWorkspace = { ...base, agent: 'command' as const, command: ['python3', 'a.py'], commandFromWorkspace: true };
    assert.equal(needsConsent(fromWorkspace), true);
    assert.equal(needsConsent({ ...fromWorkspace, commandFromWorkspace: false }), false, 'the user\'s own settings');
    assert.equal(needsConsent({ ...fromWorkspace, agent: 'claude' }), false, 'a preset ignores the command');
    assert.equal(consentKey(['python3', 'a.py']), 'autoexp.autopilot.allowedCommand:["python3","a.py"]');
    assert.notEqual(consentKey(['python3', 'a.py']), consentKey(['python3 a.py']), 'one word with a space is another command');
  });

  test('the agent and the task detail as the user reads them', () => {
    assert.equal(agentText({ ...base, agent: 'command', command: ['python3', 'my agent.py'] }), "python3 'my agent.py'");
    assert.equal(agentText({ ...base, agent: 'vscode-lm' }), 'a VS Code language model');
    assert.equal(taskDetail({ ...base, agent: 'command', command: ['python3', 'x.py'], maxTrials: 4, maxMinutes: 30, maxCostUsd: 1 }), 'python3 proposes · up to 4 trials, 30 min, $1.00');
    assert.equal(taskDetail(base), 'claude proposes · up to 20 trials, 120 min');
  });
});
