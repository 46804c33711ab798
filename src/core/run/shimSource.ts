/**
 * The Python shim the pack engine hands loop.py in place of each proposal. It has the proposal's file
 * name, so loop.py logs the right name; it snapshots EXPERIMENT_TARGET into the journal's store, runs
 * the real proposal in its own interpreter (no second Python start per trial) with the same
 * environment and arguments, and snapshots the candidate. Around the proposal it asks the run's guard
 * (./guard/guardServer.ts) to mark the repository and then to check it; when anything besides the
 * target changed, the guard has put it back, and the shim restores the target and fails, so loop.py
 * logs an error.
 * Its journal events follow ./journal.ts's schema.
 * The Python is ./shim.py; what it needs to know from here (the exit codes, the name of the variable
 * that tags the run's processes) comes with each trial's config.
 */
import { RUN_ID_VAR } from './runProcesses';
import { SHIM_PY } from './shimText';

export interface ShimConfig {
  real: string;
  journal: string;
  snapshots: string;
  run: string;
  trial: number;
  pack: string;
  /** Used when loop.py does not set EXPERIMENT_TARGET. */
  target: string;
  timeoutSeconds: number;
  /** The guard's Unix socket. */
  guard: string;
}

/** How the shim ends a trial it failed; the shim reads them from its config, so they live only here. */
export const SHIM_EXITS = {
  /** The proposal changed more than its target; the guard put the rest back, the shim the target. */
  touched: 3,
  /** The proposal ran past its time; 124 is what timeout(1) uses. */
  timeout: 124,
  /** The run's guard could not mark or check the repository. */
  guard: 4,
} as const;

/** The shared module, written once per run beside the stubs; Python caches its bytecode there. */
export const SHIM_MODULE_NAME = 'autoexp_shim';
export const SHIM_MODULE = SHIM_PY;

/** The per-proposal stub loop.py runs: it loads the shared module and hands it this trial's config. */
export function shimStub(config: ShimConfig, moduleDir: string): string {
  return [
    `# Autoexp shim for ${JSON.stringify(config.real)}: records this trial, then runs it.`,
    'import sys',
    `sys.path.insert(0, ${pythonLiteral(moduleDir)})`,
    // Its bytecode is cached in our own temporary folder even where the user turned caching off
    // (PYTHONDONTWRITEBYTECODE, common in containers): compiling it cost more than the rest of a trial.
    'dont_write_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, False',
    `import ${SHIM_MODULE_NAME}`,
    'sys.dont_write_bytecode = dont_write_bytecode',
    'del sys.path[0], dont_write_bytecode',
    `${SHIM_MODULE_NAME}.main(${pythonLiteral({ ...config, exits: SHIM_EXITS, runVar: RUN_ID_VAR })})`,
    '',
  ].join('\n');
}

/**
 * A value as Python source, so the stub needs no json import. A JSON string or finite number is also
 * a valid Python literal, whatever quotes or backslashes a path holds.
 */
export function pythonLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  if (Array.isArray(value)) return `[${value.map(pythonLiteral).join(', ')}]`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonLiteral(v)}`).join(', ')}}`;
  return JSON.stringify(value);
}
