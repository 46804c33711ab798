/** The language server, over an in-process LSP connection, on real folders. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { Diagnostic, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { archiveEdit, suggestSlug } from '../../src/server/quickFixes';
import { packFiles, tempDir, writeTree } from './helpers';
import { EXPERIMENTS_FOLDERS_CHANGED } from '../../src/shared/protocol';
import { flush, startServer, uri, type Harness } from './lspHarness';

const HEADER = 'timestamp\ttrial\tstatus\told_score\tnew_score\tproposal\tdescription\n';
const harnesses: Harness[] = [];
after(() => harnesses.forEach((h) => h.dispose()));

async function serve(files: Record<string, string>, options = {}) {
  const root = writeTree(tempDir(), files);
  const h = await startServer(root, options);
  harnesses.push(h);
  return { root, h, exp: path.join(root, 'atris', 'experiments') };
}

const codes = (ds: Diagnostic[] | undefined) => (ds ?? []).map((d) => d.code).sort();

/** Applies the text edits of a workspace edit to strings, as an editor would. */
function applyEdits(text: string, edit: TextDocumentEdit): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edit.edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  for (const e of sorted) text = text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
  return text;
}

describe('diagnostics on start', () => {
  test('program.md over 1200 characters: code, severity and range from character 1201', async () => {
    const program = `${'a'.repeat(99)}\n${'b'.repeat(1000)}\n${'c'.repeat(300)}\n`;
    const { h, exp } = await serve(packFiles('atris/experiments/bloated', { 'program.md': program }));
    const [d] = h.diagnostics(path.join(exp, 'bloated', 'program.md'))!;
    assert.equal(d.code, 'program-too-long');
    assert.equal(d.severity, 1);
    assert.equal(d.source, 'autoexp');
    assert.equal(d.message, 'bloated: program.md too long (1402 chars > 1200)');
    assert.deepEqual(d.range, { start: { line: 2, character: 99 }, end: { line: 3, character: 0 } });
  });

  test('every pack is validated once, and a pack summary is sent for the Explorer badges', async () => {
    const { h, exp } = await serve({
      ...packFiles('atris/experiments/good'),
      ...packFiles('atris/experiments/Bad_Slug'),
    });
    const summaries = h.validated.flatMap((m) => m.packs).sort((a, b) => a.slug.localeCompare(b.slug));
    assert.deepEqual(summaries, [
      { dir: path.join(exp, 'Bad_Slug'), slug: 'Bad_Slug', errors: 1, warnings: 0 },
      { dir: path.join(exp, 'good'), slug: 'good', errors: 0, warnings: 0 },
    ]);
  });

  test('links are followed as validate.py follows them: a linked pack, a linked program.md, a broken link', async () => {
    const root = writeTree(tempDir(), {
      ...packFiles('shared/linked'),
      'shared/long.md': 'x'.repeat(5000),
      ...packFiles('atris/experiments/plain'),
    });
    const exp = path.join(root, 'atris', 'experiments');
    symlinkSync(path.join(root, 'shared', 'linked'), path.join(exp, 'linked'));
    unlinkSync(path.join(exp, 'plain', 'program.md'));
    symlinkSync(path.join(root, 'shared', 'long.md'), path.join(exp, 'plain', 'program.md'));
    unlinkSync(path.join(exp, 'plain', 'loop.py'));
    symlinkSync(path.join(root, 'nowhere.py'), path.join(exp, 'plain', 'loop.py'));
    const h = await startServer(root, {});
    harnesses.push(h);
    assert.deepEqual(codes(h.diagnostics(path.join(exp, 'plain', 'program.md'))), ['missing-file', 'program-too-long']);
    const summaries = h.validated.flatMap((m) => m.packs).map((p) => [p.slug, p.errors]);
    assert.deepEqual(summaries.sort(), [['linked', 0], ['plain', 2]]);
  });
});

describe('live', () => {
  test('typing in program.md re-validates its pack from the editor text, not the disk', async () => {
    const { h, exp } = await serve(packFiles('atris/experiments/live'));
    const program = path.join(exp, 'live', 'program.md');
    assert.equal(h.diagnostics(program), undefined);
    h.open(program, 'Improve the thing.\n');
    const appeared = h.nextDiagnostics(program, (d) => d.length === 1);
    h.change(program, 'x'.repeat(1300), 2);
    assert.deepEqual(codes(await appeared), ['program-too-long']);
    const cleared = h.nextDiagnostics(program, (d) => d.length === 0);
    h.change(program, 'Short again.\n', 3);
    assert.deepEqual(await cleared, []);
  });

  test('opening a file revalidates its pack, but the same diagnostics are not sent again', async () => {
    const long = 'x'.repeat(1300);
    const { h, exp } = await serve({ ...packFiles('atris/experiments/long'), 'atris/experiments/long/program.md': long });
    const program = path.join(exp, 'long', 'program.md');
    assert.deepEqual(codes(h.diagnostics(program)), ['program-too-long']);
    assert.equal(h.publications(program), 1);
    const revalidated = h.nextValidated();
    h.open(program, long);
    assert.deepEqual((await revalidated).packs.map((p) => p.slug), ['long']);
    await flush(h.client);
    assert.equal(h.publications(program), 1, 'the unchanged diagnostics were not sent again');
    const changed = h.nextDiagnostics(program);
    h.change(program, 'Short now.\n', 2);
    assert.deepEqual(await changed, []);
    assert.equal(h.publications(program), 2);
  });

  test('deleting a file on disk: the watched-file event re-validates only that pack', async () => {
    const { h, exp } = await serve({
      ...packFiles('atris/experiments/one'),
      ...packFiles('atris/experiments/two'),
    });
    const before = h.validated.length;
    unlinkSync(path.join(exp, 'one', 'measure.py'));
    const next = h.nextDiagnostics(path.join(exp, 'one', 'program.md'), (d) => d.length > 0);
    void h.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(path.join(exp, 'one', 'measure.py')), type: 3 }] });
    const ds = await next;
    assert.deepEqual(ds.map((d) => d.message), ['one: missing required file measure.py']);
    await new Promise((r) => setTimeout(r, 250));
    const slugs = h.validated.slice(before).flatMap((m) => m.packs.map((p) => p.slug));
    assert.deepEqual([...new Set(slugs)], ['one']);
  });

  test('a new pack folder gets diagnostics; a removed one has them cleared', async () => {
    const { h, exp } = await serve(packFiles('atris/experiments/first'));
    writeTree(exp, { 'New_One/program.md': 'Hello.\n' });
    const program = path.join(exp, 'New_One', 'program.md');
    const appeared = h.nextDiagnostics(program, (d) => d.length > 0);
    void h.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(program), type: 1 }] });
    assert.deepEqual(codes(await appeared), ['invalid-slug', 'missing-file', 'missing-file', 'missing-file']);
    rmSync(path.join(exp, 'New_One'), { recursive: true });
    const cleared = h.nextDiagnostics(program, (d) => d.length === 0);
    void h.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(path.join(exp, 'New_One')), type: 3 }] });
    assert.deepEqual(await cleared, []);
  });
});

describe('the experiments folders setting changes', () => {
  test('the server validates the packs of the new folders and clears those of the old ones', async () => {
    const { h, root, exp } = await serve({ ...packFiles('atris/experiments/Old_One'), ...packFiles('lab/packs/New_One') });
    const oldProgram = path.join(exp, 'Old_One', 'program.md');
    const newProgram = path.join(root, 'lab', 'packs', 'New_One', 'program.md');
    assert.deepEqual(codes(h.diagnostics(oldProgram)), ['invalid-slug']);
    assert.equal(h.diagnostics(newProgram), undefined);
    const appeared = h.nextDiagnostics(newProgram, (d) => d.length > 0);
    const cleared = h.nextDiagnostics(oldProgram, (d) => d.length === 0);
    void h.client.sendNotification(EXPERIMENTS_FOLDERS_CHANGED, { experimentsFolders: ['lab/packs'] });
    assert.deepEqual(codes(await appeared), ['invalid-slug']);
    assert.deepEqual(await cleared, []);
    await flush(h.client);
    assert.deepEqual(h.validated.at(-1), { packs: [{ dir: path.join(root, 'lab', 'packs', 'New_One'), slug: 'New_One', errors: 1, warnings: 0 }], removed: [] });
    assert.ok(h.validated.some((m) => m.removed.includes(path.join(exp, 'Old_One'))));
  });

  test('a malformed change is ignored: the folders stay as they were', async () => {
    const { h, exp } = await serve(packFiles('atris/experiments/Old_One'));
    const program = path.join(exp, 'Old_One', 'program.md');
    void h.client.sendNotification(EXPERIMENTS_FOLDERS_CHANGED, { experimentsFolders: 'lab/packs' });
    await new Promise((r) => setTimeout(r, 250));
    await flush(h.client);
    assert.deepEqual(codes(h.diagnostics(program)), ['invalid-slug']);
    assert.deepEqual(h.validated.flatMap((m) => m.removed), []);
  });
});

describe('packs that cannot be read never crash the server', () => {
  test('results.tsv that is a folder, binary bytes, and the server still answers', async () => {
    const files = { ...packFiles('atris/experiments/dir-log'), ...packFiles('atris/experiments/bin-log') };
    delete files[path.join('atris/experiments/dir-log', 'results.tsv')];
    const root = writeTree(tempDir(), files);
    mkdirSync(path.join(root, 'atris/experiments/dir-log/results.tsv'));
    writeFileSync(path.join(root, 'atris/experiments/bin-log/results.tsv'), Buffer.from([0x61, 0x00, 0xff, 0x0a]));
    const h = await startServer(root);
    harnesses.push(h);
    const exp = path.join(root, 'atris', 'experiments');
    assert.deepEqual(codes(h.diagnostics(path.join(exp, 'dir-log', 'results.tsv'))), ['not-a-file']);
    assert.deepEqual(codes(h.diagnostics(path.join(exp, 'bin-log', 'results.tsv'))), ['results-binary']);
    const all = (await h.client.sendRequest('autoexp/validateAll')) as { packs: unknown[] };
    assert.equal(all.packs.length, 2);
  });

  test('a program.md that is a folder, or not UTF-8: one error each where validate.py would crash', async () => {
    const files = { ...packFiles('atris/experiments/dir-program'), ...packFiles('atris/experiments/latin-program') };
    delete files[path.join('atris/experiments/dir-program', 'program.md')];
    const root = writeTree(tempDir(), files);
    const exp = path.join(root, 'atris', 'experiments');
    mkdirSync(path.join(exp, 'dir-program', 'program.md'));
    writeFileSync(path.join(exp, 'latin-program', 'program.md'), Buffer.from('Caf\xe9 au lait\n', 'latin1'));
    const h = await startServer(root);
    harnesses.push(h);
    assert.deepEqual(codes(h.diagnostics(path.join(exp, 'dir-program', 'program.md'))), ['program-unreadable']);
    const [d] = h.diagnostics(path.join(exp, 'latin-program', 'program.md'))!;
    assert.equal(d.code, 'program-unreadable');
    assert.equal(d.message, 'latin-program: program.md is not UTF-8 text: byte 0xe9 on line 1 (offset 3); save it as UTF-8');
  });

  test('a 200 MB results.tsv gets a diagnostic, not a stalled server', async () => {
    const root = writeTree(tempDir(), packFiles('atris/experiments/giant'));
    const log = path.join(root, 'atris/experiments/giant/results.tsv');
    truncateSync(log, 200 * 1024 * 1024); // sparse: costs no disk
    const h = await startServer(root);
    harnesses.push(h);
    const ds = h.diagnostics(log)!;
    assert.deepEqual(
      ds.map((d) => [d.code, d.severity, d.range.start.line]),
      [
        ['results-too-large', 1, 1],
        ['results-too-large-to-check', 2, 0],
      ],
    );
    assert.equal(ds[1].message, 'giant: results.tsv is 200.0 MB; its rows are not checked above 8 MB');
  });
});

describe('append-only results.tsv in git', () => {
  test('a changed committed row is an error on that line; appending is fine', async () => {
    const rows = `${HEADER}t1\t1\tkept\t0.1\t0.2\ta.py\tfirst\nt2\t2\treverted\t0.2\t0.1\tb.py\tsecond\n`;
    const root = writeTree(tempDir(), packFiles('atris/experiments/logged', { 'results.tsv': rows }));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, stdio: 'pipe' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'log');
    const log = path.join(root, 'atris/experiments/logged/results.tsv');
    writeFileSync(log, `${rows}t3\t3\tkept\t0.2\t0.3\tc.py\tthird\n`);
    const h = await startServer(root);
    harnesses.push(h);
    assert.equal(h.diagnostics(log), undefined);
    h.open(log, rows.replace('second', 'rewritten'));
    const [d] = await h.nextDiagnostics(log, (ds) => ds.length > 0);
    assert.equal(d.code, 'results-append-only');
    assert.equal(d.message, 'logged: results.tsv is append-only: row 3 was changed since the last commit');
    assert.deepEqual(d.range.start, { line: 2, character: 0 });
  });

  test('untrusted: git is not run, so no append-only check', async () => {
    const rows = `${HEADER}t1\t1\tkept\t0.1\t0.2\ta.py\tfirst\n`;
    const root = writeTree(tempDir(), packFiles('atris/experiments/logged', { 'results.tsv': rows }));
    execFileSync('git', ['init', '-q'], { cwd: root });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'add', '-A'], { cwd: root });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'x'], { cwd: root });
    writeFileSync(path.join(root, 'atris/experiments/logged/results.tsv'), HEADER);
    const h = await startServer(root, { trusted: false });
    harnesses.push(h);
    assert.equal(h.diagnostics(path.join(root, 'atris/experiments/logged/results.tsv')), undefined);
  });
});

describe('quick fixes', () => {
  test('a missing file is created from the pack template', async () => {
    const files = packFiles('atris/experiments/gap');
    delete files[path.join('atris/experiments/gap', 'measure.py')];
    const { h, exp } = await serve(files);
    const ds = h.diagnostics(path.join(exp, 'gap', 'program.md'))!;
    const [fix] = await h.codeActions(path.join(exp, 'gap', 'program.md'), ds);
    assert.equal(fix.title, 'Create measure.py from the pack template');
    const changes = fix.edit!.documentChanges!;
    assert.deepEqual(changes[0], { kind: 'create', uri: uri(path.join(exp, 'gap', 'measure.py')), options: { ignoreIfExists: true } });
    const insert = changes[1] as TextDocumentEdit;
    assert.equal(insert.edits[0].newText, readFileSync(new URL('../../templates/pack/measure.py', import.meta.url), 'utf8'));
  });

  test('a bad slug is renamed to the nearest free slug', async () => {
    const { h, exp } = await serve({ ...packFiles('atris/experiments/Bad_Slug'), 'atris/experiments/bad-slug/notes.txt': 'taken' });
    const ds = h.diagnostics(path.join(exp, 'Bad_Slug', 'program.md'))!;
    const [fix] = await h.codeActions(path.join(exp, 'Bad_Slug', 'program.md'), ds);
    assert.equal(fix.title, 'Rename the folder to "bad-slug-2"');
    assert.deepEqual(fix.edit!.documentChanges, [{ kind: 'rename', oldUri: uri(path.join(exp, 'Bad_Slug')), newUri: uri(path.join(exp, 'bad-slug-2')) }]);
    assert.equal(suggestSlug('My Cool_Exp!!'), 'my-cool-exp');
  });

  test('a log without a header gets the canonical one', async () => {
    const { h, exp } = await serve(packFiles('atris/experiments/headless', { 'results.tsv': '2026-01-01\t1\tkept\t0.1\t0.2\ta.py\tx\n' }));
    const log = path.join(exp, 'headless', 'results.tsv');
    const ds = (h.diagnostics(log) ?? []).filter((d) => d.code === 'results-no-header');
    assert.equal(ds.length, 1);
    const [fix] = await h.codeActions(log, ds);
    assert.equal(fix.title, 'Add the canonical results.tsv header');
    assert.equal(applyEdits('2026-01-01\t1\tkept\t0.1\t0.2\ta.py\tx\n', fix.edit!.documentChanges![0] as TextDocumentEdit), `${HEADER}2026-01-01\t1\tkept\t0.1\t0.2\ta.py\tx\n`);
  });

  test('an oversized log is split: oldest rows to results.archive.tsv, no row lost', () => {
    const rows = Array.from({ length: 800 }, (_, i) => `2026-01-01T00:00:00Z\t${i + 1}\tkept\t0.1\t0.2\tp.py\t${'x'.repeat(50)}\n`);
    const results = HEADER + rows.join('');
    const edit = archiveEdit('/p', results, undefined) as WorkspaceEdit;
    const [create, archiveInsert, trim] = edit.documentChanges as [unknown, TextDocumentEdit, TextDocumentEdit];
    assert.deepEqual(create, { kind: 'create', uri: 'file:///p/results.archive.tsv' });
    const archive = applyEdits('', archiveInsert);
    const remaining = applyEdits(results, trim);
    assert.ok(Buffer.byteLength(remaining) <= 48_000, `kept ${Buffer.byteLength(remaining)} bytes`);
    assert.ok(remaining.startsWith(HEADER) && archive.startsWith(HEADER));
    assert.equal(archive.slice(HEADER.length) + remaining.slice(HEADER.length), rows.join(''));
    const existing = `${HEADER}old\n`;
    const again = archiveEdit('/p', results, existing) as WorkspaceEdit;
    assert.equal(applyEdits(existing, again.documentChanges![0] as TextDocumentEdit), existing + archive.slice(HEADER.length));
  });
});
