/**
 * Autopilot's own cost per trial: the sandbox (a detached worktree of HEAD, made once a session and
 * refreshed before each trial), the prompt, the replay proposal, memory.md and the journal, without the
 * agent or measure.py. The agent here is in-process and writes the target at once, so only Autoexp's
 * work is timed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_BUDGETS } from '../src/core/autopilot/budget';
import type { Agent } from '../src/core/autopilot/commandAgent';
import { createSandbox } from '../src/core/autopilot/sandbox';
import { runAutopilot } from '../src/core/autopilot/session';
import { recordGitStarts } from '../test/unit/gitStarts';
import { benchPython } from './python';

const TRIALS = 20;

function repoWithPack(root: string): string {
  const pack = path.join(root, 'atris', 'experiments', 'fast-auto');
  mkdirSync(pack, { recursive: true });
  writeFileSync(path.join(pack, 'program.md'), 'Raise the number in candidate.py.\n');
  writeFileSync(path.join(pack, 'measure.py'), 'import json, pathlib\nprint(json.dumps({"score": float(pathlib.Path(__file__).with_name("candidate.py").read_text())}))\n');
  writeFileSync(path.join(pack, 'candidate.py'), '0.5\n');
  writeFileSync(path.join(pack, 'results.tsv'), 'timestamp\ttrial\tstatus\told_score\tnew_score\tproposal\tdescription\n');
  // A repository of a realistic size: the sandbox checks out all of it every trial.
  for (let i = 0; i < 500; i++) writeFileSync(path.join(root, `module_${i}.py`), `X = ${i}\n`);
  execFileSync('git', ['init', '-q'], { cwd: root });
  execFileSync('git', ['add', '-A'], { cwd: root });
  execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '-qm', 'init'], { cwd: root });
  return pack;
}

/** Writes a higher or a lower number each trial, in process: no agent time to subtract. */
const inProcessAgent: Agent = {
  label: 'bench-agent',
  async propose(call) {
    writeFileSync(call.target, `${call.trial % 2 ? call.trial : 0}\n`);
    return { report: { description: `set ${call.trial}` }, tail: '' };
  },
};

async function session(pack: string): Promise<{ elapsed: number; children: number }> {
  let children = 0;
  const start = performance.now();
  await runAutopilot({
    pack,
    python: benchPython().executable,
    agent: inProcessAgent,
    budgets: { ...DEFAULT_BUDGETS, maxTrials: TRIALS, patience: TRIALS },
    native: { repeat: 1, margin: 0 },
    reporter: { line: () => undefined, output: () => undefined, log: () => undefined, processDone: (ms) => (children += ms) },
  });
  return { elapsed: performance.now() - start, children };
}

export async function autopilotFigures(scratch: string, figure: (name: string, value: number, unit: string, digits?: number) => void): Promise<void> {
  // The median of three sessions of TRIALS trials (the default budget), each on a repository of its own.
  const overheads: number[] = [];
  for (let i = 0; i < 3; i++) {
    const { elapsed, children } = await session(repoWithPack(path.join(scratch, `autopilot-bench-${i}`)));
    overheads.push((elapsed - children) / TRIALS);
  }
  figure('autopilot_overhead_ms_per_trial', overheads.sort((a, b) => a - b)[1], 'ms', 1);
  // The one-off part of it, already spread over the trials above: the worktree of a 500-file repository.
  const pack = repoWithPack(path.join(scratch, 'autopilot-bench-start'));
  const started = performance.now();
  const sandbox = await createSandbox(pack, path.join(pack, 'candidate.py'));
  figure('autopilot_sandbox_start_ms', performance.now() - started, 'ms', 1);
  await sandbox.dispose();
  // Counted in a session of its own: the counting git is a script, whose start would inflate the time.
  const gitStarts = recordGitStarts(path.join(scratch, 'counting-git'));
  try {
    await session(repoWithPack(path.join(scratch, 'autopilot-bench-count')));
  } finally {
    gitStarts.stop();
  }
  // The start of a git process is most of that cost on a busy machine; this count does not depend on load.
  figure('autopilot_git_processes_per_trial', gitStarts.read().length / TRIALS, '', 2);
}
