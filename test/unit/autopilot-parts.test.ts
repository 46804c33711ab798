/** Autopilot's parts: budgets, replayable proposals (run by real Python), memory.md and the prompt. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { checkBudget, DEFAULT_BUDGETS, describeBudgetLeft, NOTHING_SPENT } from '../../src/core/autopilot/budget';
import { memoryForPrompt, readNotes, renderMemory, type MemoryState } from '../../src/core/autopilot/memory';
import { buildPrompt } from '../../src/core/autopilot/prompt';
import { nextProposalNumber, saveReplay, shortSlug } from '../../src/core/autopilot/replay';
import { tempDir } from './helpers';

describe('budgets', () => {
  test('--max-cost 0.15 with trials of 0.10: the second trial runs, the third does not', () => {
    const b = { ...DEFAULT_BUDGETS, maxCostUsd: 0.15 };
    assert.equal(checkBudget(b, { ...NOTHING_SPENT }).stop, false);
    assert.equal(checkBudget(b, { ...NOTHING_SPENT, trials: 1, costUsd: 0.1 }).stop, false);
    assert.deepEqual(checkBudget(b, { ...NOTHING_SPENT, trials: 2, costUsd: 0.2 }), { stop: true, kind: 'budget', reason: 'spent $0.20 of --max-cost $0.15' });
  });
  test('trials, minutes, errors in a row, and patience', () => {
    assert.deepEqual(checkBudget(DEFAULT_BUDGETS, { ...NOTHING_SPENT, trials: 20 }), { stop: true, kind: 'budget', reason: 'ran 20 trial(s) of --max-trials 20' });
    assert.deepEqual(checkBudget(DEFAULT_BUDGETS, { ...NOTHING_SPENT, minutes: 120.5 }), { stop: true, kind: 'budget', reason: 'ran 120 of --max-minutes 120' });
    assert.deepEqual(checkBudget(DEFAULT_BUDGETS, { ...NOTHING_SPENT, errorsInARow: 5 }), { stop: true, kind: 'errors', reason: '5 errors in a row (--max-errors 5)' });
    assert.deepEqual(checkBudget(DEFAULT_BUDGETS, { ...NOTHING_SPENT, sinceKept: 4 }), { stop: false, changeDirection: false });
    assert.deepEqual(checkBudget(DEFAULT_BUDGETS, { ...NOTHING_SPENT, sinceKept: 5 }), { stop: false, changeDirection: true });
    assert.deepEqual(checkBudget(DEFAULT_BUDGETS, { ...NOTHING_SPENT, sinceKept: 15 }), { stop: true, kind: 'patience', reason: 'nothing kept in 15 trials (3 × --patience 5)' });
  });
  test('what is left, as the prompt and the status bar say it', () => {
    assert.equal(describeBudgetLeft({ ...DEFAULT_BUDGETS, maxCostUsd: 1 }, { ...NOTHING_SPENT, trials: 3, minutes: 26.5, costUsd: 0.16 }), '17 trial(s), 94 min, $0.84 left');
  });
});

describe('replayable proposals', () => {
  test('the script rewrites EXPERIMENT_TARGET into the exact candidate bytes and prints the description', () => {
    const pack = tempDir();
    const candidate = Buffer.from('def f():\n    return "tab\\there; quote \\" and é"\r\n');
    const file = saveReplay(pack, candidate, { session: 's1', trial: 7, description: 'Memoise the tokenizer!' });
    assert.equal(path.relative(pack, file), path.join('proposals', 'auto', '0001-memoise-the-tokenizer.py'));
    const target = path.join(pack, 'candidate.py');
    writeFileSync(target, 'old\n');
    const r = spawnSync('python3', [file], { env: { ...process.env, EXPERIMENT_TARGET: target }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'Memoise the tokenizer!\n');
    assert.deepEqual(readFileSync(target), candidate);
    assert.equal(nextProposalNumber(pack), 2);
    assert.equal(path.basename(saveReplay(pack, candidate, { session: 's1', trial: 8 })), '0002-candidate.py');
  });
  test('slugs are short, lowercase and hyphenated', () => {
    assert.equal(shortSlug('Use a dict; rm -rf ~/.ssh && echo "pwned"'), 'use-a-dict-rm-rf-ssh-echo-pwned');
    assert.equal(shortSlug('   '), 'candidate');
    assert.equal(shortSlug('x'.repeat(80)).length, 40);
  });
});

describe('memory.md', () => {
  const state = (notes: string): MemoryState => ({
    slug: 'reverse-words',
    metric: 'score',
    notes,
    ideas: ['try a regex', 'cache results'],
    trials: [
      { trial: 1, status: 'reverted', description: 'split on commas', gain: -0.2 },
      { trial: 2, status: 'kept', description: 'split on whitespace', hypothesis: 'words are space separated', gain: 0.4 },
      { trial: 3, status: 'error', description: 'rewrite in Rust', reason: 'agent proposed no change' },
    ],
  });
  test('sections newest first, and the user notes carried over verbatim', () => {
    const old = renderMemory(state('- the tests live in tests/\n\n- keep it pure Python\n'));
    const text = renderMemory(state(readNotes(old)));
    assert.equal(text, old);
    assert.match(text, /## Kept\n- trial 2: split on whitespace \(\+0\.4\) — because words are space separated\n/);
    assert.match(text, /## Reverted\n- trial 1: split on commas \(-0\.2, reverted\)\n/);
    assert.match(text, /## Errors\n- trial 3: rewrite in Rust \(agent proposed no change\)\n/);
    assert.match(text, /## Ideas\n- cache results\n- try a regex\n/);
    assert.ok(text.endsWith('## Notes\n\n- the tests live in tests/\n\n- keep it pure Python\n'));
  });
  test('a memory.md without Notes gets an empty Notes section for the user', () => {
    assert.match(readNotes('# Memory\n## Kept\n- x\n'), /never rewrites this section/);
  });
  test('for the prompt: cut to 8 KB, newest kept first, with counts for what was cut', () => {
    const many: MemoryState = { ...state(''), trials: Array.from({ length: 400 }, (_, i) => ({ trial: i + 1, status: 'reverted' as const, description: `idea number ${i + 1} with some words`, gain: -0.01 })) };
    const text = memoryForPrompt(many);
    assert.ok(Buffer.byteLength(text) <= 8192, String(Buffer.byteLength(text)));
    assert.match(text, /## Reverted\n- trial 400: idea number 400/);
    const cut = /- … and (\d+) older/.exec(text);
    assert.ok(cut && Number(cut[1]) > 200, text.slice(-300));
    assert.equal(memoryForPrompt(state('')), renderMemory(state('')), 'a small memory is not cut');
  });
});

describe('the prompt', () => {
  test('holds the brief, the target in a fence it cannot close, the metric, memory, recent rows, budget and the rule', () => {
    const prompt = buildPrompt({
      program: 'Make reverse_words reverse the words.\n',
      targetPath: 'atris/experiments/reverse-words/candidate.py',
      targetText: 'def reverse_words(s):\n    """```"""\n    return s\n',
      metric: 'score',
      direction: 'higher',
      baseline: 0.2,
      best: 0.6,
      memory: '# Memory: reverse-words\n## Kept\n- trial 1: x (+0.4)\n',
      recentRows: ['timestamp\ttrial\tstatus', '2026-11-30\t1\tkept'],
      budgetLeft: '19 trial(s), 118 min left',
      trial: 2,
      changeDirection: true,
    });
    assert.match(prompt, /^# Autopilot trial 2\n/);
    assert.match(prompt, /Edit only `atris\/experiments\/reverse-words\/candidate\.py`/);
    assert.match(prompt, /## The brief \(program\.md\)\nMake reverse_words reverse the words\.\n/);
    assert.match(prompt, /score, higher is better\. Baseline 0\.2000; best so far 0\.6000\./);
    assert.match(prompt, /````\ndef reverse_words\(s\):\n    """```"""\n    return s\n````/);
    assert.match(prompt, /- trial 1: x \(\+0\.4\)/);
    assert.match(prompt, /2026-11-30\t1\tkept/);
    assert.match(prompt, /19 trial\(s\), 118 min left/);
    assert.match(prompt, /Try a clearly different direction/);
  });
});
