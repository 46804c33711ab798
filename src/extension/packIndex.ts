/**
 * The packs of every workspace folder, discovered by core. One refresh runs at a time; a refresh asked
 * for while one runs is coalesced into a single follow-up, so a burst of file events costs two scans.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { discoverWorkspace, type ExperimentsFolder, type PackRef } from '../core/discovery';
import { Config } from './config';

export interface WorkspacePacks {
  folder: vscode.WorkspaceFolder;
  experiments: ExperimentsFolder[];
}

export class PackIndex implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private current: WorkspacePacks[] = [];
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  get workspaces(): readonly WorkspacePacks[] {
    return this.current;
  }

  /** A pack or support pack by folder. */
  find(dir: string): PackRef | undefined {
    for (const w of this.current) {
      for (const e of w.experiments) {
        const pack = e.packs.find((p) => p.dir === dir) ?? e.support.find((p) => p.dir === dir);
        if (pack) return pack;
      }
    }
    return undefined;
  }

  /** Every pack and example pack (not templates or fixtures) across workspace folders. */
  allPacks(): PackRef[] {
    return this.current.flatMap((w) => w.experiments.flatMap((e) => [...e.packs, ...e.support.filter((s) => s.kind === 'example')]));
  }

  /** The pack that holds `file`, if any. */
  packOf(file: string): PackRef | undefined {
    return this.allPacks().find((p) => file === p.dir || file.startsWith(p.dir + path.sep));
  }

  get packCount(): number {
    return this.current.reduce((n, w) => n + w.experiments.reduce((m, e) => m + e.packs.length, 0), 0);
  }

  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.scan().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.refresh();
      }
    });
    return this.running;
  }

  private async scan(): Promise<void> {
    const started = Date.now();
    const folders = vscode.workspace.workspaceFolders ?? [];
    const experimentsFolders = Config.experimentsFolders();
    this.current = await Promise.all(
      folders
        .filter((f) => f.uri.scheme === 'file')
        .map(async (folder) => ({ folder, experiments: await discoverWorkspace(folder.uri.fsPath, experimentsFolders) })),
    );
    this.log.info(`found ${this.packCount} pack(s) in ${folders.length} workspace folder(s) in ${Date.now() - started} ms`);
    await vscode.commands.executeCommand('setContext', 'autoexp.hasPacks', this.packCount > 0);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
