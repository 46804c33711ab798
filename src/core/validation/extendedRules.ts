/**
 * Rules beyond validate.py: problems it cannot see that still break a loop or lose history.
 * None of them runs anything, so untrusted workspaces get them too.
 */
import type { Finding, Severity } from '../findings';
import { parseResults } from '../results/parse';
import { REQUIRED_FILES } from '../packFormat';
import { lineStarts, positionAt } from '../textPosition';
import type { PackListing } from './packListing';

export const EXTENDED_RULES = {
  notAFile: 'not-a-file',
  unreadable: 'file-unreadable',
  resultsBinary: 'results-binary',
  resultsUnchecked: 'results-too-large-to-check',
  timeBackwards: 'results-time-backwards',
  loopPlaceholder: 'template-loop',
  resetPlaceholder: 'template-reset',
  programPlaceholder: 'template-program',
  proposalNoTarget: 'proposal-no-target',
  missingReset: 'missing-reset',
  multipleCandidates: 'multiple-candidates',
  measureNeverPrints: 'measure-never-prints',
} as const;

/** Logs past this are not parsed in the editor: validate.py's limit is 64,000 bytes, so it is already an error. */
export const MAX_CHECKED_RESULTS_BYTES = 8 * 1024 * 1024;

function at(file: string, rule: string, severity: Severity, message: string, line = 1, column = 1, endLine = line, endColumn = column): Finding {
  return { rule, severity, message, file, line, column, endLine, endColumn };
}

/** The whole first line, for findings about a file as a whole. */
function firstLineOf(file: string, text: string, rule: string, severity: Severity, message: string): Finding {
  const end = text.search(/\r?\n|$/);
  return at(file, rule, severity, message, 1, 1, 1, end + 1);
}

/** Reads a file for a rule; an unreadable one becomes a finding instead of a crash. */
function readOrReport(pack: PackListing, name: string, findings: Finding[]): string | undefined {
  try {
    return pack.text(name);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    findings.push(at(pack.pathOf(name), EXTENDED_RULES.unreadable, 'error', `${pack.slug}: cannot read ${name} (${code})`));
    return undefined;
  }
}

/** An unreadable program.md is already the reference rule program-unreadable's finding. */
function readQuietly(pack: PackListing, name: string): string | undefined {
  try {
    return pack.text(name);
  } catch {
    return undefined;
  }
}

export async function checkRequiredAreFiles(pack: PackListing): Promise<Finding[]> {
  // A program.md that is a folder is the reference rule program-unreadable's finding.
  return REQUIRED_FILES.filter((f) => f !== 'program.md' && pack.has(f) && !pack.isFile(f)).map((f) =>
    at(pack.pathOf(f), EXTENDED_RULES.notAFile, 'error', `${pack.slug}: ${f} is a folder, not a file`),
  );
}

export async function checkResultsLog(pack: PackListing): Promise<Finding[]> {
  if (!pack.isFile('results.tsv')) return [];
  const file = pack.pathOf('results.tsv');
  const findings: Finding[] = [];
  let size: number;
  try {
    size = pack.size('results.tsv');
  } catch (err) {
    return [at(file, EXTENDED_RULES.unreadable, 'error', `${pack.slug}: cannot read results.tsv (${(err as NodeJS.ErrnoException).code})`)];
  }
  if (size > MAX_CHECKED_RESULTS_BYTES) {
    const mb = (size / (1024 * 1024)).toFixed(1);
    return [at(file, EXTENDED_RULES.resultsUnchecked, 'warning', `${pack.slug}: results.tsv is ${mb} MB; its rows are not checked above 8 MB`)];
  }
  const text = readOrReport(pack, 'results.tsv', findings);
  if (text === undefined) return findings;
  if (text.includes('\u0000')) return [at(file, EXTENDED_RULES.resultsBinary, 'error', `${pack.slug}: results.tsv holds binary data, not tab-separated text`)];
  const log = parseResults(text, file);
  findings.push(...log.problems.map((p) => ({ ...p, message: `${pack.slug}: ${p.message}` })));
  findings.push(...timestampsBackwards(pack.slug, file, text, log.trials));
  return findings;
}

function timestampsBackwards(slug: string, file: string, text: string, trials: ReturnType<typeof parseResults>['trials']): Finding[] {
  const findings: Finding[] = [];
  const starts = lineStarts(text);
  let previous: { time: number; line: number } | undefined;
  for (const t of trials) {
    if (!t.timestamp) continue;
    const time = Date.parse(t.timestamp);
    if (Number.isNaN(time)) continue;
    if (previous && time < previous.time) {
      const lineEnd = (starts[t.line] ?? text.length + 1) - 1;
      const end = positionAt(starts, Math.max(starts[t.line - 1], lineEnd));
      findings.push(
        at(file, EXTENDED_RULES.timeBackwards, 'warning', `${slug}: results.tsv timestamps go backwards at line ${t.line} (earlier than line ${previous.line}); rows should only be appended`, t.line, 1, t.line, end.column),
      );
    }
    previous = { time, line: t.line };
  }
  return findings;
}

/** Statements that only announce: a print, a pass, a docstring, an import, a main guard. */
const PLACEHOLDER_LINE = /^(print\(.*\)|pass|\.\.\.|raise NotImplementedError.*|import .*|from .* import .*|if __name__ == ['"]__main__['"]:|def main\(\)( -> None)?:|main\(\)|sys\.exit\(.*\)|r?["']{3}.*|#.*)$/;

/** True when a script does nothing but print: a template stub that was never filled in. */
export function isPlaceholderScript(source: string): boolean {
  let inDocstring = false;
  let statements = 0;
  for (const raw of source.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const quotes = (line.match(/"""|'''/g) ?? []).length;
    if (inDocstring) {
      if (quotes % 2 === 1) inDocstring = false;
      continue;
    }
    if (/^r?("""|''')/.test(line) && quotes % 2 === 1) {
      inDocstring = true;
      continue;
    }
    if (!PLACEHOLDER_LINE.test(line)) return false;
    statements++;
  }
  return statements > 0 && /print\(/.test(source);
}

/** Markers that a brief was never written: TODO lines, `<fill me in>` slots, unfilled `{{slug}}` tokens. */
const PROGRAM_PLACEHOLDER = /^[ \t]*(?:[-*][ \t]*)?(?:TODO|TBD|FIXME)\b.*$|<(?:describe|what|your|fill|insert)[^>\n]*>|\{\{\s*\w+\s*\}\}/im;

export async function checkTemplateLeftovers(pack: PackListing): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const [name, rule] of [
    ['loop.py', EXTENDED_RULES.loopPlaceholder],
    ['reset.py', EXTENDED_RULES.resetPlaceholder],
  ] as const) {
    if (!pack.isFile(name)) continue;
    const text = readOrReport(pack, name, findings);
    if (text !== undefined && isPlaceholderScript(text)) {
      findings.push(firstLineOf(pack.pathOf(name), text, rule, 'warning', `${pack.slug}: ${name} only prints a placeholder; it is still the template's stub`));
    }
  }
  if (pack.isFile('program.md')) {
    const text = readQuietly(pack, 'program.md');
    const match = text === undefined ? null : PROGRAM_PLACEHOLDER.exec(text);
    if (text !== undefined && match) {
      const starts = lineStarts(text);
      const start = positionAt(starts, match.index);
      const end = positionAt(starts, match.index + match[0].length);
      findings.push(
        at(pack.pathOf('program.md'), EXTENDED_RULES.programPlaceholder, 'warning', `${pack.slug}: program.md still holds template text ("${match[0].trim()}")`, start.line, start.column, end.line, end.column),
      );
    }
  }
  return findings;
}

export async function checkScripts(pack: PackListing): Promise<Finding[]> {
  const findings: Finding[] = [];
  if (!pack.has('reset.py') && pack.has('loop.py')) {
    findings.push(at(pack.pathOf('loop.py'), EXTENDED_RULES.missingReset, 'warning', `${pack.slug}: no reset.py; add one so the target can be restored to its baseline`));
  }
  const candidates = pack.entries.filter((e) => e.isFile && /^candidate\.[^.]+/.test(e.name));
  if (candidates.length > 1) {
    for (const c of candidates.slice(1)) {
      findings.push(
        at(pack.pathOf(c.name), EXTENDED_RULES.multipleCandidates, 'warning', `${pack.slug}: ${candidates.length} candidate files (${candidates.map((x) => x.name).join(', ')}); a pack has one bounded target`),
      );
    }
  }
  if (pack.isFile('measure.py')) {
    const text = readOrReport(pack, 'measure.py', findings);
    if (text !== undefined && !/\bprint\s*\(|\bjson\.dumps?\b|sys\.stdout\.write/.test(text)) {
      findings.push(firstLineOf(pack.pathOf('measure.py'), text, EXTENDED_RULES.measureNeverPrints, 'error', `${pack.slug}: measure.py never prints; its last output line must be a JSON object with a "score"`));
    }
  }
  for (const rel of pack.proposals) {
    const text = readOrReport(pack, rel, findings);
    if (text !== undefined && !text.includes('EXPERIMENT_TARGET')) {
      findings.push(firstLineOf(pack.pathOf(rel), text, EXTENDED_RULES.proposalNoTarget, 'warning', `${pack.slug}: ${rel} never reads EXPERIMENT_TARGET, so it may change some other file`));
    }
  }
  return findings;
}
