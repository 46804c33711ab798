/**
 * Loop figures: what the pack engine adds to running the same loop.py directly (50 proposals, a fast
 * measure.py), and the native engine's own time per trial beyond the processes it waits for.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runLoop } from '../src/core/run/runLoop';
import { benchPython } from './python';
import { median } from './median';

const PROPOSALS = 50;
/** The short run that, beside the long one, tells the one-off start from the cost of each trial. */
const FEW = 2;

/** A pack whose measure.py reads a number from the target: every process is as cheap as Python gets. */
function fastPack(root: string, templateLoop: string): { pack: string; proposals: string[]; reset: () => void } {
  const pack = path.join(root, 'atris', 'experiments', 'fast-loop');
  mkdirSync(path.join(pack, 'proposals'), { recursive: true });
  cpSync(templateLoop, path.join(pack, 'loop.py'));
  writeFileSync(path.join(pack, 'program.md'), 'Raise the number in candidate.py.\n');
  writeFileSync(path.join(pack, 'measure.py'), 'import json, pathlib\nprint(json.dumps({"score": float(pathlib.Path(__file__).with_name("candidate.py").read_text())}))\n');
  const proposals: string[] = [];
  for (let i = 1; i <= PROPOSALS; i++) {
    const name = `p${String(i).padStart(2, '0')}.py`;
    // Every third proposal is worse: the loop keeps and reverts.
    const value = i % 3 === 0 ? 0 : i;
    writeFileSync(path.join(pack, 'proposals', name), `import os\nopen(os.environ["EXPERIMENT_TARGET"], "w").write("${value}\\n")\nprint("set ${value}")\n`);
    proposals.push(path.join(pack, 'proposals', name));
  }
  const reset = () => {
    writeFileSync(path.join(pack, 'candidate.py'), '0.5\n');
    writeFileSync(path.join(pack, 'results.tsv'), 'timestamp\ttrial\tstatus\told_score\tnew_score\tproposal\tdescription\n');
  };
  reset();
  execFileSync('git', ['init', '-q'], { cwd: root });
  return { pack, proposals, reset };
}

export async function loopFigures(scratch: string, cli: string, cliEnv: NodeJS.ProcessEnv, templateLoop: string, figure: (name: string, value: number, unit: string, digits?: number) => void): Promise<void> {
  const { pack, proposals, reset } = fastPack(path.join(scratch, 'loop-bench'), templateLoop);
  const python = benchPython().executable;
  const timed = (fn: () => void) => {
    reset();
    const start = performance.now();
    fn();
    return performance.now() - start;
  };
  const direct = (some: string[]) => timed(() => execFileSync(python, [path.join(pack, 'loop.py'), ...some.flatMap((p) => ['--proposal', p])], { cwd: pack, stdio: 'pipe' }));
  const engine = (some: string[]) =>
    timed(() => execFileSync(process.execPath, [cli, 'run', pack, ...some.flatMap((p) => ['--proposal', p]), '--engine', 'pack', '--python', python], { stdio: 'pipe', env: cliEnv }));
  const few = proposals.slice(0, FEW);
  const wall = { direct: [] as number[], engine: [] as number[] };
  const ratios: number[] = [];
  const overheadMany: number[] = [];
  const overheadFew: number[] = [];
  // In pairs, so a noisy neighbour hurts both sides of a ratio alike; the figure is the median pair.
  // Runs of 50 and of 2 proposals split the overhead into a one-off start and a cost per trial.
  for (let i = 0; i < 5; i++) {
    const d = direct(proposals);
    const e = engine(proposals);
    wall.direct.push(d);
    wall.engine.push(e);
    ratios.push(e / d);
    overheadMany.push(e - d);
    overheadFew.push(engine(few) - direct(few));
  }
  const rows = readFileSync(path.join(pack, 'results.tsv'), 'utf8').trimEnd().split('\n').length - 1;
  if (rows !== FEW) throw new Error(`the pack engine logged ${rows} rows, expected ${FEW}`);
  const packPerTrial = (median(overheadMany) - median(overheadFew)) / (PROPOSALS - FEW);
  figure('loop_direct_50_proposals_wall', median(wall.direct), 'ms', 0);
  figure('loop_pack_engine_50_proposals_wall', median(wall.engine), 'ms', 0);
  figure('loop_pack_engine_overhead_ratio', median(ratios), 'x', 3);
  figure('pack_engine_overhead_ms_per_trial', packPerTrial, 'ms', 1);
  const start = median(overheadFew) - FEW * packPerTrial;
  figure('pack_engine_overhead_start', start, 'ms', 0);
  // What the goal (at most 1.10 x) leaves each trial once the start is paid, beside the figure above.
  figure('pack_engine_goal_allows_ms_per_trial', (0.1 * median(wall.direct) - start) / PROPOSALS, 'ms', 1);

  // Native engine: wall time minus the time its child processes ran, per trial.
  const perTrial: number[] = [];
  for (let i = 0; i < 3; i++) {
    reset();
    let children = 0;
    const start = performance.now();
    await runLoop({
      pack,
      proposals,
      python,
      engine: 'native',
      reporter: {
        line: () => undefined,
        output: () => undefined,
        log: () => undefined,
        processDone: (ms) => (children += ms),
      },
    });
    perTrial.push((performance.now() - start - children) / PROPOSALS);
  }
  figure('native_engine_orchestration_per_trial', median(perTrial), 'ms', 2);
}
