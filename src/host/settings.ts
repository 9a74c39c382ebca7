import * as vscode from 'vscode';
import * as path from 'path';
import type { BackendName } from '../protocol/types';

export function config() {
  const c = vscode.workspace.getConfiguration('kernelRecLab');
  return {
    backend: c.get<BackendName>('backend', 'auto'),
    maxConcurrentRuns: c.get<number>('maxConcurrentRuns', 1),
    nodePath: c.get<string>('nodePath', '') || undefined,
    blasLibrary: c.get<string>('blasLibrary', '') || undefined,
    threads: c.get<number>('threads', 0) || undefined,
    validationFraction: c.get<number>('validationFraction', 0.05),
    seed: c.get<number>('seed', 1234),
    runsFolder: c.get<string>('runsFolder', ''),
    trainerMemoryMB: c.get<number>('trainerMemoryMB', 0),
    maxMemoryGiB: c.get<number>('maxMemoryGiB', 0),
  };
}

/** The runs root: the setting, else <first workspace folder>/.kernelrec/runs, else global storage. */
export function runsRoot(context: vscode.ExtensionContext): string {
  const s = config().runsFolder;
  const ws = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (s) return path.isAbsolute(s) ? s : path.join(ws ?? context.globalStorageUri.fsPath, s);
  if (ws) return path.join(ws, '.kernelrec', 'runs');
  return path.join(context.globalStorageUri.fsPath, 'runs');
}
