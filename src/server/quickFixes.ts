/**
 * Quick fixes for pack diagnostics. Each is a workspace edit the user applies: nothing here writes
 * a file by itself, so undo and the editor's dirty state work as usual.
 */
import { readFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextDocumentEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { CANONICAL_HEADER, RESULTS_MAX_BYTES, isValidSlug } from '../core/packFormat';
import { FixData } from '../shared/protocol';
import { SOURCE, toUri } from './diagnostics';
import { unlessMissing } from '../core/fsErrors';

/** A split leaves room to grow: the kept rows fill at most three quarters of the limit. */
const KEEP_BYTES = Math.floor(RESULTS_MAX_BYTES * 0.75);

type Overlay = (file: string) => string | undefined;

function readText(file: string, overlay: Overlay): string | undefined {
  const open = overlay(file);
  if (open !== undefined) return open;
  return unlessMissing(() => readFileSync(file, 'utf8'));
}

function insertAt(uri: string, line: number, character: number, text: string): TextDocumentEdit {
  return { textDocument: { uri, version: null }, edits: [{ range: { start: { line, character }, end: { line, character } }, newText: text }] };
}

function action(title: string, diagnostic: Diagnostic, edit: WorkspaceEdit, preferred = true): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit, isPreferred: preferred };
}

/** `Bad_Slug` → `bad-slug`: the nearest valid slug. */
export function suggestSlug(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return isValidSlug(slug) ? slug : 'experiment';
}

function freeName(parent: string, slug: string): string {
  let candidate = slug;
  for (let i = 2; existsSync(path.join(parent, candidate)); i++) candidate = `${slug}-${i}`;
  return candidate;
}

function createMissingFile(d: Diagnostic, data: FixData, templatesDir: string): CodeAction | undefined {
  const name = /missing required file (\S+)$/.exec(d.message)?.[1];
  if (!name) return undefined;
  const template = readText(path.join(templatesDir, 'pack', name), () => undefined);
  if (template === undefined) return undefined;
  const uri = toUri(path.join(data.packDir, name));
  const text = template.replace(/\{\{slug\}\}/g, path.basename(data.packDir));
  return action(`Create ${name} from the pack template`, d, {
    documentChanges: [{ kind: 'create', uri, options: { ignoreIfExists: true } }, insertAt(uri, 0, 0, text)],
  });
}

function renameToSlug(d: Diagnostic, data: FixData): CodeAction {
  const parent = path.dirname(data.packDir);
  const slug = freeName(parent, suggestSlug(path.basename(data.packDir)));
  return action(`Rename the folder to "${slug}"`, d, {
    documentChanges: [{ kind: 'rename', oldUri: toUri(data.packDir), newUri: toUri(path.join(parent, slug)) }],
  });
}

function addHeader(d: Diagnostic, data: FixData): CodeAction {
  const uri = toUri(path.join(data.packDir, 'results.tsv'));
  return action('Add the canonical results.tsv header', d, { documentChanges: [insertAt(uri, 0, 0, `${CANONICAL_HEADER.join('\t')}\n`)] });
}

/**
 * Splits an oversized log: the oldest rows move to results.archive.tsv (appended after its own rows
 * when it exists), results.tsv keeps its header and the newest rows. No row is lost.
 */
export function archiveEdit(packDir: string, results: string, archive: string | undefined): WorkspaceEdit | undefined {
  const lines = results.split(/(?<=\n)/);
  if (lines.length < 3) return undefined;
  const header = lines[0];
  let kept = Buffer.byteLength(header);
  let firstKept = lines.length;
  while (firstKept > 1 && kept + Buffer.byteLength(lines[firstKept - 1]) <= KEEP_BYTES) kept += Buffer.byteLength(lines[--firstKept]);
  if (firstKept <= 1) return undefined;
  let moved = lines.slice(1, firstKept).join('');
  if (!moved.endsWith('\n')) moved += '\n';
  const resultsUri = toUri(path.join(packDir, 'results.tsv'));
  const archiveUri = toUri(path.join(packDir, 'results.archive.tsv'));
  const removeOld = {
    textDocument: { uri: resultsUri, version: null },
    edits: [{ range: { start: { line: 1, character: 0 }, end: { line: firstKept, character: 0 } }, newText: '' }],
  };
  if (archive === undefined) {
    return { documentChanges: [{ kind: 'create', uri: archiveUri }, insertAt(archiveUri, 0, 0, header + moved), removeOld] };
  }
  const archiveLines = archive.split('\n');
  const endLine = archiveLines.length - 1;
  const prefix = archive.length > 0 && !archive.endsWith('\n') ? '\n' : '';
  return { documentChanges: [insertAt(archiveUri, endLine, archiveLines[endLine].length, prefix + moved), removeOld] };
}

function archiveOldRows(d: Diagnostic, data: FixData, overlay: Overlay): CodeAction | undefined {
  const results = readText(path.join(data.packDir, 'results.tsv'), overlay);
  if (results === undefined) return undefined;
  const edit = archiveEdit(data.packDir, results, readText(path.join(data.packDir, 'results.archive.tsv'), overlay));
  return edit && action('Move the oldest rows to results.archive.tsv', d, edit);
}

export function quickFixes(params: CodeActionParams, templatesDir: string, overlay: Overlay): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of params.context.diagnostics) {
    if (d.source !== SOURCE) continue;
    const data = FixData.safeParse(d.data);
    if (!data.success) continue;
    const fix =
      d.code === 'missing-file'
        ? createMissingFile(d, data.data, templatesDir)
        : d.code === 'invalid-slug'
          ? renameToSlug(d, data.data)
          : d.code === 'results-no-header'
            ? addHeader(d, data.data)
            : d.code === 'results-too-large'
              ? archiveOldRows(d, data.data, overlay)
              : undefined;
    if (fix) actions.push(fix);
  }
  return actions;
}
