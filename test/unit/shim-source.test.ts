/**
 * The pack engine's Python shim on its own, with real Python: it writes the JSON json.dumps would,
 * reads its config from a Python literal whatever a path holds, runs the proposal as python would, and
 * keeps its own bytecode cached even where the user turned caching off.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { GuardServer } from '../../src/core/run/guard/guardServer';
import { RepoGuard } from '../../src/core/run/guard/repoGuard';
import { foldJournal } from '../../src/core/run/journal';
import { SnapshotStore } from '../../src/core/run/snapshots';
import { pythonLiteral, SHIM_MODULE, SHIM_MODULE_NAME, shimStub } from '../../src/core/run/shimSource';
import { tempDir, writeTree } from './helpers';

function python(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}) {
  const r = spawnSync('python3', args, { encoding: 'utf8', ...options, env: { ...process.env, ...options.env } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** Without blocking: the shim asks the run's guard, in this process, before and after the proposal. */
function pythonAsync(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', args, { cwd: options.cwd, env: { ...process.env, ...options.env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${out}${err}`))));
  });
}

function shimFolder(): string {
  const dir = tempDir('autoexp-shim-');
  writeFileSync(path.join(dir, `${SHIM_MODULE_NAME}.py`), SHIM_MODULE);
  return dir;
}

const ODD = ['plain', 'a "quoted" name', 'back\\slash', 'tab\there', 'line\nbreak', 'del\u007f', 'cr\r bs\b ff\f soh\u0001', 'café', '日本', 'emoji 🧪', '\u2028'];

describe('the shim writes its journal lines itself', () => {
  test('to_json gives exactly what json.dumps gives, lone surrogates of undecodable file names included', () => {
    const dir = shimFolder();
    const script = [
      'import json, os, sys',
      `sys.path.insert(0, ${JSON.stringify(dir)})`,
      'import autoexp_shim',
      'values = json.loads(sys.stdin.read())',
      'values.append(os.fsdecode(b"name-\\xff.py"))',
      'values.append({"type": "trial-applied", "exitCode": None, "durationMs": 12.5, "touched": ["a", "b"], "ok": True, "n": -3})',
      'for v in values:',
      '    print(json.dumps([autoexp_shim.to_json(v) == json.dumps(v), autoexp_shim.to_json(v)]))',
    ].join('\n');
    const lines = python(['-c', script], { input: JSON.stringify(ODD) }).trimEnd().split('\n').map((l) => JSON.parse(l) as [boolean, string]);
    assert.deepEqual(lines.map(([same]) => same), Array(ODD.length + 2).fill(true));
    assert.deepEqual(lines.slice(0, ODD.length).map(([, text]) => JSON.parse(text)), ODD);
    assert.equal(lines[ODD.length][1], '"name-\\udcff.py"');
  });
});

describe('the stub hands the shim its config as a Python literal', () => {
  test('strings with quotes, backslashes, line breaks and any script, numbers, booleans and null read back the same', () => {
    const value = { paths: ODD, lone: '\udc80', trial: 3, seconds: 0.25, big: 1e21, yes: true, no: false, none: null };
    const out = python(['-c', `import json; print(json.dumps(${pythonLiteral(value)}))`]);
    assert.deepEqual(JSON.parse(out), value);
  });

  test('a number that is not finite is refused, not written as a name Python does not know', () => {
    assert.throws(() => pythonLiteral({ timeoutSeconds: Infinity }), /not a finite number: Infinity/);
  });
});

describe('one trial through the stub', () => {
  test('the proposal runs as __main__ with its own argv and path; the journal gets both events; the bytecode is cached', async () => {
    const root = tempDir();
    const pack = path.join(root, 'pack');
    writeTree(pack, {
      'candidate.txt': 'before\n',
      'proposals/say "hi".py':
        'import os, sys\n' +
        'open(os.environ["EXPERIMENT_TARGET"], "w").write("after\\n")\n' +
        'print(__name__, os.path.basename(__file__), os.path.basename(sys.argv[0]), sys.argv[1:], os.path.basename(sys.path[0]), sys.dont_write_bytecode)\n',
    });
    const journal = path.join(root, '.autoexp', 'journal.jsonl');
    const snapshots = path.join(root, '.autoexp', 'snapshots');
    mkdirSync(snapshots, { recursive: true });
    writeFileSync(journal, `${JSON.stringify({ type: 'run-start', run: 'r1', pack, slug: 'pack', engine: 'pack', proposals: ['say "hi".py'], target: path.join(pack, 'candidate.txt'), pid: 1, at: 'now' })}\n`);
    const dir = shimFolder();
    const real = path.join(pack, 'proposals', 'say "hi".py');
    const stub = path.join(dir, '1', 'say "hi".py');
    mkdirSync(path.dirname(stub));
    const socket = path.join(dir, 'guard.sock');
    writeFileSync(stub, shimStub({ real, journal, snapshots, run: 'r1', trial: 1, pack, target: path.join(pack, 'candidate.txt'), timeoutSeconds: 30, guard: socket }, dir));

    const guard = await RepoGuard.open({ pack, target: path.join(pack, 'candidate.txt'), store: new SnapshotStore(root), id: 'r1' });
    const server = await GuardServer.listen(guard, socket);
    let out: string;
    try {
      out = await pythonAsync([stub, '--flag'], { cwd: pack, env: { PYTHONDONTWRITEBYTECODE: '1', EXPERIMENT_TARGET: path.join(pack, 'candidate.txt') } });
    } finally {
      await server.close();
      guard.dispose();
    }
    assert.equal(out, `__main__ say "hi".py say "hi".py ['--flag'] proposals True\n`);
    assert.equal(readFileSync(path.join(pack, 'candidate.txt'), 'utf8'), 'after\n');
    const trial = foldJournal(readFileSync(journal, 'utf8')).runs[0].trials[0];
    assert.equal(trial.proposal, 'say "hi".py');
    assert.equal(readFileSync(path.join(snapshots, trial.before), 'utf8'), 'before\n');
    assert.equal(readFileSync(path.join(snapshots, trial.candidate!), 'utf8'), 'after\n');
    assert.equal(trial.proposalExitCode, 0);
    assert.ok(existsSync(path.join(dir, '__pycache__')), 'the shim module\'s bytecode is cached in the shim folder');
    assert.match(readdirSync(path.join(dir, '__pycache__')).join(), /^autoexp_shim\.[\w-]+\.pyc$/);
    assert.ok(!existsSync(path.join(pack, 'proposals', '__pycache__')), 'the user\'s setting still holds for everything else');
  });
});
