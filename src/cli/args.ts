/** Argument parsing on node's own parseArgs; every mistake becomes a usage error (exit 2). */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../core/errors';

type Options = NonNullable<ParseArgsConfig['options']>;

/** What each numeric option needs, said the same way by every command that takes it. */
const NUMBERS = {
  timeout: { need: 'a positive number of seconds', ok: (n: number) => n > 0 },
  repeat: { need: 'a whole number of at least 1', ok: (n: number) => Number.isInteger(n) && n >= 1 },
  margin: { need: 'a number of at least 0', ok: (n: number) => n >= 0 },
  alpha: { need: 'a number between 0 and 1', ok: (n: number) => n > 0 && n < 1 },
  'min-effect': { need: 'a number of at least 0', ok: (n: number) => n >= 0 },
} as const;
type NumberOption = keyof typeof NUMBERS;

const isNumberOption = (name: string): name is NumberOption => Object.hasOwn(NUMBERS, name);
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function numberError(command: string, name: NumberOption, got: string | undefined): UserError {
  return new UserError(`autoexp ${command}: --${name} must be ${NUMBERS[name].need}, got ${got === undefined ? 'nothing' : `"${got}"`}`, 2);
}

/** A token that is an option of its own, not the value of the one before it. */
function isOptionToken(token: string, options: Options): boolean {
  if (token.startsWith('--')) return true;
  return token.length === 2 && token[0] === '-' && Object.values(options).some((o) => o.short === token[1]);
}

/**
 * `--timeout -1` as `--timeout=-1`: parseArgs refuses a value that starts with a dash as ambiguous,
 * where the user should hear what the option needs. A numeric option followed by no value, or by
 * another option, has none.
 */
function joinNumberValues(command: string, args: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].slice(2);
    if (args[i] === '--') return [...out, ...args.slice(i)];
    if (!args[i].startsWith('--') || !isNumberOption(name) || !(name in options)) {
      out.push(args[i]);
      continue;
    }
    const value = args[i + 1];
    if (value === undefined || isOptionToken(value, options)) throw numberError(command, name, undefined);
    out.push(`--${name}=${value}`);
    i++;
  }
  return out;
}

export function parse<T extends Options>(command: string, args: string[], options: T) {
  const joined = joinNumberValues(command, args, options);
  try {
    return parseArgs({ args: joined, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UserError(`autoexp ${command}: ${(err as Error).message.split('\n')[0]}`, 2);
  }
}

/** A numeric option's value, checked against what it needs; undefined when not given. */
export function numberOption(command: string, name: NumberOption, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = DECIMAL.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(n) || !NUMBERS[name].ok(n)) throw numberError(command, name, value);
  return n;
}

export function onePositional(command: string, positionals: string[], name: string, fallback?: string): string {
  if (positionals.length > 1) throw new UserError(`autoexp ${command}: expected one ${name}, got ${positionals.length}`, 2);
  const value = positionals[0] ?? fallback;
  if (value === undefined) throw new UserError(`autoexp ${command}: missing ${name}`, 2);
  return value;
}

/** Seconds from --timeout, as milliseconds. */
export function timeoutMs(command: string, value: string | undefined, fallbackSeconds: number): number {
  return (numberOption(command, 'timeout', value) ?? fallbackSeconds) * 1000;
}
