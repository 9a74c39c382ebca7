/**
 * The Runs sidebar: dataset → runs, icon by status, description = the selection metric's val-selected value; and,
 * when the runs folder holds sweeps, a Sweeps group: sweep → its points (state per run, Slurm's queued / running
 * included, the validation score, the chosen point starred). Clicking a sweep opens its experiments table.
 */
import * as vscode from 'vscode';
import type { RunStore, LoadedRun } from './runStore';
import type { RunQueue } from './runQueue';
import { runTask } from './runInfo';
import { formatValue, selected, SELECTIONS } from '../core/tasks/format';
import { listSweeps } from './sweep';
import type { SweepRowView, SweepView } from '../protocol/webview';
import type { MetricDef } from '../protocol/types';

type Node =
  | { kind: 'dataset'; name: string; runs: LoadedRun[] }
  | { kind: 'run'; run: LoadedRun }
  | { kind: 'sweeps'; sweeps: { id: string; name: string; runs: number }[] }
  | { kind: 'sweep'; id: string; name: string }
  | { kind: 'point'; sweep: string; row: SweepRowView; chosen: boolean; metric: MetricDef };

const STATUS_ICON: Record<string, [string, string?]> = {
  queued: ['clock'],
  running: ['sync~spin', 'charts.blue'],
  completed: ['pass', 'testing.iconPassed'],
  pending: ['circle-large-outline'],
  'slurm-pending': ['server-environment', 'disabledForeground'],
  'slurm-running': ['server-process', 'charts.blue'],
  'slurm-lost': ['error', 'testing.iconFailed'],
  failed: ['error', 'testing.iconFailed'],
  cancelled: ['circle-slash', 'disabledForeground'],
  interrupted: ['debug-disconnect', 'list.warningForeground'],
  corrupt: ['warning', 'list.errorForeground'],
};

/** Markdown-escapes text that comes from a run folder (ids, names, errors). */
function md(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

export class RunsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The experiments table of a sweep (set by the host once the panels exist). */
  sweepSource: (id: string) => SweepView | undefined = () => undefined;

  constructor(private readonly store: RunStore, private readonly queue: RunQueue) {
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(store.root), '*/{run,summary}.json'));
    watcher.onDidCreate(() => this.refreshSoon());
    watcher.onDidChange(() => this.refreshSoon());
    watcher.onDidDelete(() => this.refreshSoon());
    this.disposables.push(watcher, this.emitter);
    queue.on('changed', () => this.refreshSoon());
    queue.on('epoch', () => this.refreshSoon(1000));
  }

  refresh(): void {
    this.emitter.fire(undefined);
  }

  /** Coalesces bursts of file events and epochs. */
  refreshSoon(ms = 200): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, ms);
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      const groups = new Map<string, LoadedRun[]>();
      for (const r of this.store.list()) {
        const k = r.record.datasetName || '(unknown dataset)';
        groups.set(k, [...(groups.get(k) ?? []), r]);
      }
      const datasets: Node[] = [...groups.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([name, runs]) => ({ kind: 'dataset', name, runs }));
      const sweeps = listSweeps(this.store);
      return sweeps.length ? [{ kind: 'sweeps', sweeps }, ...datasets] : datasets;
    }
    if (node.kind === 'dataset') return node.runs.map((run) => ({ kind: 'run', run }));
    if (node.kind === 'sweeps') return node.sweeps.map((x) => ({ kind: 'sweep', id: x.id, name: x.name }));
    if (node.kind === 'sweep') {
      const v = this.sweepSource(node.id);
      return v ? v.rows.map((row) => ({ kind: 'point', sweep: node.id, row, chosen: row.group === v.chosen, metric: v.metric })) : [];
    }
    return [];
  }

  private sweepItem(node: Extract<Node, { kind: 'sweeps' | 'sweep' | 'point' }>): vscode.TreeItem {
    if (node.kind === 'sweeps') {
      const item = new vscode.TreeItem('Sweeps', vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon('beaker');
      item.description = `${node.sweeps.length}`;
      item.id = 'sweeps';
      item.contextValue = 'sweeps';
      return item;
    }
    if (node.kind === 'sweep') {
      const v = this.sweepSource(node.id);
      const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `sweep:${node.id}`;
      item.iconPath = new vscode.ThemeIcon('table');
      if (v) {
        item.description = Object.entries(v.counts).map(([k, n]) => `${n} ${k}`).join(' · ');
        const g = v.groups.find((x) => x.chosen);
        item.tooltip = `${v.rows.length} runs${v.file ? ` from ${v.file}` : ''}${g && g.val ? `\nchosen on validation ${v.metric.label}: ${Object.entries(g.point).map(([k, x]) => `${k}=${x}`).join(' ')} (${formatValue(v.metric, g.val.mean)} ± ${formatValue(v.metric, g.val.std)})` : ''}`;
      }
      item.contextValue = 'sweep';
      item.command = { command: 'kernelRecLab.openSweep', title: 'Open Experiments Table', arguments: [node.id] };
      return item;
    }
    const r = node.row;
    const point = Object.entries(r.point).map(([k, v]) => `${k}=${v}`).join(' ');
    const item = new vscode.TreeItem(`${node.chosen ? '★ ' : ''}#${r.index} ${point || r.model}`, vscode.TreeItemCollapsibleState.None);
    item.id = `sweep:${node.sweep}:${r.index}`;
    const [icon, color] = STATUS_ICON[r.state] ?? ['question'];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.description = `seed ${r.seed}${r.fold ? ` · fold ${r.fold}` : ''} · ${r.state}${r.val !== undefined ? ` · val ${node.metric.label} ${formatValue(node.metric, r.val)}` : ''}`;
    if (r.error) item.tooltip = r.error;
    item.contextValue = r.runId ? `sweeprun-${r.state}` : `sweeppoint-${r.state}`;
    if (r.runId) item.command = { command: 'kernelRecLab.openResults', title: 'Open Results', arguments: [r.runId] };
    return item;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'sweeps' || node.kind === 'sweep' || node.kind === 'point') return this.sweepItem(node);
    if (node.kind === 'dataset') {
      const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon('database');
      item.description = `${node.runs.length} run${node.runs.length === 1 ? '' : 's'}`;
      item.contextValue = 'dataset';
      item.id = `dataset:${node.name}`;
      return item;
    }
    const { record, summary } = node.run;
    const live = this.queue.activeRuns().find((a) => a.runId === record.id);
    const status = live?.status ?? record.status;
    const item = new vscode.TreeItem(`${record.spec.model}${record.spec.preset ? ` · ${record.spec.preset}` : ''}`, vscode.TreeItemCollapsibleState.None);
    item.id = `run:${record.id}`;
    const [icon, color] = STATUS_ICON[status] ?? ['question'];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    const { task, selectBy } = runTask(node.run);
    const def = task.metrics.find((m) => m.key === selectBy);
    const label = def?.label ?? selectBy;
    if (status === 'corrupt') item.description = 'corrupt';
    else if (status === 'running' && live?.lastEpoch) item.description = `${live.lastEpoch.phase} ${live.lastEpoch.epoch}/${live.lastEpoch.epochs} · val ${label} ${formatValue(def, live.lastEpoch.val[selectBy])}`;
    else item.description = summary && summary.selection.valSelected ? `${label} ${formatValue(def, selected(summary, 'valSelected'))}` : status;
    if (node.run.notes?.tags.length) item.description = `${item.description} · ${node.run.notes.tags.map((t) => `#${t}`).join(' ')}`;
    const hp = Object.entries(record.spec.overrides).map(([k, v]) => `${k}=${v}`).join(', ');
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**${md(record.spec.model)}** on ${md(record.datasetName)} — ${status}\n\n`);
    tip.appendMarkdown(`Task: ${task.name} · selected by ${label} (${def?.direction ?? 'lower'} is better)\n\n`);
    if (summary && summary.selection.last) tip.appendMarkdown(`Test ${label}: ${SELECTIONS.map((w) => `${formatValue(def, selected(summary, w.key))} (${w.label})`).join(' · ')}\n\n`);
    tip.appendMarkdown(`Preset: ${md(record.spec.preset ?? 'defaults')}${hp ? ` · overrides: ${md(hp)}` : ''}\n\nSplit: ${md(record.spec.split)} · validation ${record.spec.valFraction} · seed ${record.spec.seed}\n\n`);
    if (record.backend) tip.appendMarkdown(`Backend: ${md(record.backend.name)} — ${md(record.backend.device)}\n\n`);
    if (summary) tip.appendMarkdown(`Duration: ${summary.seconds.toFixed(1)} s\n\n`);
    if (record.error) tip.appendMarkdown(`Error: ${md(record.error)}\n\n`);
    if (node.run.notes?.tags.length) tip.appendMarkdown(`Tags: ${node.run.notes.tags.map(md).join(', ')}\n\n`);
    if (node.run.notes?.note) tip.appendMarkdown(`Note: ${md(node.run.notes.note)}\n\n`);
    tip.appendMarkdown(md(record.id));
    item.tooltip = tip;
    item.contextValue = `run-${status}`;
    item.command = { command: 'kernelRecLab.openResults', title: 'Open Results', arguments: [record.id] };
    return item;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
