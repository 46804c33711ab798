/** "Autoexp: New Pack": a slug checked as it is typed, the template copied, program.md opened. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import { slugProblem } from '../../core/packFormat';
import { Config } from '../config';
import { createPack, packExists } from '../../core/scaffold';
import type { PackIndex } from '../packIndex';

async function chooseExperimentsDir(index: PackIndex): Promise<string | undefined> {
  const existing = index.workspaces.flatMap((w) => w.experiments.map((e) => e.dir));
  const folders = vscode.workspace.workspaceFolders ?? [];
  const configured = Config.experimentsFolders();
  const fresh = folders.map((f) => path.join(f.uri.fsPath, configured[0])).filter((d) => !existing.includes(d));
  const choices = [...existing, ...fresh];
  if (choices.length === 0) {
    void vscode.window.showErrorMessage('Autoexp: open a folder first; a new pack goes in its atris/experiments folder.');
    return undefined;
  }
  if (choices.length === 1) return choices[0];
  const pick = await vscode.window.showQuickPick(
    choices.map((dir) => ({ label: vscode.workspace.asRelativePath(dir), description: existing.includes(dir) ? '' : 'new folder', dir })),
    { title: 'New Pack: where?' },
  );
  return pick?.dir;
}

export async function newPack(index: PackIndex, templateDir: string, log: vscode.LogOutputChannel): Promise<string | undefined> {
  const experimentsDir = await chooseExperimentsDir(index);
  if (!experimentsDir) return undefined;
  const slug = await vscode.window.showInputBox({
    title: 'New Pack',
    prompt: `A lowercase-hyphen name for the pack folder in ${vscode.workspace.asRelativePath(experimentsDir)}`,
    placeHolder: 'word-count',
    validateInput: async (value) => slugProblem(value) ?? ((await packExists(experimentsDir, value)) ? `${value} already exists` : undefined),
  });
  if (!slug) return undefined;
  try {
    const dir = await createPack({ experimentsDir, slug, templateDir });
    log.info(`created pack ${dir}`);
    await index.refresh();
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(dir, 'program.md')));
    return dir;
  } catch (err) {
    void vscode.window.showErrorMessage(`Autoexp: ${err instanceof UserError ? err.message : String(err)}`);
    return undefined;
  }
}
