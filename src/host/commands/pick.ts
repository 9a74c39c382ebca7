/** Run arguments of commands: a run id, a tree node or { runId }; or a quick pick over the stored runs. */
import * as vscode from 'vscode';
import type { Host } from '../activate';
import { headline } from '../../core/tasks/format';

export function runIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const a = arg as { run?: { record?: { id?: string } }; runId?: string } | undefined;
  return a?.runId ?? a?.run?.record?.id;
}

export async function pickRun(host: Host, title: string, filter: (status: string) => boolean = () => true): Promise<string | undefined> {
  const runs = host.store.list().filter((r) => filter(host.queue.activeRuns().find((a) => a.runId === r.record.id)?.status ?? r.record.status));
  if (runs.length === 0) {
    void host.show('info', 'Kernel Rec Lab: no matching runs.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(runs.map((r) => ({ label: `${r.record.spec.model} · ${r.record.datasetName}`, description: `${r.record.status}${r.summary?.selection.valSelected ? ` · ${headline(r.summary)}` : ''}`, detail: r.record.id, id: r.record.id })), { title });
  return pick?.id;
}
