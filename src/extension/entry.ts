/**
 * The module VS Code loads (dist/extension.cjs). Activation registers only what must exist the moment
 * it resolves: every contributed command, the Packs view and the autoexp task type. They are served
 * by the rest of the extension, extension.ts, bundled apart as dist/features.cjs with the language
 * client, zod, execa and simple-git. Parsing and running that bundle was nearly all of the activation
 * time; it now starts right after activation, or at once if one of these is used first.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type * as FeaturesModule from './extension';

interface Contributions {
  commands: Array<{ command: string }>;
  taskDefinitions: Array<{ type: string }>;
}

let featuresModule: typeof FeaturesModule | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const activatedAt = performance.now();
  const treeChanged = new vscode.EventEmitter<unknown>();
  let features: FeaturesModule.Features | undefined;
  // A start that failed is not tried again: each try would make another output channel and client.
  let failed: unknown;
  const load = (): FeaturesModule.Features => {
    if (features) return features;
    if (failed !== undefined) throw failed;
    try {
      // A path esbuild leaves alone: the features bundle is a file of its own beside this one.
      featuresModule = require(path.join(__dirname, 'features.cjs')) as typeof FeaturesModule;
      features = featuresModule.start(context, activatedAt);
    } catch (err) {
      failed = err;
      throw err;
    }
    context.subscriptions.push(features.tree.onDidChangeTreeData((node) => treeChanged.fire(node)));
    return features;
  };

  const { commands, taskDefinitions } = context.extension.packageJSON.contributes as Contributions;
  for (const { command } of commands) {
    const run = (...args: unknown[]) => {
      const handler = load().commands.get(command);
      if (!handler) throw new Error(`Autoexp: the command ${command} has no handler`);
      return handler(...args);
    };
    context.subscriptions.push(vscode.commands.registerCommand(command, run));
  }
  const treeDataProvider: vscode.TreeDataProvider<unknown> = {
    onDidChangeTreeData: treeChanged.event,
    getTreeItem: (node) => load().tree.getTreeItem(node as never),
    getChildren: (node) => load().tree.getChildren(node as never),
    getParent: () => load().tree.getParent(),
  };
  context.subscriptions.push(
    treeChanged,
    vscode.window.createTreeView('autoexp.experiments', { treeDataProvider, showCollapseAll: true }),
    vscode.tasks.registerTaskProvider(taskDefinitions[0].type, {
      provideTasks: () => load().tasks.provideTasks(),
      resolveTask: (task) => load().tasks.resolveTask(task),
    }),
  );
  // Discovery, diagnostics and run recovery start on their own, as before.
  setImmediate(() => {
    try {
      load();
    } catch (err) {
      void vscode.window.showErrorMessage(`Autoexp did not start: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
}

export async function deactivate(): Promise<void> {
  await featuresModule?.deactivate();
}
