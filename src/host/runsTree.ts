/** The Runs sidebar: dataset → runs, icon by status, description = the selection metric's val-selected value. */
import * as vscode from 'vscode';
import type { RunStore, LoadedRun } from './runStore';
import type { RunQueue } from './runQueue';
import { runTask } from './runInfo';
import { formatValue, selected, SELECTIONS } from '../core/tasks/format';

type Node = { kind: 'dataset'; name: string; runs: LoadedRun[] } | { kind: 'run'; run: LoadedRun };

const STATUS_ICON: Record<string, [string, string?]> = {
  queued: ['clock'],
  running: ['sync~spin', 'charts.blue'],
  completed: ['pass', 'testing.iconPassed'],
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
      return [...groups.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([name, runs]) => ({ kind: 'dataset', name, runs }));
    }
    return node.kind === 'dataset' ? node.runs.map((run) => ({ kind: 'run', run })) : [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
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
