/** The Runs sidebar: dataset → runs, icon by status, description = val-selected RMSE. */
import * as vscode from 'vscode';
import type { RunStore, LoadedRun } from './runStore';
import type { RunQueue } from './runQueue';

type Node = { kind: 'dataset'; name: string; runs: LoadedRun[] } | { kind: 'run'; run: LoadedRun };

const STATUS_ICON: Record<string, [string, string?]> = {
  queued: ['clock'],
  running: ['sync~spin', 'charts.blue'],
  completed: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  cancelled: ['circle-slash', 'disabledForeground'],
  interrupted: ['debug-disconnect', 'list.warningForeground'],
};

function fmt(x: number | undefined): string {
  return x !== undefined && Number.isFinite(x) ? x.toFixed(4) : '—';
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
    if (status === 'running' && live?.lastEpoch) item.description = `${live.lastEpoch.phase} ${live.lastEpoch.epoch}/${live.lastEpoch.epochs} · val ${fmt(live.lastEpoch.valRmse)}`;
    else item.description = summary ? `RMSE ${fmt(summary.rmse.valSelected)}` : status;
    const hp = Object.entries(record.spec.overrides).map(([k, v]) => `${k}=${v}`).join(', ');
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${record.spec.model}** on \`${record.datasetName}\` — ${status}\n\n`);
    if (summary) md.appendMarkdown(`Test RMSE: ${fmt(summary.rmse.valSelected)} (val-selected) · ${fmt(summary.rmse.last)} (last) · ${fmt(summary.rmse.testSelected)} (test-selected, paper protocol)\n\n`);
    md.appendMarkdown(`Preset: ${record.spec.preset ?? 'defaults'}${hp ? ` · overrides: ${hp}` : ''}\n\nSplit: ${record.spec.split} · validation ${record.spec.valFraction} · seed ${record.spec.seed}\n\n`);
    if (record.backend) md.appendMarkdown(`Backend: ${record.backend.name} — ${record.backend.device}\n\n`);
    if (summary) md.appendMarkdown(`Duration: ${summary.seconds.toFixed(1)} s\n\n`);
    if (record.error) md.appendMarkdown(`Error: ${record.error}\n\n`);
    md.appendMarkdown(`\`${record.id}\``);
    item.tooltip = md;
    item.contextValue = `run-${status}`;
    item.command = { command: 'kernelRecLab.openResults', title: 'Open Results', arguments: [record.id] };
    return item;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
