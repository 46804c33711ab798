/**
 * A command agent: any CLI, run once per trial in the sandbox from an argument array, with the trial's
 * variables in its environment and the prompt on stdin. Presets name the common ones; `--agent-command`
 * names any other.
 */
import { runProcess } from '../process';
import { readAgentReport, type AgentReport } from './agentReport';
import { PRESETS, type PresetName } from './presets';

export interface AgentCall {
  trial: number;
  prompt: string;
  promptFile: string;
  /** The sandbox: the agent's working directory, and its copies of the pack and the target. */
  root: string;
  pack: string;
  target: string;
  timeoutMs: number;
  signal?: AbortSignal;
  onOutput?: (chunk: string) => void;
  onSpawn?: (pid: number) => void;
  /** The run's own variables, so the agent's processes die with the run. */
  runEnv?: Record<string, string>;
}

export interface AgentOutcome {
  /** Why the trial has no candidate: a failed start, a non-zero exit, a timeout, a cancel. */
  failure?: string;
  cancelled?: boolean;
  report: AgentReport;
  /** The agent's last output, for the journal when it failed. */
  tail: string;
}

export interface Agent {
  /** Shown in the terminal and the journal: `claude`, or the command's first word. */
  readonly label: string;
  propose(call: AgentCall): Promise<AgentOutcome>;
}

export function agentEnv(call: AgentCall): Record<string, string> {
  return {
    ...call.runEnv,
    EXPERIMENT_TARGET: call.target,
    AUTOEXP_PROMPT_FILE: call.promptFile,
    AUTOEXP_TRIAL: String(call.trial),
    AUTOEXP_PACK: call.pack,
  };
}

export function commandAgent(source: { preset: PresetName } | { argv: string[] }): Agent {
  const preset = 'preset' in source ? PRESETS[source.preset] : undefined;
  const fixed = 'argv' in source ? source.argv : undefined;
  const label = preset ? preset.name : fixed![0];
  return {
    label,
    async propose(call) {
      const argv = preset ? preset.argv(call) : fixed!;
      const proc = await runProcess(argv[0], argv.slice(1), {
        cwd: call.root,
        env: agentEnv(call),
        input: call.prompt,
        timeoutMs: call.timeoutMs,
        signal: call.signal,
        onStdout: call.onOutput,
        onStderr: call.onOutput,
        onSpawn: call.onSpawn,
      });
      const tail = `${proc.stdout}\n${proc.stderr}`.trim().split(/\r?\n/).slice(-5).join('\n');
      const report = preset ? preset.read(proc.stdout) : readAgentReport(proc.stdout).report;
      if (proc.cancelled) return { cancelled: true, failure: 'cancelled', report, tail };
      if (proc.spawnError) return { failure: `${argv[0]}: cannot start (${proc.spawnError})`, report, tail };
      if (proc.timedOut) return { failure: `${label} did not finish within ${Math.round(call.timeoutMs / 1000)} s`, report, tail };
      if (proc.exitCode !== 0) {
        const why = proc.stderr.trim().split(/\r?\n/).pop();
        return { failure: `${label} exited with code ${proc.exitCode}${why ? `: ${why}` : ''}`, report, tail };
      }
      return { report, tail };
    },
  };
}
