/**
 * Which engine runs a pack's loop, decided once for the CLI, the VS Code task and the core run:
 * the engine asked for, else the native one when a native-only option is given, else the pack
 * engine unless the pack has no real loop.py. Options that contradict each other are a usage error.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Direction } from '../results/model';
import { isPlaceholderScript } from '../validation/extendedRules';
import type { Engine } from './context';

export interface EngineRequest {
  /** As the user gave it (a flag, a setting); checked here. */
  engine?: string;
  direction?: string;
  repeat?: number;
  margin?: number;
  /** The keep rule's flags as typed (`--keep-rule`, `--alpha`…): native-only too; a refusal names the first. */
  nativeFlags?: string[];
}

export type EngineChoice =
  | { ok: true; engine: Engine; direction?: Direction; /** Said to the user when the pack, not the request, chose. */ why?: string }
  | { ok: false; usage: string };

export function chooseEngine(pack: string, request: EngineRequest): EngineChoice {
  const { engine, direction } = request;
  if (engine !== undefined && engine !== 'pack' && engine !== 'native') return { ok: false, usage: `--engine is pack or native, got "${engine}"` };
  if (direction !== undefined && direction !== 'higher' && direction !== 'lower') return { ok: false, usage: `--direction is higher or lower, got "${direction}"` };
  // Repeats, margins and a direction are the native engine's: asking for one asks for it.
  const nativeFlags = request.nativeFlags ?? [];
  if (engine === 'pack' && nativeFlags.length) return { ok: false, usage: `${nativeFlags[0]} belongs to the native engine; the pack engine keeps by loop.py's own rule` };
  const nativeOnly = request.repeat !== undefined || request.margin !== undefined || direction !== undefined || nativeFlags.length > 0;
  if (engine === 'pack' && nativeOnly) {
    return { ok: false, usage: "--repeat, --margin and --direction belong to the native engine; the pack engine keeps by loop.py's own rule" };
  }
  if (engine !== undefined) return { ok: true, engine, direction };
  if (nativeOnly) return { ok: true, engine: 'native', direction };
  const loop = path.join(pack, 'loop.py');
  if (!existsSync(loop)) return { ok: true, engine: 'native', why: 'the pack has no loop.py' };
  if (isPlaceholderScript(readFileSync(loop, 'utf8'))) return { ok: true, engine: 'native', why: 'loop.py is still the template stub' };
  return { ok: true, engine: 'pack' };
}
