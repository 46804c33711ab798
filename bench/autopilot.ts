/**
 * Autopilot's own cost per trial: the sandbox (a detached worktree of HEAD), the prompt, the replay
 * proposal, memory.md and the journal, without the agent or the Python processes the native engine waits
 * for. The agent here is in-process and writes the target at once, so only Autoexp's work is timed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_BUDGETS } from '../src/core/autopilot/budget';
import type { Agent } from '../src/core/autopilot/commandAgent';
import { runAutopilot } from '../src/core/autopilot/session';
import { recordGitStarts } from '../test/unit/gitStarts';

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

export async function autopilotFigures(scratch: string, figure: (name: string, value: number, unit: string, digits?: number) => void): Promise<void> {
  const pack = repoWithPack(path.join(scratch, 'autopilot-bench'));
  let children = 0;
  const gitStarts = recordGitStarts(path.join(scratch, 'counting-git'));
  const start = performance.now();
  await runAutopilot({
    pack,
    python: 'python3',
    agent: inProcessAgent,
    budgets: { ...DEFAULT_BUDGETS, maxTrials: TRIALS, patience: TRIALS },
    native: { repeat: 1, margin: 0 },
    reporter: { line: () => undefined, output: () => undefined, log: () => undefined, processDone: (ms) => (children += ms) },
  });
  const elapsed = performance.now() - start;
  gitStarts.stop();
  figure('autopilot_overhead_ms_per_trial', (elapsed - children) / TRIALS, 'ms', 1);
  // The start of a git process is most of that cost on a busy machine; this count does not depend on load.
  figure('autopilot_git_processes_per_trial', gitStarts.read().length / TRIALS, '', 2);
}
