/**
 * The pack engine's Python shim on its own, with real Python: it compiles, it writes the JSON json.dumps
 * would, reads its config from a Python literal whatever a path holds, runs the proposal as python would,
 * keeps its own bytecode cached even where the user turned caching off, and fails a trial with the exit
 * codes TypeScript hands it.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { GuardServer } from '../../src/core/run/guard/guardServer';
import { RepoGuard } from '../../src/core/run/guard/repoGuard';
import { foldJournal } from '../../src/core/run/journal';
import { RUN_ID_VAR } from '../../src/core/run/runProcesses';
import { SnapshotStore } from '../../src/core/run/snapshots';
import { pythonLiteral, SHIM_EXITS, SHIM_MODULE, SHIM_MODULE_NAME, shimStub, type ShimConfig } from '../../src/core/run/shimSource';
import { REPO_ROOT, tempDir, writeTree } from './helpers';

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

/** For the trials that must fail: the exit code and what was said, whatever they are. */
function pythonStatus(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): SpawnSyncReturns<string> {
  return spawnSync('python3', args, { encoding: 'utf8', ...options, env: { ...process.env, ...options.env } });
}

const SHIM_FILE = path.join(REPO_ROOT, 'src', 'core', 'run', 'shim.py');

/** Runs the trial's stub with a guard server listening, as the pack engine does; the error it exits with, if any. */
async function runStubUnderGuard(t: ReturnType<typeof trialSetup>): Promise<Error | undefined> {
  const guard = await RepoGuard.open({ pack: t.pack, target: t.target, store: new SnapshotStore(t.root), id: 'r1' });
  const server = await GuardServer.listen(guard, t.config.guard);
  try {
    await pythonAsync([t.stub], { cwd: t.pack, env: { EXPERIMENT_TARGET: t.target } });
    return undefined;
  } catch (e) {
    return e as Error;
  } finally {
    await server.close();
    guard.dispose();
  }
}

describe('the shim is a Python file', () => {
  test('it compiles with py_compile, and SHIM_MODULE is that file as it is', () => {
    const cfile = path.join(tempDir('autoexp-shim-'), 'shim.pyc');
    python(['-c', 'import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)', SHIM_FILE, cfile]);
    assert.ok(existsSync(cfile));
    assert.equal(SHIM_MODULE, readFileSync(SHIM_FILE, 'utf8'));
  });

  test('it holds no exit code of its own: every os._exit takes the proposal\'s code or one from its config', () => {
    const exits = [...SHIM_MODULE.matchAll(/os\._exit\(([^)]*)\)/g)].map((m) => m[1]);
    assert.ok(exits.length >= 4, `expected the shim's exits, found ${exits.length}`);
    for (const arg of exits) assert.match(arg, /^(code|CONFIG\["exits"\]\["\w+"\])$/);
    assert.doesNotMatch(SHIM_MODULE, /\bexit\(\s*\d/);
  });
});

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

/** A pack with a target, and a stub for `proposal` (written under proposals/) ready to run. */
function trialSetup(proposal: string, overrides: Partial<ShimConfig> = {}) {
  const root = tempDir();
  const pack = path.join(root, 'pack');
  const target = path.join(pack, 'candidate.txt');
  writeTree(pack, { 'candidate.txt': 'before\n', 'proposals/p.py': proposal });
  const journal = path.join(root, '.autoexp', 'journal.jsonl');
  const snapshots = path.join(root, '.autoexp', 'snapshots');
  mkdirSync(snapshots, { recursive: true });
  writeFileSync(journal, `${JSON.stringify({ type: 'run-start', run: 'r1', pack, slug: 'pack', engine: 'pack', proposals: ['p.py'], target, pid: 1, at: 'now' })}\n`);
  const dir = shimFolder();
  const config: ShimConfig = { real: path.join(pack, 'proposals', 'p.py'), journal, snapshots, run: 'r1', trial: 1, pack, target, timeoutSeconds: 30, guard: path.join(dir, 'guard.sock'), ...overrides };
  const stub = path.join(dir, '1', 'p.py');
  mkdirSync(path.dirname(stub));
  writeFileSync(stub, shimStub(config, dir));
  return { root, pack, target, journal, snapshots, dir, stub, config };
}

describe('a failed trial ends with the exit code TypeScript gave the shim', () => {
  test('no guard to answer: SHIM_EXITS.guard, said on stdout, and the target untouched', () => {
    const t = trialSetup('import os\nopen(os.environ["EXPERIMENT_TARGET"], "w").write("after\\n")\n');
    const r = pythonStatus([t.stub], { cwd: t.pack, env: { EXPERIMENT_TARGET: t.target } });
    assert.equal(r.status, SHIM_EXITS.guard, r.stderr);
    assert.match(r.stdout, /^the guard could not check the repository: /);
    assert.equal(readFileSync(t.target, 'utf8'), 'before\n');
  });

  test('no guard to answer in a process group of its run (loop.py\'s, when the run was killed): the group ends; in any other, only the shim', async () => {
    const t = trialSetup('pass\n');
    // A stand-in for loop.py: a group of its own, tagged with a run's id, running the stub as loop.py does.
    const loop = (runId: string) =>
      new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>((resolve) => {
        const source = `import subprocess, sys\nr = subprocess.run([sys.executable, ${JSON.stringify(t.stub)}])\nprint("the loop went on after exit", r.returncode)\n`;
        const child = spawn('python3', ['-c', source], { cwd: t.pack, detached: true, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, EXPERIMENT_TARGET: t.target, [RUN_ID_VAR]: runId } });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.once('close', (code, signal) => resolve({ code, signal, stdout }));
      });
    const ours = await loop(t.config.run);
    assert.equal(ours.signal, 'SIGKILL', ours.stdout);
    assert.doesNotMatch(ours.stdout, /the loop went on/);
    const another = await loop('another-run');
    assert.equal(another.code, 0);
    assert.match(another.stdout, new RegExp(`the loop went on after exit ${SHIM_EXITS.guard}\\n$`));
    assert.equal(readFileSync(t.target, 'utf8'), 'before\n');
  });

  test('the code is data: main() called with other exit codes uses those', () => {
    const t = trialSetup('pass\n');
    const config = { ...t.config, exits: { ...SHIM_EXITS, guard: 77 } };
    const r = pythonStatus(['-c', `import sys; sys.path.insert(0, ${JSON.stringify(t.dir)}); import ${SHIM_MODULE_NAME}; ${SHIM_MODULE_NAME}.main(${pythonLiteral(config)})`], { cwd: t.pack, env: { EXPERIMENT_TARGET: t.target } });
    assert.equal(r.status, 77, r.stderr);
  });

  test('a proposal past its time: SHIM_EXITS.timeout, the candidate recorded, no exit code', async () => {
    const t = trialSetup('import os, time\nopen(os.environ["EXPERIMENT_TARGET"], "w").write("half\\n")\ntime.sleep(3600)\n', { timeoutSeconds: 2 });
    const error = await runStubUnderGuard(t);
    assert.match(String(error?.message), new RegExp(`^exit ${SHIM_EXITS.timeout}: timeout: the proposal ran past 2 s and was stopped`));
    const trial = foldJournal(readFileSync(t.journal, 'utf8')).runs[0].trials[0];
    assert.equal(trial.proposalExitCode, null);
    assert.equal(readFileSync(path.join(t.snapshots, trial.candidate!), 'utf8'), 'half\n');
  });

  test('a proposal that writes beside its target: SHIM_EXITS.touched, both put back, the path in the journal', async () => {
    const t = trialSetup('import os\nopen(os.environ["EXPERIMENT_TARGET"], "w").write("after\\n")\nopen(os.path.join(os.path.dirname(os.environ["EXPERIMENT_TARGET"]), "program.md"), "w").write("forged\\n")\n');
    writeFileSync(path.join(t.pack, 'program.md'), 'brief\n');
    const error = await runStubUnderGuard(t);
    assert.match(String(error?.message), new RegExp(`^exit ${SHIM_EXITS.touched}: `));
    assert.equal(readFileSync(t.target, 'utf8'), 'before\n');
    assert.equal(readFileSync(path.join(t.pack, 'program.md'), 'utf8'), 'brief\n');
    const trial = foldJournal(readFileSync(t.journal, 'utf8')).runs[0].trials[0];
    assert.deepEqual(trial.touched, [path.join(t.pack, 'program.md')]);
  });
});
