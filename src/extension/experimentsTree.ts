/**
 * The Experiments tree: workspace folders (when there are several), packs, an Examples group, and
 * each pack's Program, Target, Proposals, Runs and Results. Pack details are read lazily and cached
 * until a file of that pack changes.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PackRef } from '../core/discovery';
import type { PackDecorations } from './packDecorations';
import type { PackIndex, WorkspacePacks } from './packIndex';
import { loadPackInfo, type PackInfo } from './tree/packInfo';
import { packChildren, packNode, proposalNodes, runNodes, trialNodes, type NodeSpec, type PackState } from './tree/model';

type Node =
  | { kind: 'folder'; workspace: WorkspacePacks }
  | { kind: 'examples'; packs: PackRef[]; key: string }
  | { kind: 'pack'; pack: PackRef }
  | { kind: 'spec'; spec: NodeSpec };

export class ExperimentsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly infos = new Map<string, Promise<PackInfo>>();
  private readonly running = new Set<string>();
  private readonly measured = new Map<string, number>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly index: PackIndex,
    private readonly decorations: PackDecorations,
  ) {
    this.disposables.push(
      index.onDidChange(() => {
        this.infos.clear();
        this.changed.fire(undefined);
      }),
      decorations.onDidChangeFileDecorations(() => this.changed.fire(undefined)),
    );
  }

  private redraw: NodeJS.Timeout | undefined;

  /**
   * Forget what was read of a pack (a file in it changed) and redraw once the burst is over: a loop
   * writing its target and log many times a second costs one redraw, not one per write.
   */
  invalidate(packDir: string): void {
    this.infos.delete(packDir);
    clearTimeout(this.redraw);
    this.redraw = setTimeout(() => this.changed.fire(undefined), 200);
  }

  setRunning(packDir: string, running: boolean): void {
    if (running) this.running.add(packDir);
    else this.running.delete(packDir);
    this.invalidate(packDir);
  }

  /** The target's score from the last Measure or Reset, shown as "now" on the pack. */
  /** The target's score from a Measure or Reset; undefined forgets it (a run changed the target since). */
  setMeasured(packDir: string, score: number | undefined): void {
    if (score === undefined) this.measured.delete(packDir);
    else this.measured.set(packDir, score);
    this.changed.fire(undefined);
  }

  info(pack: PackRef): Promise<PackInfo> {
    let info = this.infos.get(pack.dir);
    if (!info) {
      info = loadPackInfo(pack);
      this.infos.set(pack.dir, info);
    }
    return info;
  }

  private state(dir: string): PackState {
    if (this.running.has(dir)) return 'running';
    const s = this.decorations.get(dir);
    if (!s) return 'unknown';
    return s.errors > 0 ? 'errors' : s.warnings > 0 ? 'warnings' : 'valid';
  }

  private packsOf(w: WorkspacePacks): Node[] {
    const packs = w.experiments.flatMap((e) => e.packs).map((pack): Node => ({ kind: 'pack', pack }));
    const examples = w.experiments.flatMap((e) => e.support.filter((s) => s.kind === 'example'));
    if (examples.length) packs.push({ kind: 'examples', packs: examples, key: w.folder.uri.toString() });
    return packs;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      const workspaces = this.index.workspaces.filter((w) => w.experiments.length > 0);
      if (workspaces.length === 1) return this.packsOf(workspaces[0]);
      return workspaces.map((workspace) => ({ kind: 'folder', workspace }));
    }
    switch (node.kind) {
      case 'folder':
        return this.packsOf(node.workspace);
      case 'examples':
        return node.packs.map((pack) => ({ kind: 'pack', pack }));
      case 'pack':
        return packChildren(await this.info(node.pack)).map((spec) => ({ kind: 'spec', spec }));
      case 'spec': {
        const pack = this.index.find(node.spec.packDir);
        if (!pack) return [];
        const info = await this.info(pack);
        const specs =
          node.spec.kind === 'proposals' ? proposalNodes(info) : node.spec.kind === 'runs' ? runNodes(info) : node.spec.kind === 'run' ? trialNodes(info, node.spec.runIndex!) : [];
        return specs.map((spec) => ({ kind: 'spec', spec }));
      }
    }
  }

  async getTreeItem(node: Node): Promise<vscode.TreeItem> {
    switch (node.kind) {
      case 'folder': {
        const item = new vscode.TreeItem(node.workspace.folder.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `folder:${node.workspace.folder.uri.toString()}`;
        item.iconPath = new vscode.ThemeIcon('root-folder');
        return item;
      }
      case 'examples': {
        const item = new vscode.TreeItem('Examples', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `examples:${node.key}`;
        item.description = String(node.packs.length);
        item.iconPath = new vscode.ThemeIcon('library');
        item.tooltip = 'Example packs from atris/experiments/_examples: runnable, not validated.';
        item.accessibilityInformation = { label: `Examples ${node.packs.length}` };
        return item;
      }
      case 'pack': {
        const spec = packNode(await this.info(node.pack), this.state(node.pack.dir), this.measured.get(node.pack.dir));
        const item = toItem(spec);
        item.resourceUri = vscode.Uri.file(node.pack.dir);
        if (node.pack.kind === 'example') item.contextValue = 'autoexp.pack.example';
        return item;
      }
      case 'spec':
        return toItem(node.spec);
    }
  }

  getParent(): undefined {
    return undefined;
  }

  dispose(): void {
    clearTimeout(this.redraw);
    this.disposables.forEach((d) => d.dispose());
    this.changed.dispose();
  }
}

function toItem(spec: NodeSpec): vscode.TreeItem {
  const state = spec.collapsible ? (spec.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed) : vscode.TreeItemCollapsibleState.None;
  const item = new vscode.TreeItem(spec.label, state);
  item.id = spec.id;
  item.description = spec.description;
  // Without this a string tooltip becomes the aria-label, and a screen reader hears a path, not the node.
  item.accessibilityInformation = { label: [spec.label, spec.description].filter(Boolean).join(' ') };
  item.contextValue = spec.contextValue;
  item.iconPath = new vscode.ThemeIcon(spec.icon.id, spec.icon.color ? new vscode.ThemeColor(spec.icon.color) : undefined);
  if (spec.tooltip) item.tooltip = spec.kind === 'pack' ? new vscode.MarkdownString(spec.tooltip) : spec.tooltip;
  if (spec.open) item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(spec.open)] };
  if (spec.command) item.command = { command: spec.command.id, title: spec.label, arguments: spec.command.args };
  if (spec.kind === 'program' || spec.kind === 'target') item.resourceUri = spec.open ? vscode.Uri.file(spec.open) : undefined;
  // The log's own decorations (modified, problems) belong on the Results node that charts it.
  if (spec.kind === 'results') item.resourceUri = vscode.Uri.file(path.join(spec.packDir, 'results.tsv'));
  return item;
}
