// Runs inside the real VS Code extension host (the `vscode` module is the real API). Started by the
// workbench through extensionTestsPath; each check's outcome goes to the JSON file the suite names in
// AUTOEXP_E2E_RESULTS, and a thrown error makes the workbench report exit code 1.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');

const checks = [];

async function check(name, fn) {
  try {
    await fn();
    checks.push({ name, ok: true });
  } catch (err) {
    checks.push({ name, ok: false, error: String(err && err.stack ? err.stack : err) });
  }
}

/** The diagnostic with this code on this file, once the language server has published it. */
function diagnostic(uri, code, timeoutMs = 30000) {
  const find = () => vscode.languages.getDiagnostics(uri).find((d) => d.code === code);
  return new Promise((resolve, reject) => {
    const found = find();
    if (found) return resolve(found);
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`no ${code} diagnostic on ${uri.fsPath} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      const d = event.uris.some((u) => u.toString() === uri.toString()) && find();
      if (!d) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(d);
    });
  });
}

exports.run = async function run() {
  const root = vscode.workspace.workspaceFolders[0].uri.fsPath;
  const exp = path.join(root, 'atris', 'experiments');

  await check('the extension is active', async () => {
    const ext = vscode.extensions.getExtension('autoexp.autoexp');
    assert.ok(ext, 'autoexp.autoexp is installed');
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  await check('Validate Packs finds the seven test packs', async () => {
    const result = await vscode.commands.executeCommand('autoexp.validatePacks');
    const slugs = result.packs.map((p) => p.slug).sort();
    assert.deepEqual(slugs, ['Bad_Slug', 'bloated-program', 'huge-results', 'long-log', 'missing-measure', 'outside-target', 'smoke-keep-revert']);
    const bad = result.packs.find((p) => p.slug === 'Bad_Slug');
    assert.equal(bad.errors, 1);
  });

  await check('diagnostics: program.md too long, from character 1201 (line 3, column 5)', async () => {
    const uri = vscode.Uri.file(path.join(exp, 'bloated-program', 'program.md'));
    const diags = await diagnostic(uri, 'program-too-long');
    assert.equal(diags.message, 'bloated-program: program.md too long (1500 chars > 1200)');
    assert.equal(diags.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual([diags.range.start.line, diags.range.start.character], [2, 4]);
  });

  await check('diagnostics: results.tsv too large, from line 551', async () => {
    const uri = vscode.Uri.file(path.join(exp, 'huge-results', 'results.tsv'));
    const d = await diagnostic(uri, 'results-too-large');
    assert.equal(d.range.start.line, 550);
    assert.equal(d.message, 'huge-results: results.tsv too large (70057 bytes > 64000)');
  });

  await check('every command of the extension is registered', async () => {
    const all = await vscode.commands.getCommands(true);
    const contributed = vscode.extensions.getExtension('autoexp.autoexp').packageJSON.contributes.commands.map((c) => c.command);
    assert.equal(contributed.length, 19);
    assert.ok(contributed.includes('autoexp.startAutopilot') && contributed.includes('autoexp.stopAutopilot'), 'Start and Stop Autopilot are among them');
    for (const id of contributed) assert.ok(all.includes(id), id);
  });

  await check('Measure Noise runs measure.py N times and summarises the spread', async () => {
    const outcome = await vscode.commands.executeCommand('autoexp.measureNoise', vscode.Uri.file(path.join(exp, 'smoke-keep-revert', 'program.md')), 3);
    assert.equal(outcome.ok, true, outcome.message);
    assert.equal(outcome.scores.length, 3);
    assert.equal(outcome.summary.n, 3);
    assert.equal(outcome.summary.sd, 0, 'the smoke pack measures the same every time');
    assert.equal(outcome.summary.median, outcome.scores[0]);
  });

  await check('the task provider offers Run Loop for every pack, with its proposals, from an argument array', async () => {
    const tasks = await vscode.tasks.fetchTasks({ type: 'autoexp' });
    const names = tasks.map((t) => t.name).sort();
    assert.ok(names.includes('Run Loop: smoke-keep-revert'), names.join(', '));
    assert.ok(names.includes('Run Loop: outside-target'), names.join(', '));
    assert.ok(names.includes('Run Loop: hello-example'), 'examples can be run');
    const smoke = tasks.find((t) => t.name === 'Run Loop: smoke-keep-revert');
    assert.deepEqual(smoke.definition, { type: 'autoexp', pack: 'atris/experiments/smoke-keep-revert' });
    const args = smoke.execution.args;
    assert.deepEqual(args.slice(1, 3), ['run', path.join(exp, 'smoke-keep-revert')]);
    assert.deepEqual(args.slice(3, 7), ['--proposal', 'bad_patch.py', '--proposal', 'fix_patch.py']);
    assert.equal(smoke.execution.options.env.ELECTRON_RUN_AS_NODE, '1');
  });

  fs.writeFileSync(process.env.AUTOEXP_E2E_RESULTS, JSON.stringify(checks, null, 2));
  const failed = checks.filter((c) => !c.ok);
  if (failed.length) throw new Error(`${failed.length} extension-host check(s) failed`);
};
