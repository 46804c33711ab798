/**
 * What an agent says about its trial: the last stdout line may be a JSON object with a description,
 * a hypothesis, its cost and tokens, and ideas for later trials. Everything is optional; a malformed
 * report is noted, never fatal, because the candidate is what counts.
 */
import { z } from 'zod';

export const AgentReport = z
  .object({
    description: z.string().optional(),
    hypothesis: z.string().optional(),
    cost_usd: z.number().nonnegative().finite().optional(),
    tokens: z.number().int().nonnegative().optional(),
    ideas: z.array(z.string()).optional(),
  })
  .passthrough();
export type AgentReport = z.infer<typeof AgentReport>;

export interface ReadReport {
  report: AgentReport;
  /** Why a last line that looked like a report was not used. */
  problem?: string;
}

export function lastNonEmptyLine(text: string): string | undefined {
  const lines = text.split(/\r?\n/);
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i].trim()) return lines[i].trim();
  return undefined;
}

export function readAgentReport(text: string): ReadReport {
  const line = lastNonEmptyLine(text);
  if (!line?.startsWith('{')) return { report: {} };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    return { report: {}, problem: 'the last line starts like JSON but does not parse' };
  }
  const parsed = AgentReport.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { report: {}, problem: `the report's ${issue.path.join('.') || 'value'} is not valid (${issue.message})` };
  }
  return { report: parsed.data };
}
