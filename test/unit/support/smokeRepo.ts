/** A copy of the smoke pack, with extra proposals, in a fresh git repository. */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { EXPERIMENTS, tempDir, writeTree } from '../helpers';

export const BASELINE = readFileSync(path.join(EXPERIMENTS, 'smoke-keep-revert', 'candidate.py'), 'utf8');
export const FIXED = 'def count_words(text):\n    return len(text.split())\n';
export const HEADER = 'timestamp\ttrial\tstatus\told_score\tnew_score\tproposal\tdescription';

/** Extra proposals, written into the copied pack's proposals/. */
export const PROPOSALS: Record<string, string> = {
  'crash.py': 'import sys\nprint("about to fail")\nsys.exit("no luck")\n',
  // A candidate that makes measure.py hang (the measure imports it): loop.py waits for ever.
  'hang_measure.py': 'import os\nopen(os.environ["EXPERIMENT_TARGET"], "w").write("import time\\ntime.sleep(600)\\n")\nprint("measure will hang")\n',
  // A candidate that makes measure.py itself fail: the trial is an error, the target restored.
  'break_measure.py': 'import os\nopen(os.environ["EXPERIMENT_TARGET"], "w").write("raise ImportError(\'broken candidate\')\\n")\nprint("broke it")\n',
  // Writes the target, starts a grandchild, then hangs: a timeout must end both and restore.
  'hang.py':
    'import os, subprocess, sys, time\n' +
    'open(os.environ["EXPERIMENT_TARGET"], "w").write("half-written\\n")\n' +
    'child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"])\n' +
    'open(os.path.join(os.environ["HANG_PIDS"], str(child.pid)), "w").close() if os.environ.get("HANG_PIDS") else None\n' +
    'print("hanging", flush=True)\n' +
    'time.sleep(3600)\n',
  'touch_other.py':
    'import os\nfrom pathlib import Path\n' +
    'target = Path(os.environ["EXPERIMENT_TARGET"])\n' +
    'target.write_text("def count_words(text):\\n    return len(text.split())\\n")\n' +
    '(target.parent / "program.md").write_text("rewritten by a proposal\\n")\n' +
    '(target.parent / "stray.txt").write_text("new file\\n")\n' +
    'print("fixed it, and a bit more")\n',
};

export function smokeRepo(): { repo: string; pack: string } {
  const repo = tempDir('autoexp-run-');
  const pack = path.join(repo, 'atris', 'experiments', 'smoke-keep-revert');
  cpSync(path.join(EXPERIMENTS, 'smoke-keep-revert'), pack, { recursive: true });
  writeTree(path.join(pack, 'proposals'), PROPOSALS);
  execFileSync('git', ['init', '-q'], { cwd: repo });
  execFileSync('git', ['add', '-A'], { cwd: repo });
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'init'], { cwd: repo });
  return { repo, pack };
}


/** The smoke loop.py, backing the target up beside itself as `candidate.py.trialN.bak`, as the atris loops do. */
export function backupBesideTarget(pack: string): void {
  const loop = path.join(pack, 'loop.py');
  const text = readFileSync(loop, 'utf8').replace('def run_trial(number, proposal, best):', 'def _run_trial(number, proposal, best):');
  writeFileSync(
    loop,
    text.replace(
      'def main():',
      [
        'def run_trial(number, proposal, best):',
        '    backup = DEFAULT_TARGET.with_name(f"{DEFAULT_TARGET.name}.trial{number}.bak")',
        '    shutil.copy2(DEFAULT_TARGET, backup)',
        '    try:',
        '        return _run_trial(number, proposal, best)',
        '    finally:',
        '        backup.unlink()',
        '',
        '',
        'def main():',
      ].join('\n'),
    ),
  );
}
