/** Which pack a command acts on: the tree node it was run on, the pack of the active editor, or a pick. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PackRef } from '../core/discovery';
import type { PackIndex } from './packIndex';

/** Tree nodes carry the pack as `pack` or as `spec.packDir`. */
function packFromArg(index: PackIndex, arg: unknown): PackRef | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const node = arg as { pack?: PackRef; spec?: { packDir?: string } };
  if (node.pack?.dir) return index.find(node.pack.dir);
  if (node.spec?.packDir) return index.find(node.spec.packDir);
  if (arg instanceof vscode.Uri) return index.packOf(arg.fsPath);
  return undefined;
}

export async function pickPack(index: PackIndex, arg: unknown, title: string): Promise<PackRef | undefined> {
  const given = packFromArg(index, arg);
  if (given) return given;
  await index.refresh();
  // A command run right after activation may come before the first scan had found its pack.
  const found = packFromArg(index, arg);
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
