/** Argument parsing on node's own parseArgs; every mistake becomes a usage error (exit 2). */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../core/errors';

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(command: string, args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UserError(`autoexp ${command}: ${(err as Error).message.split('\n')[0]}`, 2);
  }
}

export function onePositional(command: string, positionals: string[], name: string, fallback?: string): string {
  if (positionals.length > 1) throw new UserError(`autoexp ${command}: expected one ${name}, got ${positionals.length}`, 2);
  const value = positionals[0] ?? fallback;
  if (value === undefined) throw new UserError(`autoexp ${command}: missing ${name}`, 2);
  return value;
}

/** Seconds from a flag, as milliseconds. */
export function timeoutMs(command: string, value: string | undefined, fallbackSeconds: number): number {
  if (value === undefined) return fallbackSeconds * 1000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UserError(`autoexp ${command}: --timeout takes a positive number of seconds, got "${value}"`, 2);
  return seconds * 1000;
}
