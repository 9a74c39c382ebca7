import * as vscode from 'vscode';
import { activateHost } from './host/activate';

/** Wires the host parts only; everything else lives in src/host. */
export function activate(context: vscode.ExtensionContext) {
  return activateHost(context);
}

export function deactivate(): void {
  /* the host disposes its parts through context.subscriptions */
}
