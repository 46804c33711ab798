/**
 * The interpreter for pack scripts: `autoexp.pythonPath`, else the Python extension's active
 * environment (through its own typed facade, @vscode/python-extension), else python3 / python.
 */
import { PythonExtension } from '@vscode/python-extension';
import * as vscode from 'vscode';
import { resolvePython, type PythonChoice } from '../core/python';
import { Config } from './config';

/**
 * The Python extension's interpreter per workspace folder. Resolving an environment can start a process
 * in the Python extension, so the answer is kept until the user picks another environment: the change
 * event empties the cache, and the next command uses the new interpreter without a reload.
 */
class PythonExtensionInterpreters implements vscode.Disposable {
  private api: Promise<PythonExtension> | undefined;
  private readonly byFolder = new Map<string, Promise<string | undefined>>();
  private subscription: vscode.Disposable | undefined;

  interpreter(resource?: vscode.Uri): Promise<string | undefined> {
    const folder = resource ? vscode.workspace.getWorkspaceFolder(resource) : undefined;
    const key = folder?.uri.toString() ?? '';
    const cached = this.byFolder.get(key);
    if (cached) return cached;
    const asked = this.ask(folder?.uri ?? resource);
    this.byFolder.set(key, asked);
    // Only an answer is kept: "no interpreter" may change when the Python extension is installed or ready.
    void asked.then((found) => {
      if (found === undefined && this.byFolder.get(key) === asked) this.byFolder.delete(key);
    });
    return asked;
  }

  private async ask(resource?: vscode.Uri): Promise<string | undefined> {
    const api = await this.connect();
    if (!api) return undefined;
    try {
      const active = api.environments.getActiveEnvironmentPath(resource);
      const resolved = await api.environments.resolveEnvironment(active);
      return resolved?.executable.uri?.fsPath ?? active.path;
    } catch {
      return undefined;
    }
  }

  /** Undefined while the Python extension is not installed (the facade throws); asked again next time. */
  private async connect(): Promise<PythonExtension | undefined> {
    this.api ??= PythonExtension.api().then((api) => {
      this.subscription ??= api.environments.onDidChangeActiveEnvironmentPath(() => this.byFolder.clear());
      return api;
    });
    try {
      return await this.api;
    } catch {
      this.api = undefined;
      return undefined;
    }
  }

  dispose(): void {
    this.subscription?.dispose();
    this.byFolder.clear();
  }
}

/** Disposed with the extension (context.subscriptions). */
export const pythonExtensionInterpreters = new PythonExtensionInterpreters();

/** The setting is read fresh for every command; the Python extension's choice is current through its change event. */
export async function pythonFor(resource?: vscode.Uri): Promise<PythonChoice> {
  const setting = Config.pythonPath(resource);
  if (setting) return resolvePython(setting);
  const fromExtension = await pythonExtensionInterpreters.interpreter(resource);
  if (fromExtension) {
    try {
      return await resolvePython(fromExtension);
    } catch {
      // The Python extension points at an interpreter that does not start: fall back to PATH.
    }
  }
  return resolvePython();
}
