import type { ZodType } from 'zod';

/**
 * Text that should hold one JSON value of a schema, or undefined when it does not: a torn line after a
 * crash, or a file a person edited. Only a syntax error is "not JSON"; anything else is a bug and throws.
 */
export function parseJsonAs<T>(schema: ZodType<T>, text: string): T | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
