/**
 * Proposals that misbehave with processes and output, for the process lifecycle tests. Each one that
 * leaves a process behind writes that process's pid into $PIDS_DIR, so a test can check it is gone.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { writeTree } from '../helpers';
import { FIXED } from './smokeRepo';

const fix = `open(os.environ["EXPERIMENT_TARGET"], "w").write(${JSON.stringify(FIXED)})\n`;
const record = (pid: string) => `open(os.path.join(os.environ["PIDS_DIR"], str(${pid})), "w").close()\n`;
/** A child that would write the target 20 s later, had it lived. */
const lateWriter = `[sys.executable, "-c", "import os, time; time.sleep(20); open(os.environ['EXPERIMENT_TARGET'], 'w').write('late\\\\n')"]`;

export const LIFECYCLE_PROPOSALS: Record<string, string> = {
  // Its child keeps the proposal's stdout open for a minute.
  'hold_stdout.py': `import os, subprocess, sys\n${fix}child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])\n${record('child.pid')}print("fixed; a child holds stdout", flush=True)\n`,
  // A background child with its stdio detached, in the proposal's process group.
  'stray.py': `import os, subprocess, sys\n${fix}child = subprocess.Popen(${lateWriter}, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n${record('child.pid')}print("fixed; a helper left behind")\n`,
  // A child that leaves the process group (a session of its own), as a daemon would.
  'escape.py': `import os, subprocess, sys\n${fix}child = subprocess.Popen(${lateWriter}, start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n${record('child.pid')}print("fixed; a daemon left behind")\n`,
  // Ignores SIGTERM, and writes a candidate 5 s later if nothing kills it.
  'ignore_term.py': `import os, signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nopen(os.environ["EXPERIMENT_TARGET"], "w").write("half-written\\n")\n${record('os.getpid()')}print("ignoring SIGTERM", flush=True)\ntime.sleep(5)\nopen(os.environ["EXPERIMENT_TARGET"], "w").write("late candidate\\n")\n`,
  // 150 MB on stdout, then the fix.
  'loud.py': `import os, sys\nline = "x" * 1023 + "\\n"\nfor _ in range(150 * 1024):\n    sys.stdout.write(line)\n${fix}print("fixed after 150 MB of output")\n`,
};

/** 150 MB printed before the line a script is read by. */
export const LOUD_PREFIX = 'import sys as _s\n_l = "y" * 1023 + "\\n"\nfor _ in range(150 * 1024):\n    _s.stdout.write(_l)\n';

export function addLifecycleProposals(pack: string): void {
  writeTree(path.join(pack, 'proposals'), LIFECYCLE_PROPOSALS);
}

/** Makes loop.py print 150 MB before its BASELINE line. */
export function makeLoopLoud(pack: string): void {
  const file = path.join(pack, 'loop.py');
  writeFileSync(file, readFileSync(file, 'utf8').replace('\ndef main():\n', `\ndef main():\n    ${LOUD_PREFIX.trimEnd().split('\n').join('\n    ')}\n`));
}
