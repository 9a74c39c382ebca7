/**
 * Integration test runner inside the real VS Code extension host (loaded through extensionTestsPath).
 * A minimal runner: tests run in order; results go to <workspace>/.krl-test-results.json for the harness.
 */
import * as vscode from 'vscode';
import * as fs from 'fs';
import * as path from 'path';
import { tests } from './extension.test';

export async function run(): Promise<void> {
  const ws = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const results: { name: string; ok: boolean; ms: number; error?: string }[] = [];
  for (const t of tests) {
    const t0 = Date.now();
    try {
      await Promise.race([t.fn(), new Promise((_, rej) => setTimeout(() => rej(new Error(`timed out after ${t.timeoutMs ?? 120000} ms`)), t.timeoutMs ?? 120000))]);
      results.push({ name: t.name, ok: true, ms: Date.now() - t0 });
    } catch (e) {
      results.push({ name: t.name, ok: false, ms: Date.now() - t0, error: (e as Error).stack ?? String(e) });
    }
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  if (ws) fs.writeFileSync(path.join(ws, '.krl-test-results.json'), JSON.stringify({ passed, failed, tests: results }, null, 2));
  if (failed > 0) throw new Error(`${failed} integration test(s) failed`);
}
