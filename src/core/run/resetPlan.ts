/**
 * How a pack is reset, decided once for every shell: the pack's own reset.py when it has one, else the
 * oldest "before" snapshot the run journal holds for its target, else nothing can be done.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { resolveTarget, type TargetResolution } from '../target';
import { oldestBefore, type JournalBaseline } from './journalReset';

export type ResetPlan =
  | { kind: 'script'; script: string; target: TargetResolution }
  | { kind: 'journal'; baseline: JournalBaseline; target: TargetResolution }
  | { kind: 'none'; target: TargetResolution };

export async function planReset(packDir: string): Promise<ResetPlan> {
  const target = await resolveTarget(packDir);
  const script = path.join(packDir, 'reset.py');
  if (existsSync(script)) return { kind: 'script', script, target };
  const baseline = target.kind === 'unknown' ? undefined : oldestBefore(packDir, target.path);
  return baseline ? { kind: 'journal', baseline, target } : { kind: 'none', target };
}
