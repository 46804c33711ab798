/** Core findings as LSP diagnostics: 1-based positions become 0-based, rules become codes. */
import { pathToFileURL, fileURLToPath } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { Finding } from '../core/findings';
import type { FixData } from '../shared/protocol';

export const SOURCE = 'autoexp';

export const toUri = (file: string): string => pathToFileURL(file).toString();

export function toPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch (err) {
    // A file: URI that names no local path (a host, an encoded slash).
    if (err instanceof TypeError) return undefined;
    throw err;
  }
}

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

export function toDiagnostic(finding: Finding, packDir: string): Diagnostic {
  const start = { line: finding.line - 1, character: finding.column - 1 };
  const end = finding.endLine !== undefined ? { line: finding.endLine - 1, character: (finding.endColumn ?? finding.column) - 1 } : start;
  const data: FixData = { packDir, file: finding.file };
  return { range: { start, end }, severity: SEVERITY[finding.severity], code: finding.rule, source: SOURCE, message: finding.message, data };
}

/** Findings grouped by the file they point into. */
export function byFile(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = groups.get(f.file) ?? [];
    list.push(f);
    groups.set(f.file, list);
  }
  return groups;
}
