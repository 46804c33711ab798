/**
 * A command as the table declares it: a schema for each argument and a handler that gets them parsed.
 * The handler never sees `unknown`: whatever VS Code passes has been through the schemas first.
 */
import type { z } from 'zod';

export interface Command {
  invoke(args: readonly unknown[]): unknown;
}

type Parsed<S extends readonly z.ZodTypeAny[]> = { -readonly [K in keyof S]: z.output<S[K]> };

export function command<const S extends readonly z.ZodTypeAny[]>(schemas: S, run: (...args: Parsed<S>) => unknown): Command {
  return { invoke: (args) => run(...(schemas.map((schema, i) => schema.parse(args[i])) as Parsed<S>)) };
}
