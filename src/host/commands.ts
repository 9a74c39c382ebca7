import * as vscode from 'vscode';
export function activateHost(context: vscode.ExtensionContext) { void context; return {}; }
