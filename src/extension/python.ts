/**
 * The interpreter for pack scripts: `autoexp.pythonPath`, else the interpreter chosen in the Python
 * extension (when installed), else python3 / python. A change in the Python extension applies to the
 * next command without a reload.
 */
import * as vscode from 'vscode';
import { resolvePython, type PythonChoice } from '../core/python';

interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
    resolveEnvironment?(env: { path: string }): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
    onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
  };
}

async function pythonExtensionInterpreter(resource?: vscode.Uri): Promise<string | undefined> {
  const ext = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (!ext) return undefined;
  try {
    const api = ext.isActive ? ext.exports : await ext.activate();
    const active = api.environments?.getActiveEnvironmentPath(resource);
    if (!active) return undefined;
    const resolved = await api.environments?.resolveEnvironment?.(active);
    return resolved?.executable?.uri?.fsPath ?? active.path;
  } catch {
    return undefined;
  }
}

/** Asked fresh for every command, so settings and the Python extension's choice are always current. */
export async function pythonFor(resource?: vscode.Uri): Promise<PythonChoice> {
  const setting = vscode.workspace.getConfiguration('autoexp', resource).get<string>('pythonPath')?.trim();
  if (setting) return resolvePython(setting);
  const fromExtension = await pythonExtensionInterpreter(resource);
  if (fromExtension) {
    try {
      return await resolvePython(fromExtension);
    } catch {
      // The Python extension points at an interpreter that does not start: fall back to PATH.
    }
  }
  return resolvePython();
}
