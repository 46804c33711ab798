/** The command table's argument schemas: what tree nodes, URIs, CodeLenses and tests pass, and what reads as absent. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { None, PackArg, PackDir, ProposalArg, ProposalNames, Repeat, ResetOptions, TargetArg, TrialArg } from '../../src/extension/commands/args';
import { REPO_ROOT } from './helpers';

/** A stand-in for vscode.Uri: its fsPath is a getter on the prototype, as in VS Code. */
class FakeUri {
  constructor(readonly scheme: string, private readonly p: string) {}
  get fsPath(): string {
    return this.p;
  }
}

describe('PackArg', () => {
  test('a pack from the tree, from a message, or from a file inside it', () => {
    assert.deepEqual(PackArg.parse({ pack: { dir: '/w/p', slug: 'p' } }), { dir: '/w/p' });
    assert.deepEqual(PackArg.parse({ spec: { packDir: '/w/p', kind: 'pack' } }), { dir: '/w/p' });
    assert.deepEqual(PackArg.parse(new FakeUri('file', '/w/p/measure.py')), { file: '/w/p/measure.py' });
  });

  test('anything else is absent, so the command asks', () => {
    for (const arg of [undefined, null, 'p', 3, {}, { pack: {} }, { spec: { packDir: '' } }, new FakeUri('untitled', 'x')]) assert.equal(PackArg.parse(arg), undefined);
  });
});

describe('TrialArg', () => {
  test('a trial node, a bare trial ref, or a pack to pick a trial of', () => {
    assert.deepEqual(TrialArg.parse({ spec: { packDir: '/w/p', resultsLine: 4, kind: 'trial' } }), { trial: { packDir: '/w/p', resultsLine: 4 } });
    assert.deepEqual(TrialArg.parse({ packDir: '/w/p', resultsLine: 7 }), { trial: { packDir: '/w/p', resultsLine: 7 } });
    assert.deepEqual(TrialArg.parse({ spec: { packDir: '/w/p', kind: 'pack' } }), { pack: { dir: '/w/p' } });
    assert.deepEqual(TrialArg.parse({ packDir: '/w/p', resultsLine: '7' }), {});
    assert.deepEqual(TrialArg.parse(undefined), {});
  });
});

describe('ProposalArg', () => {
  test('a proposal node or a URI names the file; a pack node names the pack', () => {
    assert.deepEqual(ProposalArg.parse({ spec: { kind: 'proposal', open: '/w/p/proposals/a.py', packDir: '/w/p' } }), { file: '/w/p/proposals/a.py' });
    assert.deepEqual(ProposalArg.parse(new FakeUri('file', '/w/p/proposals/b.py')), { file: '/w/p/proposals/b.py' });
    assert.deepEqual(ProposalArg.parse({ spec: { kind: 'pack', packDir: '/w/p' } }), { pack: { dir: '/w/p' } });
    assert.deepEqual(ProposalArg.parse(42), {});
  });
});

describe('the other arguments', () => {
  test('a target CodeLens needs both its pack and its target', () => {
    assert.deepEqual(TargetArg.parse({ packDir: '/w/p', target: '/w/p/candidate.py' }), { packDir: '/w/p', target: '/w/p/candidate.py' });
    assert.equal(TargetArg.parse({ packDir: '/w/p' }), undefined);
  });

  test('proposal names only as a list of strings', () => {
    assert.deepEqual(ProposalNames.parse(['a.py', 'b.py']), ['a.py', 'b.py']);
    assert.equal(ProposalNames.parse(['a.py', 3]), undefined);
    assert.equal(ProposalNames.parse('a.py'), undefined);
  });

  test('Reset Pack confirms unless told confirm: false', () => {
    assert.deepEqual(ResetOptions.parse({ confirm: false }), { confirm: false });
    assert.deepEqual(ResetOptions.parse({ confirm: true }), { confirm: true });
    assert.deepEqual(ResetOptions.parse(undefined), { confirm: true });
    assert.deepEqual(ResetOptions.parse({ confirm: 'no' }), { confirm: true });
  });

  test('a repeat count, a pack folder, and no argument at all', () => {
    assert.equal(Repeat.parse(5), 5);
    assert.equal(Repeat.parse('5'), undefined);
    assert.equal(PackDir.parse('/w/p'), '/w/p');
    assert.equal(PackDir.parse({ dir: '/w/p' }), undefined);
    assert.equal(None.parse({ anything: true }), undefined);
  });
});

describe('the command table', () => {
  test('has one row for every command package.json contributes, and no other', () => {
    const contributed = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: { commands: Array<{ command: string }> } }).contributes.commands.map((c) => c.command);
    const table = readFileSync(path.join(REPO_ROOT, 'src', 'extension', 'commands', 'table.ts'), 'utf8');
    const rows = [...table.matchAll(/^ {4}'(autoexp\.[A-Za-z]+)': command\(/gm)].map((m) => m[1]);
    assert.deepEqual([...rows].sort(), [...contributed].sort());
    assert.equal(new Set(rows).size, rows.length);
  });
});
