/**
 * The Experiments tree: workspace folders (when there are several), packs, an Examples group, and
 * each pack's Program, Target, Proposals, Runs and Results. Pack details are read lazily and cached
 * until a file of that pack changes.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PackRef } from '../core/discovery';
import { packHealth } from '../core/summary';
import type { PackDecorations } from './packDecorations';
import type { PackIndex, WorkspacePacks } from './packIndex';
import { loadPackInfo, type PackInfo } from '../core/packInfo';
import { PackInfoCache } from './tree/packInfoCache';
import { packChildren, packNode, packView, proposalNodes, runNodes, trialNodes, type NodeSpec, type PackState } from './tree/model';

type PackNode = { kind: 'pack'; pack: PackRef };
type DrawState = [PackState, number | undefined, string | undefined];
type Node = { kind: 'folder'; workspace: WorkspacePacks } | { kind: 'examples'; packs: PackRef[]; key: string } | PackNode | { kind: 'spec'; spec: NodeSpec };

export class ExperimentsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | Node[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly infos = new PackInfoCache(loadPackInfo);
  /** Packs with a run going on; for an Autopilot session, how far it is (`3/20`, or '' until known). */
  private readonly running = new Map<string, { autopilot?: string }>();
  /** The target's score from the last Measure or Reset, shown as "now" on the pack. */
  private readonly measured = new Map<string, number>();
  private readonly disposables: vscode.Disposable[] = [];
  /**
   * One node object per pack folder. VS Code redraws a node it was given before in place, and its row
   * keeps working; a redraw of the whole tree forgets every row until VS Code asks for them again, and
   * a click on a row's Run Loop in that time reaches the command with no pack.
   */
  private readonly packNodes = new Map<string, PackNode>();
  private readonly toRedraw = new Set<string>();
  /** What each pack was last drawn from: a redraw that would draw the same is skipped (see packView). */
  private readonly shown = new Map<string, { info: PackInfo; state: DrawState }>();
  /** Which packs the top of the tree showed when last drawn. */
  private drawnKey: string | undefined;

  constructor(
    private readonly index: PackIndex,
    private readonly decorations: PackDecorations,
  ) {
    this.disposables.push(
      index.onDidChange(() => {
        // The same packs as drawn (the first scan usually ends just after the tree drew what it
        // found): read them again and redraw them in place.
        if (this.drawnKey === this.packsKey()) return void this.rereadAndRedraw([...this.packNodes.keys()]);
        this.infos.clear();
        this.changed.fire(undefined);
      }),
      decorations.onDidChangeFileDecorations((uris) => void this.redrawPacks(uris.map((uri) => uri.fsPath))),
    );
  }

  private redraw: NodeJS.Timeout | undefined;

  /**
   * A file of the pack changed: read it again and redraw once the burst is over: a loop writing its
   * target and log many times a second costs one read and one redraw, not one per write.
   */
  invalidate(packDir: string): void {
    this.toRedraw.add(packDir);
    clearTimeout(this.redraw);
    this.redraw = setTimeout(() => {
      void this.rereadAndRedraw([...this.toRedraw]);
      this.toRedraw.clear();
    }, 200);
  }

  /** Redraws only once the new details are read: see PackInfoCache for the race this avoids. */
  private async rereadAndRedraw(dirs: string[]): Promise<void> {
    const packs = dirs.map((dir) => this.index.find(dir)).filter((pack) => pack !== undefined);
    await this.infos.reread(packs);
    await this.redrawPacks(dirs);
  }

  /**
   * Redraws the rows of these packs whose view changed, and their children that are open; not the
   * rest of the tree. Validation reports every pack after each change, and a results.tsv rewritten
   * with the same rows is still a change on disk: neither should cost the rows under a pack their
   * commands (see packView).
   */
  private async redrawPacks(dirs: string[]): Promise<void> {
    const changed = await Promise.all(
      dirs.map(async (dir) => {
        const node = this.packNodes.get(dir);
        if (!node) return undefined;
        const info = await this.info(node.pack).catch(() => undefined);
        if (info && this.drawsAsShown(dir, info)) return undefined;
        return node;
      }),
    );
    const nodes = changed.filter((node) => node !== undefined);
    if (nodes.length) this.changed.fire(nodes);
  }

  /**
   * Whether the pack would draw as it was last drawn. The views are rendered only when the details
   * were read again: a draw itself renders nothing, so a 10,000-row log costs nothing until Runs opens.
   */
  private drawsAsShown(dir: string, info: PackInfo): boolean {
    const drawn = this.shown.get(dir);
    const state = this.drawState(dir);
    if (!drawn) return false;
    if (drawn.info === info && drawn.state.every((value, i) => value === state[i])) return true;
    const same = packView(drawn.info, ...drawn.state) === packView(info, ...state);
    // Either way this is what the pack draws now: after a redraw, another request for it is no change.
    this.shown.set(dir, { info, state });
    return same;
  }

  /** What a pack's row shows besides its files: its state, the measured score, the Autopilot progress. */
  private drawState(dir: string): DrawState {
    return [this.state(dir), this.measured.get(dir), this.running.get(dir)?.autopilot || undefined];
  }

  private packsKey(): string {
    const folderKey = (w: WorkspacePacks) => [w.folder.uri.toString(), ...w.experiments.flatMap((e) => [...e.packs, ...e.support]).map((p) => p.dir)];
    return JSON.stringify(this.index.workspaces.map(folderKey));
  }

  private packNodeOf(pack: PackRef): PackNode {
    const node = this.packNodes.get(pack.dir) ?? { kind: 'pack', pack };
    node.pack = pack;
    this.packNodes.set(pack.dir, node);
    return node;
  }

  setRunning(packDir: string, running: boolean, autopilot = false): void {
    if (running) this.running.set(packDir, autopilot ? { autopilot: '' } : {});
    else this.running.delete(packDir);
    this.invalidate(packDir);
  }

  /** An Autopilot session's trials done of its budget, on its pack's row. */
  setAutopilotProgress(packDir: string, progress: string): void {
    const run = this.running.get(packDir);
    if (!run || run.autopilot === undefined || run.autopilot === progress) return;
    run.autopilot = progress;
    void this.redrawPacks([packDir]);
  }

  /** The target's score from a Measure or Reset; undefined forgets it (a run changed the target since). */
  setMeasured(packDir: string, score: number | undefined): void {
    if (score === undefined) this.measured.delete(packDir);
    else this.measured.set(packDir, score);
    void this.redrawPacks([packDir]);
  }

  private info(pack: PackRef): Promise<PackInfo> {
    return this.infos.get(pack);
  }

  private state(dir: string): PackState {
    const run = this.running.get(dir);
    if (run) return run.autopilot === undefined ? 'running' : 'autopilot';
    const s = this.decorations.get(dir);
    if (!s) return 'unknown';
    return packHealth(s);
  }

  private packsOf(w: WorkspacePacks): Node[] {
    const packs: Node[] = w.experiments.flatMap((e) => e.packs).map((pack) => this.packNodeOf(pack));
    const examples = w.experiments.flatMap((e) => e.support.filter((s) => s.kind === 'example'));
    if (examples.length) packs.push({ kind: 'examples', packs: examples, key: w.folder.uri.toString() });
    return packs;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      this.drawnKey = this.packsKey();
      const workspaces = this.index.workspaces.filter((w) => w.experiments.length > 0);
      if (workspaces.length === 1) return this.packsOf(workspaces[0]);
      return workspaces.map((workspace) => ({ kind: 'folder', workspace }));
    }
    switch (node.kind) {
      case 'folder':
        return this.packsOf(node.workspace);
      case 'examples':
        return node.packs.map((pack) => this.packNodeOf(pack));
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
        const dir = node.pack.dir;
        const info = await this.info(node.pack);
        const state = this.drawState(dir);
        this.shown.set(dir, { info, state });
        const spec = packNode(info, ...state);
        const item = toItem(spec);
        item.resourceUri = vscode.Uri.file(node.pack.dir);
        // A running example offers Stop like any pack; only at rest is it told apart.
        if (node.pack.kind === 'example' && item.contextValue === 'autoexp.pack') item.contextValue = 'autoexp.pack.example';
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
  if (spec.kind === 'program' || spec.kind === 'target' || spec.kind === 'memory') item.resourceUri = spec.open ? vscode.Uri.file(spec.open) : undefined;
  // The log's own decorations (modified, problems) belong on the Results node that charts it.
  if (spec.kind === 'results') item.resourceUri = vscode.Uri.file(path.join(spec.packDir, 'results.tsv'));
  return item;
}
