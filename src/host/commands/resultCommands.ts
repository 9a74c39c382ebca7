/** Commands that show results: Open Results, Show Dataset Statistics, Compare Runs…, Export Run…. */
import * as vscode from 'vscode';
import * as fs from 'fs';
import * as path from 'path';
import type { Host } from '../activate';
import { config } from '../settings';
import { datasetStatsInChild } from '../datasetStats';
import { metricsCsv, runJson } from '../exporter';
import { headline } from '../../core/tasks/format';
import { pickDataset } from '../wizard';
import { pickRun, runIdOf } from './pick';

export function registerResultCommands(host: Host): void {
  const { store, queue, panels } = host;
  host.context.subscriptions.push(
    host.guard('kernelRecLab.openResults', async (arg?: unknown) => {
      const id = runIdOf(arg) ?? queue.activeRuns()[0]?.runId ?? store.list()[0]?.record.id;
      if (!id) {
        void host.show('info', 'Kernel Rec Lab: no runs yet. Use "Train on Dataset…" first.');
        return undefined;
      }
      return panels.openForRun(id);
    }),
    host.guard('kernelRecLab.showDatasetStatistics', async (arg?: vscode.Uri | string) => {
      if (!host.trusted('reading datasets')) return undefined;
      const file = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : await pickDataset('Kernel Rec Lab: Show Dataset Statistics');
      if (!file) return undefined;
      const stats = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading ${path.basename(file)}…` }, () =>
        datasetStatsInChild(file, { trainerPath: host.trainerPath, nodePath: config().nodePath }));
      return panels.showDatasetStats(file, stats);
    }),
    host.guard('kernelRecLab.compareRuns', async (arg?: unknown, selected?: unknown[]) => {
      let ids = Array.isArray(arg) ? ((arg as unknown[]).map(runIdOf).filter(Boolean) as string[]) : Array.isArray(selected) ? (selected.map(runIdOf).filter(Boolean) as string[]) : [];
      if (ids.length < 2) {
        const runs = store.list().filter((r) => r.metrics !== undefined);
        const picks = await vscode.window.showQuickPick(runs.map((r) => ({ label: `${r.record.spec.model} · ${r.record.datasetName}`, description: `${r.record.status}${r.summary?.selection.valSelected ? ` · ${headline(r.summary)}` : ''}`, detail: r.record.id, id: r.record.id, picked: ids.includes(r.record.id) })), { title: 'Compare runs', canPickMany: true });
        ids = picks?.map((p) => p.id) ?? [];
      }
      if (ids.length === 0) return undefined;
      return panels.compare(ids);
    }),
    host.guard('kernelRecLab.exportRun', async (arg?: unknown, opts?: { format?: 'csv' | 'json'; file?: string }) => {
      const a = arg as { runId?: string; format?: 'csv' | 'json'; file?: string } | undefined;
      const id = runIdOf(arg) ?? (await pickRun(host, 'Export which run?'));
      if (!id) return undefined;
      let format = opts?.format ?? a?.format;
      if (!format) {
        const f = await vscode.window.showQuickPick([{ label: 'Metrics CSV', v: 'csv' as const }, { label: 'Run JSON (record, summary, metrics)', v: 'json' as const }, { label: 'Chart PNG (from the results panel)', v: 'png' as const }], { title: 'Export format' });
        if (!f) return undefined;
        if (f.v === 'png') return panels.exportChartPng(id);
        format = f.v;
      }
      const run = store.load(id);
      let target = opts?.file ?? a?.file;
      if (!target) {
        const uri = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(path.join(path.dirname(store.root), `${id}.${format}`)), filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] } });
        target = uri?.fsPath;
      }
      if (!target) return undefined;
      fs.writeFileSync(target, format === 'csv' ? metricsCsv(run) : runJson(run));
      void host.show('info', `Kernel Rec Lab: exported ${id} to ${target}`);
      return target;
    }),
  );
}
