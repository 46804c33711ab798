// Runs inside the real VS Code extension host for test/e2e/python-extension.test.ts: which Python
// Autoexp runs pack scripts with, seen from measure.py's own sys.executable. AUTOEXP_E2E_PYTHON_CASE
// says whether the ms-python.python stand-in is installed ("standin") or not ("absent"); each
// check's outcome goes to AUTOEXP_E2E_RESULTS, and a thrown error makes the workbench exit 1.
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');

const { AUTOEXP_E2E_PYTHON_CASE: which, AUTOEXP_E2E_ENV_A: envA, AUTOEXP_E2E_ENV_B: envB } = process.env;
const python3 = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
const checks = [];

async function check(name, fn) {
  try {
    await fn();
    checks.push({ name, ok: true });
  } catch (err) {
    checks.push({ name, ok: false, error: String(err && err.stack ? err.stack : err) });
  }
}

/** Runs Autoexp: Measure on the pack and returns the interpreter measure.py says ran it. */
async function measuredWith() {
  const pack = path.join(vscode.workspace.workspaceFolders[0].uri.fsPath, 'atris', 'experiments', 'which-python');
  const outcome = await vscode.commands.executeCommand('autoexp.measure', vscode.Uri.file(pack));
  assert.equal(outcome && outcome.ok, true, JSON.stringify(outcome));
  return outcome.payload.python;
}

async function setPythonPath(value) {
  await vscode.workspace.getConfiguration('autoexp').update('pythonPath', value, vscode.ConfigurationTarget.Workspace);
}

async function withStandIn() {
  const python = vscode.extensions.getExtension('ms-python.python');
  await check('ms-python.python is the stand-in', async () => {
    assert.ok(python, 'ms-python.python is installed');
    assert.match(python.packageJSON.displayName, /stand-in/);
  });
  const api = await python.activate();

  await check('the Python extension\'s active environment (python.defaultInterpreterPath) runs measure.py', async () => {
    assert.equal(await measuredWith(), envA);
    assert.equal(api.resolveCount, 1);
  });
  await check('the next command reuses the resolved interpreter: no second resolveEnvironment', async () => {
    assert.equal(await measuredWith(), envA);
    assert.equal(api.resolveCount, 1);
  });
  await check('choosing another environment applies to the next command, without a reload', async () => {
    await api.environments.updateActiveEnvironmentPath(envB);
    assert.equal(await measuredWith(), envB);
    assert.equal(api.resolveCount, 2);
  });
  await check('autoexp.pythonPath comes before the Python extension', async () => {
    await setPythonPath(envA);
    assert.equal(await measuredWith(), envA);
    await setPythonPath(undefined);
    assert.equal(await measuredWith(), envB);
  });
  await check('an environment whose Python does not start: python3 from PATH', async () => {
    await api.environments.updateActiveEnvironmentPath('/nonexistent/autoexp-env/bin/python');
    assert.equal(await measuredWith(), python3);
  });
}

async function withoutPythonExtension() {
  await check('the Python extension is not installed', async () => {
    assert.equal(vscode.extensions.getExtension('ms-python.python'), undefined);
  });
  await check('without it: python3 from PATH', async () => {
    assert.equal(await measuredWith(), python3);
  });
  await check('without it: autoexp.pythonPath still comes first', async () => {
    await setPythonPath(envA);
    assert.equal(await measuredWith(), envA);
    await setPythonPath(undefined);
  });
}

exports.run = async function run() {
  await vscode.extensions.getExtension('autoexp.autoexp').activate();
  if (which === 'standin') await withStandIn();
  else await withoutPythonExtension();
  fs.writeFileSync(process.env.AUTOEXP_E2E_RESULTS, JSON.stringify(checks, null, 2));
  const failed = checks.filter((c) => !c.ok);
  if (failed.length) throw new Error(`${failed.length} extension-host check(s) failed`);
};
