/** Which pack a command acts on: the tree node it was run on, the pack of the active editor, or a pick. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PackRef } from '../core/discovery';
import type { PackTarget } from './commands/args';
import type { PackIndex } from './packIndex';

function packOf(index: PackIndex, target: PackTarget | undefined): PackRef | undefined {
  if (!target) return undefined;
  return 'dir' in target ? index.find(target.dir) : index.packOf(target.file);
}

export async function pickPack(index: PackIndex, target: PackTarget | undefined, title: string): Promise<PackRef | undefined> {
  const given = packOf(index, target);
  if (given) return given;
  await index.refresh();
  // A command run right after activation may come before the first scan had found its pack.
  const found = packOf(index, target);
  if (found) return found;
  const packs = index.allPacks();
  if (packs.length === 0) {
    void vscode.window.showInformationMessage('Autoexp: no experiment packs in this workspace. Create one with "Autoexp: New Pack".');
    return undefined;
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  const current = active?.scheme === 'file' ? index.packOf(active.fsPath) : undefined;
  const items = packs.map((pack) => ({
    label: pack.slug,
    description: vscode.workspace.asRelativePath(path.dirname(pack.dir)),
    pack,
    picked: pack === current,
  }));
  if (current) items.sort((a, b) => Number(b.pack === current) - Number(a.pack === current));
  const choice = await vscode.window.showQuickPick(items, { title, placeHolder: 'Choose a pack', matchOnDescription: true });
  return choice?.pack;
}
