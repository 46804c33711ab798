/** Explorer badges on pack folders: red with errors, yellow with warnings only. */
import * as vscode from 'vscode';
import type { PackSummary, PacksValidated } from '../shared/protocol';

export class PackDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri[]>();
  readonly onDidChangeFileDecorations = this.changed.event;
  private readonly state = new Map<string, PackSummary>();

  /** The last known state of a pack, for the tree's icons. */
  get(dir: string): PackSummary | undefined {
    return this.state.get(dir);
  }

  update(message: PacksValidated): void {
    const uris: vscode.Uri[] = [];
    // Validation reports every pack it checked; only a pack whose counts changed is repainted.
    for (const pack of message.packs) {
      const known = this.state.get(pack.dir);
      this.state.set(pack.dir, pack);
      if (!known || known.errors !== pack.errors || known.warnings !== pack.warnings || known.slug !== pack.slug) uris.push(vscode.Uri.file(pack.dir));
    }
    for (const dir of message.removed) {
      if (this.state.delete(dir)) uris.push(vscode.Uri.file(dir));
    }
    if (uris.length) this.changed.fire(uris);
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== 'file') return undefined;
    const pack = this.state.get(uri.fsPath);
    if (!pack) return undefined;
    const count = (n: number) => (n > 9 ? '9+' : String(n));
    if (pack.errors > 0) {
      return new vscode.FileDecoration(count(pack.errors), `${pack.slug}: ${pack.errors} error(s), ${pack.warnings} warning(s)`, new vscode.ThemeColor('list.errorForeground'));
    }
    if (pack.warnings > 0) {
      return new vscode.FileDecoration(count(pack.warnings), `${pack.slug}: ${pack.warnings} warning(s)`, new vscode.ThemeColor('list.warningForeground'));
    }
    return undefined;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
