/**
 * One file watcher the language client keeps for its whole life, over real watchers that are remade
 * when `autoexp.experimentsFolders` changes. The client takes its watchers once, at creation; without
 * this, files in a newly configured folder would never reach the server.
 */
import * as vscode from 'vscode';

export class FolderWatcher implements vscode.FileSystemWatcher {
  readonly ignoreCreateEvents = false;
  readonly ignoreChangeEvents = false;
  readonly ignoreDeleteEvents = false;
  private readonly created = new vscode.EventEmitter<vscode.Uri>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly deleted = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidCreate = this.created.event;
  readonly onDidChange = this.changed.event;
  readonly onDidDelete = this.deleted.event;
  private inner: vscode.Disposable[] = [];

  constructor(globs: string[]) {
    this.watch(globs);
  }

  watch(globs: string[]): void {
    this.inner.forEach((d) => d.dispose());
    this.inner = globs.flatMap((glob) => {
      const watcher = vscode.workspace.createFileSystemWatcher(glob);
      return [
        watcher,
        watcher.onDidCreate((uri) => this.created.fire(uri)),
        watcher.onDidChange((uri) => this.changed.fire(uri)),
        watcher.onDidDelete((uri) => this.deleted.fire(uri)),
      ];
    });
  }

  dispose(): void {
    this.inner.forEach((d) => d.dispose());
    this.inner = [];
    [this.created, this.changed, this.deleted].forEach((e) => e.dispose());
  }
}
