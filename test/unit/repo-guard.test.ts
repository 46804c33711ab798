/**
 * The guard, in both engines, on copies of the smoke pack in real git repositories (and one plain
 * folder), with real Python: a proposal may change its target and nothing else in the repository,
 * `.git` included, and results.tsv only ever grows by the loop's own rows.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { diffCommand } from '../../src/cli/commands/diff';
import type { Engine } from '../../src/core/run/context';
import { readJournal, runsOfPack } from '../../src/core/run/journal';
import { runLoop } from '../../src/core/run/runLoop';
import { contentHash, SnapshotStore } from '../../src/core/run/snapshots';
import { BASELINE, FIXED, backupBesideTarget, smokeRepo } from './support/smokeRepo';

const git = (repo: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo, encoding: 'utf8' });
const read = (file: string) => readFileSync(file, 'utf8');
const rowsOf = (pack: string) => read(path.join(pack, 'results.tsv')).trimEnd().split('\n').slice(1).map((r) => r.split('\t'));

/** Python that fixes the target (a kept trial, were it alone) and then does `extra` with `root` = the repository. */
function proposal(extra: string): string {
  return [
    'import os, pathlib, subprocess',
    'target = pathlib.Path(os.environ["EXPERIMENT_TARGET"])',
    `target.write_text(${JSON.stringify(FIXED)})`,
    'root = target.resolve().parents[3]',
    extra,
    'print("fixed it, and a bit more")',
    '',
  ].join('\n');
}

function repoWith(files: Record<string, string>, proposals: Record<string, string>) {
  const { repo, pack } = smokeRepo();
  for (const [rel, text] of Object.entries(files)) writeFileSync(path.join(repo, rel), text);
  for (const [name, text] of Object.entries(proposals)) writeFileSync(path.join(pack, 'proposals', name), text);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '--allow-empty', '-m', 'fixtures');
  return { repo, pack };
}

function run(pack: string, engine: Engine, proposals: string[]) {
  const lines: string[] = [];
  const done = runLoop({ pack, proposals, python: 'python3', engine, reporter: { line: (t) => lines.push(t), output: () => undefined, log: () => undefined } });
  return done.then((summary) => ({ summary, lines }));
}

/** The hostile proposal of the issue: the repository's README, a new file at the root, a git hook. */
const HOSTILE = proposal(
  [
    '(root / "README.md").write_text("owned\\n")',
    '(root / "stray.txt").write_text("stray\\n")',
    'hook = root / ".git" / "hooks" / "post-checkout"',
    'hook.write_text("#!/bin/sh\\necho owned\\n")',
    'hook.chmod(0o755)',
  ].join('\n'),
);

for (const engine of ['native', 'pack'] as const) {
  describe(`${engine} engine: the repository guard`, () => {
    test('a proposal that writes the README, a new root file and a git hook is an error; all three are undone and named', async () => {
      const { repo, pack } = repoWith({ 'README.md': '# The product\n' }, { 'hostile.py': HOSTILE });
      const { summary } = await run(pack, engine, ['hostile.py']);
      assert.equal(summary.trials[0].status, 'error');
      const reason = 'proposal touched .git/hooks/post-checkout, README.md and stray.txt; all put back';
      assert.ok(rowsOf(pack)[0][6].includes(reason), rowsOf(pack)[0][6]);
      assert.equal(read(path.join(repo, 'README.md')), '# The product\n');
      assert.equal(existsSync(path.join(repo, 'stray.txt')), false);
      assert.equal(existsSync(path.join(repo, '.git', 'hooks', 'post-checkout')), false);
      assert.equal(read(path.join(pack, 'candidate.py')), BASELINE, 'the target is restored too: the trial was an error');
      assert.equal(git(repo, 'status', '--porcelain'), ' M atris/experiments/smoke-keep-revert/results.tsv\n');
      const [record] = runsOfPack(readJournal(repo), pack);
      assert.deepEqual(record.trials[0].touched?.map((f) => path.relative(repo, f)), ['.git/hooks/post-checkout', 'README.md', 'stray.txt']);
    });

    test('what the guard undoes is kept: the journal names each path and its copy, the terminal says where it is', async () => {
      const { repo, pack } = repoWith({ 'README.md': '# The product\n' }, { 'hostile.py': HOSTILE });
      const { lines } = await run(pack, engine, ['hostile.py']);
      const [trial] = runsOfPack(readJournal(repo), pack)[0].trials;
      const store = new SnapshotStore(repo);
      const wrote = { '.git/hooks/post-checkout': '#!/bin/sh\necho owned\n', 'README.md': 'owned\n', 'stray.txt': 'stray\n' };
      const undone = Object.fromEntries(Object.entries(trial.undone ?? {}).map(([file, hash]) => [path.relative(repo, file), store.get(hash).toString()]));
      assert.deepEqual(undone, wrote);
      assert.deepEqual(
        lines.filter((line) => line.includes(' undid ')),
        Object.entries(wrote).map(([file, text]) => `autoexp: trial 1: undid ${file}; the proposal's copy: .autoexp/snapshots/${contentHash(Buffer.from(text))}`),
      );
      // `autoexp diff PACK 1` ends with the same, one line a path.
      const out: string[] = [];
      assert.equal(await diffCommand([pack, '1'], { out: (line) => out.push(line), err: () => undefined, cwd: repo, templatesDir: '' }), 0);
      assert.deepEqual(
        out.filter((line) => line.startsWith('guard: ')),
        Object.entries(wrote).map(([file, text]) => `guard: undid ${file}; the proposal's copy: .autoexp/snapshots/${contentHash(Buffer.from(text))}`),
      );
    });

    test('a commit, a staged file and a config change made by the proposal are undone: HEAD, refs, index and config', async () => {
      const { repo, pack } = repoWith({ 'README.md': '# The product\n' }, {
        'commits.py': proposal(
          [
            '(root / "README.md").write_text("committed by a proposal\\n")',
            'subprocess.run(["git", "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qam", "sneaky"], cwd=root, check=True)',
            '(root / "new.txt").write_text("staged\\n")',
            'subprocess.run(["git", "add", "new.txt"], cwd=root, check=True)',
            'subprocess.run(["git", "config", "core.hooksPath", "/tmp/elsewhere"], cwd=root, check=True)',
          ].join('\n'),
        ),
      });
      const head = git(repo, 'rev-parse', 'HEAD');
      const config = read(path.join(repo, '.git', 'config'));
      const { summary } = await run(pack, engine, ['commits.py']);
      assert.equal(summary.trials[0].status, 'error');
      assert.equal(git(repo, 'rev-parse', 'HEAD'), head);
      assert.equal(read(path.join(repo, '.git', 'config')), config);
      assert.equal(read(path.join(repo, 'README.md')), '# The product\n');
      assert.equal(existsSync(path.join(repo, 'new.txt')), false);
      assert.equal(git(repo, 'status', '--porcelain'), ' M atris/experiments/smoke-keep-revert/results.tsv\n', 'nothing staged, nothing else changed');
      const [record] = runsOfPack(readJournal(repo), pack);
      const touched = record.trials[0].touched?.map((f) => path.relative(repo, f)) ?? [];
      for (const file of ['.git/config', '.git/index', '.git/refs/heads/' + git(repo, 'branch', '--show-current').trim(), 'README.md', 'new.txt']) assert.ok(touched.includes(file), `${file} in ${touched.join(', ')}`);
    });

    test('an ignore rule the proposal removed is put back before new files are judged: the user\'s ignored .env stays', async () => {
      const { repo, pack } = repoWith({ '.gitignore': '.env\n' }, { 'unignore.py': proposal('(root / ".gitignore").write_text("")') });
      writeFileSync(path.join(repo, '.env'), 'SECRET=1\n');
      const { summary } = await run(pack, engine, ['unignore.py']);
      assert.equal(summary.trials[0].status, 'error');
      assert.equal(read(path.join(repo, '.gitignore')), '.env\n');
      assert.equal(read(path.join(repo, '.env')), 'SECRET=1\n');
      assert.match(rowsOf(pack)[0][6], /proposal touched \.gitignore; all put back/);
    });

    test('new files hidden by a new .gitignore are found and removed with it, folders too', async () => {
      const { repo, pack } = repoWith({}, { 'hide.py': proposal('(root / "hidden" / "deep").mkdir(parents=True)\n(root / "hidden" / ".gitignore").write_text("*\\n")\n(root / "hidden" / "deep" / "evil.py").write_text("x = 1\\n")') });
      const { summary } = await run(pack, engine, ['hide.py']);
      assert.equal(summary.trials[0].status, 'error');
      assert.equal(existsSync(path.join(repo, 'hidden')), false, 'the new folder is gone');
      assert.match(rowsOf(pack)[0][6], /proposal touched hidden\/\.gitignore and hidden\/deep\/evil\.py; all put back/);
    });

    test('a forged row appended to results.tsv is cut off; a rewritten row puts the whole log back', async () => {
      const forge = proposal('log = target.parent / "results.tsv"\nwith log.open("a") as f:\n    f.write("2026-01-01T00:00:00+00:00\\t9\\tkept\\t0.2000\\t9.9999\\tforged.py\\tforged\\n")');
      const rewrite = proposal('log = target.parent / "results.tsv"\nlog.write_text(log.read_text().replace("reverted", "kept"))');
      const { repo, pack } = repoWith({}, { 'forge.py': forge, 'rewrite.py': rewrite });
      const { summary } = await run(pack, engine, ['bad_patch.py', 'forge.py', 'rewrite.py']);
      assert.deepEqual(summary.trials.map((t) => t.status), ['reverted', 'error', 'error']);
      const rows = rowsOf(pack);
      assert.deepEqual(rows.map((r) => [r[2], r[5]]), [
        ['reverted', 'bad_patch.py'],
        ['error', 'forge.py'],
        ['error', 'rewrite.py'],
      ]);
      assert.match(rows[1][6], /proposal touched atris\/experiments\/smoke-keep-revert\/results\.tsv; all put back/);
      assert.match(rows[2][6], /proposal touched atris\/experiments\/smoke-keep-revert\/results\.tsv; all put back/);
      // The log as the proposal left it is kept: the forged row can be read after it was cut off.
      const keptLog = Object.values(runsOfPack(readJournal(repo), pack)[0].trials[1].undone ?? {}).map((hash) => new SnapshotStore(repo).get(hash).toString());
      assert.equal(keptLog.length, 1);
      assert.ok(keptLog[0].endsWith('\tforged.py\tforged\n'), keptLog[0]);
    });

    test('a proposal that deletes .git fails its trial with the reason, the target restored; the run goes on', async () => {
      // What cannot be undone is said, never hidden: the guard keeps no copy of git's objects.
      const { pack } = repoWith({}, { 'nuke.py': proposal('import shutil\nshutil.rmtree(root / ".git")') });
      const { summary } = await run(pack, engine, ['nuke.py', 'fix_patch.py']);
      assert.equal(summary.status, 'finished');
      assert.deepEqual(summary.trials.map((t) => t.status), ['error', 'error']);
      assert.match(summary.trials[0].reason ?? '', /^the guard could not check the repository: git status failed in .*: fatal: not a git repository/);
      assert.equal(read(path.join(pack, 'candidate.py')), BASELINE);
    });

    test('a forged row in a log over 16 MB is cut off too', async () => {
      const forge = proposal('log = target.parent / "results.tsv"\nwith log.open("a") as f:\n    f.write("2026-01-01T00:00:00+00:00\\t9\\tkept\\t0.2000\\t9.9999\\tforged.py\\tforged\\n")');
      const { pack } = repoWith({}, { 'forge.py': forge });
      const log = path.join(pack, 'results.tsv');
      const row = '2025-01-01T00:00:00+00:00\t1\treverted\t0.2000\t0.2000\told.py\t' + 'an old trial '.repeat(8) + '\n';
      writeFileSync(log, read(log) + row.repeat(Math.ceil((17 * 1024 * 1024) / row.length)));
      const size = statSync(log).size;
      assert.ok(size > 16 * 1024 * 1024);
      const { summary } = await run(pack, engine, ['forge.py']);
      assert.equal(summary.trials[0].status, 'error');
      const text = read(log);
      assert.equal(text.includes('forged.py'), false);
      assert.equal(text.slice(size).split('\t')[2], 'error', 'only the error row was added');
    });
  });
}

describe('the guard outside git', () => {
  for (const engine of ['native', 'pack'] as const) {
    test(`${engine} engine: the folder that holds atris/ is covered`, async () => {
      const { repo, pack } = repoWith({ 'notes.md': 'my notes\n' }, { 'outside.py': proposal('(root / "notes.md").write_text("owned\\n")\n(root / "new.txt").write_text("x\\n")') });
      rmSync(path.join(repo, '.git'), { recursive: true, force: true });
      const { summary } = await run(pack, engine, ['outside.py']);
      assert.equal(summary.trials[0].status, 'error');
      assert.match(rowsOf(pack)[0][6], /proposal touched new\.txt and notes\.md; all put back/);
      assert.equal(read(path.join(repo, 'notes.md')), 'my notes\n');
      assert.equal(existsSync(path.join(repo, 'new.txt')), false);
      assert.equal(read(path.join(pack, 'candidate.py')), BASELINE);
    });
  }
});

describe('the guard lets the loop be', () => {
  test('a good proposal is still kept in both engines, and a repository that was already dirty stays as it was', async () => {
    for (const engine of ['native', 'pack'] as const) {
      const { repo, pack } = repoWith({ 'README.md': '# The product\n' }, {});
      writeFileSync(path.join(repo, 'README.md'), '# Work in progress\n');
      writeFileSync(path.join(repo, 'scratch.txt'), 'untracked notes\n');
      const { summary } = await run(pack, engine, ['bad_patch.py', 'fix_patch.py']);
      assert.deepEqual(summary.trials.map((t) => t.status), ['reverted', 'kept'], engine);
      assert.equal(read(path.join(pack, 'candidate.py')), FIXED, engine);
      assert.equal(read(path.join(repo, 'README.md')), '# Work in progress\n', engine);
      assert.equal(read(path.join(repo, 'scratch.txt')), 'untracked notes\n', engine);
    }
  });

  test('what loop.py and measure.py write between proposals is theirs: a backup beside the target, a new output file each measure', async () => {
    for (const engine of ['native', 'pack'] as const) {
      // A proposal that writes through a temporary file and a rename, as editors and agents do: the
      // pack folder changes under the guard's eyes, and loop.py's earlier backup is gone from it.
      const atomic = `import os\ntarget = os.environ["EXPERIMENT_TARGET"]\nopen(target + ".tmp", "w").write(${JSON.stringify(FIXED)})\nos.replace(target + ".tmp", target)\nprint("fixed, atomically")\n`;
      // A tracked file measure.py rewrites; not the harness (program.md would stop the run: issue 14's check).
      const { repo, pack } = repoWith({ 'atris/experiments/smoke-keep-revert/last-measure.txt': 'never measured\n' }, { 'atomic_fix.py': atomic });
      if (engine === 'pack') backupBesideTarget(pack);
      // measure.py leaves a new file, and rewrites a tracked one, every time it runs.
      appendFileSync(path.join(pack, 'measure.py'), '\nimport time, pathlib\nhere = pathlib.Path(__file__).parent\n(here / f"eval-{time.time_ns()}.json").write_text("{}")\n(here / "last-measure.txt").write_text(f"measured at {time.time_ns()}\\n")\n');
      const { summary } = await run(pack, engine, ['bad_patch.py', 'atomic_fix.py']);
      assert.deepEqual(summary.trials.map((t) => t.status), ['reverted', 'kept'], engine);
      assert.equal(read(path.join(pack, 'candidate.py')), FIXED, engine);
      assert.equal(readdirSync(pack).filter((f) => f.startsWith('eval-')).length, 3, `${engine}: the baseline's and both trials' outputs stay`);
      assert.deepEqual(readdirSync(pack).filter((f) => f.endsWith('.bak')), [], engine);
      assert.match(read(path.join(pack, 'last-measure.txt')), /^measured at \d+\n$/, engine);
      assert.equal(runsOfPack(readJournal(repo), pack)[0].trials.some((t) => t.touched), false, engine);
    }
  });

  test('native engine: a proposal that deletes the target is an error, the target comes back, and the run goes on', async () => {
    const remove = 'import os\nos.remove(os.environ["EXPERIMENT_TARGET"])\nprint("deleted")\n';
    const { pack } = repoWith({}, { 'delete_target.py': remove });
    const { summary } = await run(pack, 'native', ['delete_target.py', 'fix_patch.py']);
    assert.deepEqual(
      summary.trials.map((t) => [t.status, t.reason]),
      [
        ['error', 'the proposal deleted the target'],
        ['kept', undefined],
      ],
    );
    assert.equal(read(path.join(pack, 'candidate.py')), FIXED);
  });
});
