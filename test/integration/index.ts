/**
 * Integration test runner inside the real VS Code extension host (loaded through extensionTestsPath).
 * A minimal runner: tests run in order; results go to <workspace>/.krl-test-results.json for the harness.
 */
import * as vscode from 'vscode';
import * as fs from 'fs';
import * as path from 'path';
import { tests, trace } from './extension.test';

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
      if (ws) await failureSnapshot(ws, `failure-${results.length}`);
    }
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  if (ws) fs.writeFileSync(path.join(ws, '.krl-test-results.json'), JSON.stringify({ passed, failed, tests: results }, null, 2));
  if (failed > 0) throw new Error(`${failed} integration test(s) failed`);
}

/** Asks the harness (scripts/integration.mjs) to log the window's dialogs and notifications and keep a screenshot. */
async function failureSnapshot(ws: string, name: string): Promise<void> {
  const dir = path.join(ws, '.krl-shots');
  if (!fs.existsSync(dir)) return;
  fs.writeFileSync(path.join(dir, `${name}.request`), '');
  for (let i = 0; i < 150 && !fs.existsSync(path.join(dir, `${name}.done`)); i++) await new Promise((r) => setTimeout(r, 100));
}
