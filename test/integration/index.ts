/**
 * Integration test runner inside the real VS Code extension host (loaded through extensionTestsPath).
 * A minimal runner: tests run in order; results go to <workspace>/.krl-test-results.json for the harness.
 */
import * as vscode from 'vscode';
import * as fs from 'fs';
import * as path from 'path';
import { screenshot, tests, trace } from './extension.test';

export async function run(): Promise<void> {
  const ws = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const results: { name: string; ok: boolean; ms: number; error?: string }[] = [];
  for (const t of tests) {
    const t0 = Date.now();
    trace.step = '';
    try {
      const limit = t.timeoutMs ?? 120000;
      await Promise.race([t.fn(), new Promise((_, rej) => setTimeout(() => rej(new Error(`timed out after ${limit} ms${trace.step ? ` at step: ${trace.step}` : ''}`)), limit))]);
      results.push({ name: t.name, ok: true, ms: Date.now() - t0 });
    } catch (e) {
      results.push({ name: t.name, ok: false, ms: Date.now() - t0, error: (e as Error).stack ?? String(e) });
      // the harness logs the window's dialogs and notifications (a prompt is a classic reason a command never returns)
      await screenshot(`failure-${results.length}`, 15000).catch(() => undefined);
    }
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  if (ws) fs.writeFileSync(path.join(ws, '.krl-test-results.json'), JSON.stringify({ passed, failed, tests: results }, null, 2));
  if (failed > 0) throw new Error(`${failed} integration test(s) failed`);
}
