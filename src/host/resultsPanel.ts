/**
 * Results panels: one webview panel per dataset (titled with its name), restored after a reload by a serializer.
 * Full snapshots when a panel becomes visible, throttled epoch appends (≤ 10 per second) while training.
 */
import * as vscode from 'vscode';
import * as crypto from 'crypto';
import * as fs from 'fs';
import type { RunStore, LoadedRun } from './runStore';
import type { RunQueue } from './runQueue';
import type { HostToWebview, PanelState, RunView, WebviewToHost } from '../protocol/webview';
import type { ArtifactFrame, EpochMetrics, RunSpec } from '../protocol/types';
import { tableColumns } from '../core/tasks/format';
import type { DatasetStatsResult } from '../protocol/trainer';
import { modelMeta, runTask } from './runInfo';
import { CLI_DEFAULTS, type SpecDefaults } from './runSpecBuilder';
import { expandSweepFile, sweepFromStore, sweepRunsByKey, sweepTable, sweepView, type ExpandedSweep, type SweepTag } from './sweep';
import { hasSbatch, schedulerViewAsync, slurmSubmissions, type SchedulerState } from './scheduler';
import * as path from 'path';

const VIEW_TYPE = 'kernelRecLab.results';
const UPDATE_INTERVAL_MS = 100;

export function runView(r: LoadedRun, live?: { status: 'queued' | 'running' }): RunView {
  const meta = modelMeta(r.record.spec.model);
  const { task, selectBy } = runTask(r);
  return {
    id: r.record.id,
    model: r.record.spec.model,
    modelName: meta.name,
    preset: r.record.spec.preset,
    spec: r.record.spec,
    status: live?.status ?? r.record.status,
    summary: r.summary,
    metrics: r.metrics,
    backend: r.record.backend,
    task,
    selectBy,
    epochAxis: meta.epochAxis,
    artifacts: meta.artifacts,
    lossDivisor: meta.lossKind === 'sum' ? Math.max(1, r.summary?.trainRatings || r.record.dataset?.fit || 1) : 1,
    tags: r.notes?.tags ?? [],
    note: r.notes?.note,
    paper: r.summary?.paper,
    createdAt: r.record.createdAt,
  };
}

const SWEEP_PREFIX = 'sweep:';

class ResultsPanel {
  /** Set for a sweep's panel (its experiments table); such a panel's key is "sweep:<id>". */
  readonly sweepId: string | undefined;
  private poll: NodeJS.Timeout | undefined;
  selected: string[] = [];
  heatmapRun: string | undefined;
  datasetStats: DatasetStatsResult | undefined;
  view: PanelState['view'] = 'runs';
  private pending = new Map<string, EpochMetrics[]>();
  private pendingFrames = new Map<string, ArtifactFrame[]>();
  /** Runs whose artifact frames the panel holds (live frames are appended only to those). */
  private readonly artifactsSent = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private pngWaiter: ((d: string) => void) | undefined;
  readonly consoleErrors: string[] = [];
  /** Messages posted to the webview (kept for tests: the last 200). */
  readonly posted: HostToWebview['type'][] = [];

  constructor(readonly dataset: string, readonly panel: vscode.WebviewPanel, private readonly owner: ResultsPanels) {
    this.sweepId = dataset.startsWith(SWEEP_PREFIX) ? dataset.slice(SWEEP_PREFIX.length) : undefined;
    if (this.sweepId) this.view = 'sweep';
    panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(owner.context.extensionUri, 'dist'), vscode.Uri.joinPath(owner.context.extensionUri, 'media')] };
    panel.webview.html = this.html();
    panel.iconPath = vscode.Uri.joinPath(owner.context.extensionUri, 'media', 'icon.svg');
    panel.onDidChangeViewState(() => panel.visible && this.sendSnapshot());
    panel.webview.onDidReceiveMessage((m: WebviewToHost) => this.onMessage(m));
    panel.onDidDispose(() => {
      if (this.poll) clearInterval(this.poll);
      owner.forget(this);
    });
  }

  private onMessage(m: WebviewToHost): void {
    switch (m.type) {
      case 'ready':
        this.sendSnapshot();
        break;
      case 'select':
        this.selected = m.runIds;
        break;
      case 'heatmapRun':
        this.heatmapRun = m.runId;
        break;
      case 'requestArtifacts':
        this.artifactsSent.add(m.runId);
        this.post({ type: 'artifacts', runId: m.runId, frames: this.owner.store.artifacts(m.runId) });
        break;
      case 'cancel':
        void vscode.commands.executeCommand('kernelRecLab.cancelRun', m.runId);
        break;
      case 'openLog':
        void vscode.commands.executeCommand('kernelRecLab.showLog', m.runId);
        break;
      case 'png':
        this.pngWaiter?.(m.dataUrl);
        this.pngWaiter = undefined;
        break;
      case 'consoleError':
        this.consoleErrors.push(m.message);
        break;
      case 'openRun':
        void vscode.commands.executeCommand('kernelRecLab.openResults', m.runId);
        break;
      case 'sweepExportCsv':
        void vscode.commands.executeCommand('kernelRecLab.exportSweepCsv', this.sweepId);
        break;
      case 'sweepSavePreset':
        void vscode.commands.executeCommand('kernelRecLab.saveSweepPreset', this.sweepId);
        break;
      case 'sweepRunMissing':
        void vscode.commands.executeCommand(m.slurm ? 'kernelRecLab.runSweepOnSlurm' : 'kernelRecLab.runSweep', this.sweepId);
        break;
      case 'sweepCancelAll':
        void vscode.commands.executeCommand('kernelRecLab.cancelSweep', this.sweepId);
        break;
    }
  }

  post(msg: HostToWebview): void {
    this.posted.push(msg.type);
    if (this.posted.length > 200) this.posted.shift();
    void this.panel.webview.postMessage(msg);
  }

  state(): PanelState {
    if (this.sweepId) {
      const sweep = this.owner.sweepView(this.sweepId);
      // runs on a cluster are not in the local queue: while any is queued or running there, look again every 5 s
      const live = !!sweep && sweep.rows.some((r) => /^(slurm-|running|queued)/.test(r.state));
      if (live && !this.poll) this.poll = setInterval(() => this.panel.visible && void this.owner.refreshScheduler(this.sweepId as string).then(() => this.sendSnapshot()), 5000);
      if (!live && this.poll) {
        clearInterval(this.poll);
        this.poll = undefined;
      }
      return { dataset: this.dataset, runs: [], selected: [], columns: [], view: 'sweep', sweep };
    }
    const active = new Map(this.owner.queue.activeRuns().map((a) => [a.runId, a]));
    const runs = this.owner.store
      .list()
      .filter((r) => r.record.datasetName === this.dataset)
      .map((r) => runView({ ...r, metrics: this.owner.store.load(r.record.id).metrics }, active.get(r.record.id)));
    const ids = new Set(runs.map((r) => r.id));
    this.selected = this.selected.filter((id) => ids.has(id));
    if (this.selected.length === 0 && runs.length) this.selected = [runs[0].id];
    if (!this.heatmapRun || !ids.has(this.heatmapRun)) this.heatmapRun = this.selected[0];
    return { dataset: this.dataset, runs, selected: this.selected, heatmapRun: this.heatmapRun, datasetStats: this.datasetStats, view: this.view, columns: tableColumns(runs) };
  }

  sendSnapshot(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.pending.clear();
    this.pendingFrames.clear();
    this.artifactsSent.clear();
    this.post({ type: 'snapshot', state: this.state() });
  }

  /** Queues a live artifact frame of a run whose frames the panel already has (flushed with the epochs). */
  queueArtifact(runId: string, f: ArtifactFrame): void {
    if (!this.panel.visible || !this.artifactsSent.has(runId)) return;
    this.pendingFrames.set(runId, [...(this.pendingFrames.get(runId) ?? []), f]);
    this.schedule();
  }

  /** Queues epoch rows; flushed at most every 100 ms, only while visible (a snapshot catches up later). */
  queueEpoch(runId: string, m: EpochMetrics): void {
    if (!this.panel.visible) return;
    this.pending.set(runId, [...(this.pending.get(runId) ?? []), m]);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      for (const [id, metrics] of this.pending) {
        const status = this.owner.queue.activeRuns().find((a) => a.runId === id)?.status ?? 'running';
        this.post({ type: 'epochs', runId: id, metrics, status });
      }
      this.pending.clear();
      for (const [id, frames] of this.pendingFrames) this.post({ type: 'artifacts', runId: id, frames, append: true });
      this.pendingFrames.clear();
    }, UPDATE_INTERVAL_MS);
  }

  requestPng(): Promise<string> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('the results panel did not answer with a PNG')), 10000);
      this.pngWaiter = (d) => {
        clearTimeout(t);
        resolve(d);
      };
      this.post({ type: 'requestPng' });
    });
  }

  private html(): string {
    const w = this.panel.webview;
    const nonce = crypto.randomBytes(16).toString('base64');
    const script = w.asWebviewUri(vscode.Uri.joinPath(this.owner.context.extensionUri, 'dist', 'webview.js'));
    const style = w.asWebviewUri(vscode.Uri.joinPath(this.owner.context.extensionUri, 'dist', 'webview.css'));
    const csp = [
      "default-src 'none'",
      `img-src ${w.cspSource} data: blob:`,
      `style-src ${w.cspSource} 'nonce-${nonce}'`,
      `font-src ${w.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta property="csp-nonce" content="${nonce}">
<link rel="stylesheet" href="${style}" nonce="${nonce}">
<title>${escapeHtml(this.dataset)}</title></head>
<body><div id="app" data-dataset="${escapeHtml(this.dataset)}"></div>
<script nonce="${nonce}" src="${script}"></script></body></html>`;
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export class ResultsPanels implements vscode.Disposable {
  private readonly panels = new Map<string, ResultsPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  private sweepTimer: NodeJS.Timeout | undefined;
  private readonly sweepsChanged = new Set<string>();

  constructor(readonly context: vscode.ExtensionContext, readonly store: RunStore, readonly queue: RunQueue, private readonly defaults: () => SpecDefaults = () => CLI_DEFAULTS) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: { dataset?: string } | undefined) => {
          const dataset = state?.dataset ?? panel.title;
          this.adopt(dataset, panel);
        },
      }),
    );
    queue.on('epoch', (id, m) => this.panelFor(id)?.queueEpoch(id, m));
    queue.on('artifact', (id, f) => this.panelFor(id)?.queueArtifact(id, f));
    queue.on('changed', (id) => {
      this.panelFor(id)?.sendSnapshot();
      this.sweepChanged(id);
    });
    queue.on('finished', (id) => {
      this.sweepChanged(id);
      const p = this.panelFor(id);
      if (p) p.sendSnapshot();
      else for (const q of this.panels.values()) q.sendSnapshot(); // a run removed (bad input): refresh every panel
    });
  }

  /** A run of a sweep changed: its sweep panel refreshes (at most every 300 ms). */
  private sweepChanged(runId: string): void {
    if (![...this.panels.values()].some((p) => p.sweepId)) return;
    let tag: SweepTag | undefined;
    try {
      tag = this.store.open(runId).record.sweep;
    } catch {
      return;
    }
    if (!tag || !this.panels.has(SWEEP_PREFIX + tag.id)) return;
    this.sweepsChanged.add(tag.id);
    if (this.sweepTimer) return;
    this.sweepTimer = setTimeout(() => {
      this.sweepTimer = undefined;
      for (const id of this.sweepsChanged) this.panels.get(SWEEP_PREFIX + id)?.sendSnapshot();
      this.sweepsChanged.clear();
    }, 300);
  }

  /** A sweep as stored and as its file says (so points not yet run show as pending). */
  expandedSweep(id: string, have = sweepRunsByKey(this.store, id)): ExpandedSweep | undefined {
    const stored = sweepFromStore(this.store, id, have);
    const file = stored?.file;
    if (file && fs.existsSync(file)) {
      try {
        const fromFile = expandSweepFile(file, this.defaults());
        if (fromFile.id === id) return fromFile;
      } catch {
        /* the file no longer parses: show what the runs folder knows */
      }
    }
    return stored;
  }

  /** Slurm's view of each sweep's array tasks, refreshed asynchronously (squeue never blocks the host). */
  private readonly scheduler = new Map<string, Map<string, SchedulerState>>();

  /** Asks squeue about a sweep's array tasks; true when the answer differs from the last one. */
  async refreshScheduler(id: string): Promise<boolean> {
    const next = await schedulerViewAsync(this.store.root, id);
    const prev = this.scheduler.get(id);
    this.scheduler.set(id, next);
    return !prev || prev.size !== next.size || [...next].some(([k, v]) => prev.get(k) !== v);
  }

  /** Every sweep submitted to Slurm in the last week: its tasks' states (for the sidebar and open tables). */
  async pollSlurm(): Promise<boolean> {
    let changed = false;
    const root = path.join(this.store.root, '.sweeps');
    let ids: string[] = [];
    try {
      ids = fs.readdirSync(root);
    } catch {
      return false;
    }
    const week = Date.now() - 7 * 86400_000;
    for (const id of ids) {
      const recent = slurmSubmissions(this.store.root, id).some((x) => Date.parse(x.submittedAt) > week);
      if (!recent) continue;
      if (await this.refreshScheduler(id)) {
        changed = true;
        this.panels.get(SWEEP_PREFIX + id)?.sendSnapshot();
      }
    }
    return changed;
  }

  sweepView(id: string): ReturnType<typeof sweepView> | undefined {
    // one read of the runs folder serves both the expansion and the table
    const have = sweepRunsByKey(this.store, id);
    const s = this.expandedSweep(id, have);
    if (!s) return undefined;
    return sweepView(sweepTable(s, this.store, this.scheduler.get(id), have), hasSbatch());
  }

  /** Opens (or reveals) a sweep's experiments table. */
  openSweep(id: string): string {
    const p = this.open(SWEEP_PREFIX + id);
    p.sendSnapshot();
    void this.refreshScheduler(id).then(() => this.panels.get(SWEEP_PREFIX + id)?.sendSnapshot());
    return SWEEP_PREFIX + id;
  }

  private panelFor(runId: string): ResultsPanel | undefined {
    if (this.panels.size === 0) return undefined;
    try {
      return this.panels.get(this.store.open(runId).record.datasetName);
    } catch {
      return undefined; // deleted or not yet written
    }
  }

  private adopt(dataset: string, panel: vscode.WebviewPanel): ResultsPanel {
    const p = new ResultsPanel(dataset, panel, this);
    this.panels.set(dataset, p);
    return p;
  }

  forget(p: ResultsPanel): void {
    if (this.panels.get(p.dataset) === p) this.panels.delete(p.dataset);
  }

  private open(dataset: string): ResultsPanel {
    const existing = this.panels.get(dataset);
    if (existing) {
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const title = dataset.startsWith(SWEEP_PREFIX) ? `Sweep: ${this.expandedSweep(dataset.slice(SWEEP_PREFIX.length))?.name ?? dataset.slice(SWEEP_PREFIX.length)}` : dataset;
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, retainContextWhenHidden: false });
    return this.adopt(dataset, panel);
  }

  /** Opens (or reveals) the panel of the run's dataset with the run selected. Returns the dataset name. */
  openForRun(runId: string): string {
    const rec = this.store.open(runId).record;
    const p = this.open(rec.datasetName);
    p.view = 'runs';
    if (!p.selected.includes(runId)) p.selected = [runId, ...p.selected];
    p.heatmapRun = runId;
    p.sendSnapshot();
    return rec.datasetName;
  }

  compare(runIds: string[]): string[] {
    const byDataset = new Map<string, string[]>();
    for (const id of runIds) {
      const ds = this.store.open(id).record.datasetName;
      byDataset.set(ds, [...(byDataset.get(ds) ?? []), id]);
    }
    for (const [ds, ids] of byDataset) {
      const p = this.open(ds);
      p.view = 'runs';
      p.selected = ids;
      p.sendSnapshot();
    }
    return [...byDataset.keys()];
  }

  showDatasetStats(file: string, stats: DatasetStatsResult): string {
    const p = this.open(stats.name);
    p.datasetStats = stats;
    p.view = 'dataset';
    p.sendSnapshot();
    void file;
    return stats.name;
  }

  async exportChartPng(runId: string): Promise<string | undefined> {
    const ds = this.openForRun(runId);
    const p = this.panels.get(ds) as ResultsPanel;
    const dataUrl = await p.requestPng();
    const uri = await vscode.window.showSaveDialog({ filters: { PNG: ['png'] }, defaultUri: vscode.Uri.file(`${runId}-curves.png`) });
    if (!uri) return undefined;
    fs.writeFileSync(uri.fsPath, Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'));
    return uri.fsPath;
  }

  notifyRunAdded(runId: string, spec: RunSpec): void {
    void spec;
    this.panelFor(runId)?.sendSnapshot();
  }

  notifyRunDeleted(runId: string): void {
    void runId;
    for (const p of this.panels.values()) p.sendSnapshot();
  }

  /** For tests: what each open panel has been sent and the console errors it reported. */
  inspect(): { dataset: string; visible: boolean; posted: string[]; consoleErrors: string[]; state: PanelState }[] {
    return [...this.panels.values()].map((p) => ({ dataset: p.dataset, visible: p.panel.visible, posted: [...p.posted], consoleErrors: [...p.consoleErrors], state: p.state() }));
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
