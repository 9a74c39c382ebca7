/**
 * Results panel (runs in the webview). Renders what the host sends: loss and metric curves (Chart.js, one chart per
 * metric family of the runs' tasks), the results table (columns sent by the host, built from the task metric
 * definitions), the pictures each model declares (artifacts: heatmap, line, scatter, table views) and dataset
 * statistics. No metric or model is named here. Keeps no state that matters: every snapshot re-renders from scratch.
 */
import { Chart, LineController, LineElement, PointElement, LinearScale, LogarithmicScale, BarController, BarElement, CategoryScale, Legend, Title, Tooltip, Decimation, Filler, ScatterController, type ChartDataset, type Plugin } from 'chart.js';
import type { HostToWebview, PanelState, RunView, WebviewToHost } from '../src/protocol/webview';
import type { ArtifactData, ArtifactDecl, ArtifactFrame, EpochMetrics, HeatmapTensor, MetricDef, ResultColumnSpec } from '../src/protocol/types';
import { registerUi, el, button, checkbox, dropdown, tag } from './ui/index';
import { viridis, range } from './colormap';
import { renderSweep } from './sweep';
import { compareCells } from './compare';
import './style.css';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, BarController, BarElement, CategoryScale, Legend, Title, Tooltip, Decimation, Filler, ScatterController);

declare function acquireVsCodeApi(): { postMessage(m: WebviewToHost): void; setState(s: unknown): void; getState(): unknown };
const vscode = acquireVsCodeApi();
const post = (m: WebviewToHost) => vscode.postMessage(m);

// report errors and CSP violations to the host (tests assert there are none)
window.addEventListener('error', (e) => post({ type: 'consoleError', message: `${e.message} at ${e.filename}:${e.lineno}` }));
window.addEventListener('unhandledrejection', (e) => post({ type: 'consoleError', message: `unhandled rejection: ${String((e as PromiseRejectionEvent).reason)}` }));
document.addEventListener('securitypolicyviolation', (e) => post({ type: "consoleError", message: `CSP violation: ${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} sample=${e.sample}` }));
const origError = console.error.bind(console);
console.error = (...a: unknown[]) => {
  post({ type: 'consoleError', message: a.map(String).join(' ') });
  origError(...a);
};

registerUi();

interface View {
  state?: PanelState;
  logScale: boolean;
  sort: { key: string; dir: 1 | -1 };
  /** Artifact frames per run (requested when a run's pictures are shown; live frames appended). */
  frames: Map<string, ArtifactFrame[]>;
  /** Per artifact: chosen group, variant and frame index (-1 = follow the latest). */
  pick: Map<string, { group?: string; variant?: string; index: number }>;
  /** Chosen metric per metric-family chart. */
  familyMetric: Map<string, string>;
  charts: Chart[];
  /** Charts of the artifacts card (rebuilt with it). */
  artifactCharts: Chart[];
  /** Exponential smoothing of the curves (0 = none). */
  smoothing: number;
  /** The curves' x-axis: the model's epoch axis, or wall-clock seconds since the run started. */
  xAxis: 'epoch' | 'time';
  /** Run ids seen in earlier snapshots (a new running run gets selected). */
  known: Set<string>;
}
const view: View = { logScale: false, sort: { key: 'createdAt', dir: -1 }, frames: new Map(), pick: new Map(), familyMetric: new Map(), charts: [], artifactCharts: [], smoothing: 0, xAxis: 'epoch', known: new Set() };
const saved = vscode.getState() as { dataset?: string; logScale?: boolean } | undefined;
if (saved?.logScale) view.logScale = true;

const app = document.getElementById('app') as HTMLElement;

function css(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

const PALETTE = ['#3794ff', '#f14c4c', '#89d185', '#cca700', '#b180d7', '#f38518', '#4ec9b0', '#d16969', '#6796e6', '#c586c0'];
const fmt = (x: number | undefined | null, d = 4) => (x !== undefined && x !== null && Number.isFinite(x) ? x.toFixed(d) : '—');

window.addEventListener('message', (ev: MessageEvent<HostToWebview>) => {
  const m = ev.data;
  switch (m.type) {
    case 'snapshot': {
      // a run that appeared since the last snapshot and is training is selected, so its curves show at once
      const fresh = view.state ? m.state.runs.filter((r) => !view.known.has(r.id) && (r.status === 'running' || r.status === 'queued')).map((r) => r.id) : [];
      view.state = m.state;
      for (const r of m.state.runs) view.known.add(r.id);
      if (fresh.length) {
        m.state.selected = [...new Set([...fresh, ...m.state.selected])];
        post({ type: 'select', runIds: m.state.selected });
      }
      vscode.setState({ dataset: m.state.dataset, logScale: view.logScale });
      render();
      break;
    }
    case 'epochs': {
      const run = view.state?.runs.find((r) => r.id === m.runId);
      if (!run) return;
      run.metrics.push(...m.metrics);
      run.status = m.status;
      pending.add(run.id);
      scheduleFrame();
      break;
    }
    case 'runStatus': {
      const run = view.state?.runs.find((r) => r.id === m.runId);
      if (run) { run.status = m.status; run.summary = m.summary ?? run.summary; render(); }
      break;
    }
    case 'artifacts': {
      const have = view.frames.get(m.runId);
      if (m.append && !have) break; // not requested yet: the full list comes when it is
      view.frames.set(m.runId, m.append && have ? [...have, ...m.frames] : m.frames);
      if (m.append) { framesPending = true; scheduleFrame(); } else renderArtifacts();
      break;
    }
    case 'requestPng': {
      const c = document.querySelector<HTMLCanvasElement>('.metric-chart canvas');
      post({ type: 'png', dataUrl: c ? c.toDataURL('image/png') : '' });
      break;
    }
  }
});

/** Chart text follows the editor's font and colours (set per render: the theme can change). */
function themeCharts(): void {
  const body = getComputedStyle(document.body);
  Chart.defaults.font.family = body.fontFamily || 'sans-serif';
  Chart.defaults.font.size = 11;
  Chart.defaults.color = css('--vscode-foreground', body.color || '#888');
  Chart.defaults.borderColor = css('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)');
}

/** Runs that received epoch rows since the last frame: drawn together once per animation frame. */
const pending = new Set<string>();
let framesPending = false;
let frameRequested = false;

function scheduleFrame(): void {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(() => {
    frameRequested = false;
    if (framesPending) {
      framesPending = false;
      renderArtifacts();
    }
    if (pending.size === 0) return;
    // one rebuild of the (decimated) series per frame, however many runs sent epochs
    updateCurves();
    for (const id of pending) {
      const run = view.state?.runs.find((r) => r.id === id);
      if (run) updateRow(run);
    }
    pending.clear();
  });
}

function render(): void {
  const s = view.state;
  themeCharts();
  for (const c of view.charts) c.destroy();
  view.charts = [];
  for (const c of view.artifactCharts) c.destroy();
  view.artifactCharts = [];
  app.replaceChildren();
  if (!s) return;
  const header = el('header', { class: 'top' }, el('h1', {}, s.view === 'sweep' ? `Sweep: ${s.sweep?.name ?? s.dataset.replace(/^sweep:/, '')}` : s.dataset));
  const tabs = el('nav', { class: 'tabs', role: 'tablist' });
  if (s.view === 'sweep') {
    app.append(header);
    renderSweep(app, s.sweep, post, { fg: css('--vscode-foreground', '#888'), grid: css('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)'), palette: PALETTE }, view.charts);
    return;
  }
  const mk = (id: PanelState['view'], label: string) => {
    const b = el('button', { class: `tab${s.view === id ? ' active' : ''}`, role: 'tab', 'aria-selected': String(s.view === id), id: `tab-${id}` }, label);
    b.addEventListener('click', () => { s.view = id; render(); });
    return b;
  };
  tabs.append(mk('runs', `Runs (${s.runs.length})`));
  if (s.datasetStats) tabs.append(mk('dataset', 'Dataset statistics'));
  header.append(tabs);
  app.append(header);
  if (s.view === 'dataset' && s.datasetStats) renderDataset();
  else renderRuns();
}

function epochAxisLabel(): string {
  const axes = [...new Set(selectedRuns().map((r) => r.epochAxis ?? 'epoch'))];
  return axes.length === 1 && axes[0] !== 'epoch' ? axes[0] : 'epochs';
}

function selectedRuns(): RunView[] {
  const s = view.state as PanelState;
  return s.runs.filter((r) => s.selected.includes(r.id));
}

function renderRuns(): void {
  const s = view.state as PanelState;
  if (s.runs.length === 0) {
    app.append(el('p', { class: 'empty' }, 'No runs on this dataset yet. Use “Kernel Rec Lab: Train on Dataset…”.'));
    return;
  }
  const curves = el('section', { class: 'card', id: 'curves' });
  const smooth = el('input', { type: 'range', min: '0', max: '0.95', step: '0.05', value: String(view.smoothing), id: 'smoothing', 'aria-label': 'smoothing' }) as HTMLInputElement;
  smooth.addEventListener('input', () => { view.smoothing = Number(smooth.value); updateCurves(); });
  const tools = el('div', { class: 'toolbar' },
    el('h2', {}, 'Training curves'),
    el('label', { class: 'slider', title: 'exponential moving average of the curves (0 = off)' }, 'Smoothing ', smooth),
    // LLORMA's "epoch" is the ensemble size: the option names the selected runs' own axis when they share one
    dropdown([{ value: 'epoch', label: `x: ${epochAxisLabel()}` }, { value: 'time', label: 'x: wall-clock seconds' }], view.xAxis, (v) => { view.xAxis = v as View['xAxis']; updateCurves(true); }, 'x-axis'),
    checkbox('Log scale', view.logScale, (v) => { view.logScale = v; vscode.setState({ dataset: s.dataset, logScale: v }); updateCurves(true); }, 'log-scale'));
  curves.append(tools, el('div', { class: 'charts', id: 'curve-grid' }));
  app.append(curves);
  app.append(renderTable());
  app.append(el('section', { class: 'card', id: 'artifacts' }));
  makeCharts();
  renderArtifacts();
}

// --- curves -------------------------------------------------------------------------------------------------

const phaseLines: Plugin<'line'> = {
  id: 'phaseLines',
  afterDatasetsDraw(chart) {
    const bounds = (chart.options.plugins as { phaseLines?: { at: { x: number; label: string }[] } }).phaseLines?.at ?? [];
    const { ctx, chartArea, scales } = chart;
    const x = scales.x;
    ctx.save();
    ctx.strokeStyle = css('--vscode-editorRuler-foreground', '#888');
    ctx.fillStyle = css('--vscode-descriptionForeground', '#888');
    ctx.setLineDash([4, 4]);
    ctx.font = '11px sans-serif';
    // labels that would overlap the previous one go one row lower
    let lastEnd = -Infinity;
    let row = 0;
    for (const b of bounds) {
      const px = x.getPixelForValue(b.x);
      if (px < chartArea.left || px > chartArea.right) continue;
      ctx.beginPath();
      ctx.moveTo(px, chartArea.top);
      ctx.lineTo(px, chartArea.bottom);
      ctx.stroke();
      const w = ctx.measureText(b.label).width;
      row = px + 4 < lastEnd + 4 ? (row + 1) % 3 : 0;
      ctx.fillText(b.label, px + 4, chartArea.top + 12 + row * 12);
      lastEnd = Math.max(lastEnd, px + 4 + w);
    }
    ctx.restore();
  },
};

function phaseBoundaries(runs: RunView[]): { x: number; label: string }[] {
  const out: { x: number; label: string }[] = [];
  for (const r of runs.slice(0, 1)) {
    let prev = '';
    for (const m of r.metrics) {
      if (m.phase !== prev) {
        if (prev) out.push({ x: m.globalEpoch - 0.5, label: m.phase });
        else if (m.phase !== 'train') out.push({ x: m.globalEpoch - 0.5, label: m.phase });
        prev = m.phase;
      }
    }
  }
  return out;
}

type Split = 'train' | 'val' | 'test';
/** A run's points against the chosen x-axis (epoch, or wall-clock seconds), exponentially smoothed when asked. */
function series(r: RunView, get: (m: EpochMetrics) => number | undefined): { x: number; y: number }[] {
  let t = 0;
  let ema: number | undefined;
  const a = view.smoothing;
  return r.metrics.flatMap((m) => {
    t += Number.isFinite(m.seconds) ? m.seconds : 0;
    const y = get(m);
    if (y === undefined || !Number.isFinite(y)) return [];
    ema = ema === undefined || a === 0 ? y : a * ema + (1 - a) * y;
    return [{ x: view.xAxis === 'time' ? t : m.globalEpoch, y: ema }];
  });
}

/**
 * One chart per (task, metric family) of the selected runs, in definition order, the selection metric's family
 * first: runs of different tasks never share an axis (a 0/1 interaction RMSE is not a 1–5 rating RMSE).
 */
interface Family { id: string; task: string; taskName: string; family: string; metrics: MetricDef[] }
function families(runs: RunView[]): Family[] {
  const out = new Map<string, Family>();
  for (const r of runs) {
    for (const m of r.task.metrics) {
      const id = `${r.task.id}-${m.family}`;
      const f = out.get(id) ?? { id, task: r.task.id, taskName: r.task.name, family: m.family, metrics: [] };
      if (!f.metrics.some((x) => x.key === m.key)) f.metrics.push(m);
      out.set(id, f);
    }
  }
  const first = runs[0] ? `${runs[0].task.id}-${runs[0].task.metrics.find((m) => m.key === runs[0].selectBy)?.family}` : '';
  return [...out.values()].sort((a, b) => (a.id === first ? -1 : b.id === first ? 1 : 0));
}

/** The metric a family chart shows: the user's choice, else the selection metric, else the one at the selection metric's cut-off. */
function familyMetric(f: Family, runs: RunView[]): MetricDef {
  const chosen = view.familyMetric.get(f.id);
  const sel = runs.find((r) => r.task.id === f.task)?.selectBy ?? '';
  const at = /@\d+$/.exec(sel)?.[0];
  return f.metrics.find((m) => m.key === chosen) ?? f.metrics.find((m) => m.key === sel) ?? (at ? f.metrics.find((m) => m.key.endsWith(at)) : undefined) ?? f.metrics[0];
}

const runLabel = (r: RunView) => `${r.model}${r.preset ? `·${r.preset}` : ''} ${r.id.slice(9, 15)}`;

function lossData(): ChartDataset<'line'>[] {
  return selectedRuns().map((r, i) => {
    const c = PALETTE[i % PALETTE.length];
    const div = r.lossDivisor || 1;
    return { label: `${runLabel(r)} loss${div > 1 ? ' / rating' : ''}`, data: series(r, (m) => m.trainLoss / div), borderColor: c, backgroundColor: c, pointRadius: 0, borderWidth: 1.5, parsing: false } as ChartDataset<'line'>;
  });
}

function metricData(def: MetricDef, task: string): ChartDataset<'line'>[] {
  const out: ChartDataset<'line'>[] = [];
  selectedRuns().forEach((r, i) => {
    if (r.task.id !== task) return;
    const c = PALETTE[i % PALETTE.length];
    const style: Record<Split, Partial<ChartDataset<'line'>>> = { train: { borderDash: [1, 3], borderWidth: 1 }, val: { borderDash: [5, 3], borderWidth: 1.5 }, test: { borderWidth: 2 } };
    for (const split of ['val', 'test'] as Split[]) {
      const data = series(r, (m) => m[split][def.key]);
      if (data.length) out.push({ label: `${runLabel(r)} ${split === 'val' ? 'validation' : split}`, data, borderColor: c, backgroundColor: c, pointRadius: data.length < 3 ? 3 : 0, parsing: false, ...style[split] } as ChartDataset<'line'>);
    }
  });
  return out;
}

function chartOptions(title: string, yTitle: string, xTitle = 'epoch') {
  const fg = css('--vscode-foreground', '#ccc');
  const grid = css('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)');
  return {
    animation: false as const,
    responsive: true,
    maintainAspectRatio: false,
    normalized: true,
    parsing: false as const,
    interaction: { mode: 'nearest' as const, intersect: false, axis: 'x' as const },
    plugins: {
      decimation: { enabled: true, algorithm: 'lttb' as const, samples: 500 },
      legend: { labels: { color: fg, boxWidth: 12, font: { size: 11 } } },
      title: { display: true, text: title, color: fg },
      phaseLines: { at: phaseBoundaries(selectedRuns()) },
    },
    scales: {
      x: { type: 'linear' as const, title: { display: true, text: xTitle, color: fg }, ticks: { color: fg, precision: 0 }, grid: { color: grid } },
      y: { type: (view.logScale ? 'logarithmic' : 'linear') as 'linear', title: { display: true, text: yTitle, color: fg }, ticks: { color: fg }, grid: { color: grid } },
    },
  };
}

const metricTitle = (d: MetricDef, f: Family, mixed: boolean) => `${mixed ? `${f.taskName}: ` : ''}${d.label} — ${d.direction} is better`;

function makeCharts(): void {
  const grid = document.getElementById('curve-grid');
  if (!grid) return;
  grid.replaceChildren();
  const runs = selectedRuns();
  const xTitle = view.xAxis === 'time' ? 'seconds since the run started' : runs[0]?.epochAxis ?? 'epoch';
  const lossCanvas = el('canvas', { id: 'curve-loss', 'aria-label': 'training loss per epoch' }) as HTMLCanvasElement;
  grid.append(el('div', { class: 'chart' }, lossCanvas));
  // like with like: models whose loss is a sum over ratings are shown per rating, as the mean-loss models are
  const lossTitle = runs.some((r) => r.lossDivisor > 1) ? 'Training loss per rating (summed losses ÷ fitted ratings)' : 'Training loss';
  const lossOpts = chartOptions(lossTitle, 'loss', xTitle);
  if (view.xAxis === 'time') (lossOpts.plugins as Record<string, unknown>).phaseLines = { at: [] };
  view.charts = [new Chart(lossCanvas, { type: 'line', data: { datasets: lossData() }, options: lossOpts as never, plugins: [phaseLines] })];
  const fams = families(runs);
  const mixed = new Set(fams.map((f) => f.task)).size > 1;
  for (const f of fams) {
    const def = familyMetric(f, runs);
    const canvas = el('canvas', { id: `curve-${f.family}${mixed ? `-${f.task}` : ''}`, 'aria-label': `validation (dashed) and test (solid) ${def.label} per ${xTitle}` }) as HTMLCanvasElement;
    const box = el('div', { class: 'chart metric-chart', 'data-family': f.id });
    if (f.metrics.length > 1) {
      box.append(el('div', { class: 'chart-pick' }, dropdown(f.metrics.map((m) => ({ value: m.key, label: m.label })), def.key, (v) => { view.familyMetric.set(f.id, v); makeCharts(); }, `metric-${f.id}`)));
    }
    box.append(el('div', { class: 'chart-canvas' }, canvas));
    grid.append(box);
    const opts = chartOptions(metricTitle(def, f, mixed), def.label, xTitle);
    if (view.xAxis === 'time') (opts.plugins as Record<string, unknown>).phaseLines = { at: [] };
    const chart = new Chart(canvas, { type: 'line', data: { datasets: metricData(def, f.task) }, options: opts as never, plugins: [phaseLines] });
    (chart as unknown as { krl: { def: MetricDef; task: string } }).krl = { def, task: f.task };
    view.charts.push(chart);
  }
}

function updateCurves(rebuild = false): void {
  const runs = selectedRuns();
  const fams = families(runs);
  const mixed = new Set(fams.map((f) => f.task)).size > 1;
  const expected = ['curve-loss', ...fams.map((f) => `curve-${f.family}${mixed ? `-${f.task}` : ''}`)];
  if (rebuild || view.charts.length !== expected.length || view.charts.some((c, i) => c.canvas.id !== expected[i])) {
    for (const c of view.charts) c.destroy();
    view.charts = [];
    if (document.getElementById('curve-grid')) makeCharts();
    return;
  }
  view.charts[0].data.datasets = lossData();
  for (const c of view.charts.slice(1)) {
    const k = (c as unknown as { krl: { def: MetricDef; task: string } }).krl;
    c.data.datasets = metricData(k.def, k.task);
  }
  for (const c of view.charts) {
    (c.options.plugins as { phaseLines: { at: unknown } }).phaseLines.at = view.xAxis === 'time' ? [] : phaseBoundaries(runs);
    c.update('none');
  }
}

// --- table --------------------------------------------------------------------------------------------------

interface Column { key: string; label: string; title?: string; numeric?: boolean; get: (r: RunView) => number | string; text?: (v: number | string) => string }

/** A host-built metric column's value for a run (the same rules as the CLI's table: src/core/tasks/format). */
function metricCell(c: ResultColumnSpec, r: RunView): number {
  const s = r.summary;
  if (!s || s.task !== c.task) {
    // a running run without a summary yet: its latest test value in the (b) "last" column
    const last = r.metrics[r.metrics.length - 1];
    return c.kind === 'metric' && c.which === 'last' && r.task.id === c.task && last ? last.test[c.metric] ?? NaN : NaN;
  }
  const at = (w: NonNullable<ResultColumnSpec['which']>) => s.selection[w]?.test[c.metric] ?? NaN;
  const paper = s.paper?.metrics[c.metric];
  if (c.kind === 'metric') return at(c.which ?? 'valSelected');
  if (c.kind === 'paper') return paper ?? NaN;
  return paper !== undefined ? at('testSelected') - paper : NaN;
}

function columns(): Column[] {
  const s = view.state as PanelState;
  const metricCols: Column[] = (s.columns ?? []).map((c) => ({
    key: c.key, label: c.head, title: c.title, numeric: true, get: (r: RunView) => metricCell(c, r),
    text: (v) => (typeof v === 'number' && Number.isFinite(v) ? (c.kind === 'delta' ? `${v >= 0 ? '+' : ''}${v.toFixed(c.digits)}` : v.toFixed(c.digits)) : '—'),
  }));
  return [
    { key: 'model', label: 'Model', get: (r) => r.model + (r.preset ? ` · ${r.preset}` : '') },
    { key: 'tags', label: 'Tags', title: 'tags and note kept with the run (Edit Tags and Note… in the sidebar)', get: (r) => r.tags.map((t) => `#${t}`).join(' ') },
    { key: 'status', label: 'Status', get: (r) => r.status },
    ...metricCols,
    { key: 'seconds', label: 'Seconds', numeric: true, get: (r) => r.summary?.seconds ?? NaN, text: (v) => fmt(v as number, 1) },
    { key: 'backend', label: 'Backend', get: (r) => r.backend?.name ?? '' },
    { key: 'createdAt', label: 'Started', get: (r) => r.createdAt, text: (v) => String(v).replace('T', ' ').slice(0, 19) },
  ];
}

function renderTable(): HTMLElement {
  const s = view.state as PanelState;
  const cols = columns();
  const tasks = [...new Set(s.runs.map((r) => r.task.name))];
  const card = el('section', { class: 'card', id: 'table-card' }, el('h2', {}, `Results (${tasks.join(', ') || 'no runs'}; test part)`));
  const table = el('table', { id: 'results-table', class: 'grid' });
  const head = el('tr', {}, el('th', { title: 'overlay in the charts' }, ''));
  for (const c of cols) {
    const th = el('th', { 'data-key': c.key, title: c.title ?? '' }, c.label + (view.sort.key === c.key ? (view.sort.dir === 1 ? ' ▲' : ' ▼') : ''));
    th.addEventListener('click', () => {
      view.sort = { key: c.key, dir: view.sort.key === c.key ? (-view.sort.dir as 1 | -1) : 1 };
      card.replaceWith(renderTable());
    });
    head.append(th);
  }
  head.append(el('th', {}, ''));
  table.append(el('thead', {}, head));
  const body = el('tbody');
  const col = cols.find((c) => c.key === view.sort.key) ?? cols[0];
  const rows = [...s.runs].sort((a, b) => compareCells(col.get(a), col.get(b)) * view.sort.dir);
  for (const r of rows) body.append(tableRow(r, cols));
  table.append(body);
  card.append(el('div', { class: 'table-scroll' }, table));
  card.append(el('p', { class: 'legend' }, '(a) the epoch with the best validation value (claims of quality) · (b) the last epoch · (c) the best test value over epochs — selected on the test set, as the papers report (paper protocol). Hover a column head for its metric.'));
  return card;
}

function tableRow(r: RunView, cols: Column[]): HTMLElement {
  const s = view.state as PanelState;
  const tr = el('tr', { 'data-run': r.id, class: s.selected.includes(r.id) ? 'selected' : '' });
  const box = el('input', { type: 'checkbox', 'aria-label': `compare ${r.id}` }) as HTMLInputElement;
  box.checked = s.selected.includes(r.id);
  box.addEventListener('change', () => {
    s.selected = box.checked ? [...s.selected, r.id] : s.selected.filter((x) => x !== r.id);
    tr.classList.toggle('selected', box.checked);
    post({ type: 'select', runIds: s.selected });
    updateCurves(true);
  });
  tr.append(el('td', {}, box));
  for (const c of cols) {
    const v = c.get(r);
    const td = el('td', { 'data-key': c.key, class: c.numeric ? 'num' : '' });
    if (c.key === 'status') td.append(tag(r.status, r.summary?.error));
    else td.textContent = c.text ? c.text(v) : String(v);
    if (c.key === 'backend' && r.backend) td.title = r.backend.device;
    if (c.key === 'tags' && r.note) td.title = r.note;
    tr.append(td);
  }
  const actions = el('td', { class: 'actions' });
  if (r.status === 'running' || r.status === 'queued') actions.append(button('Cancel', () => post({ type: 'cancel', runId: r.id }), { secondary: true }));
  actions.append(button('Log', () => post({ type: 'openLog', runId: r.id }), { secondary: true, title: 'open the run log' }));
  tr.append(actions);
  return tr;
}

function updateRow(r: RunView): void {
  const old = document.querySelector(`tr[data-run="${CSS.escape(r.id)}"]`);
  const last = r.metrics[r.metrics.length - 1];
  if (!old) return;
  const st = old.querySelector('td[data-key="status"]');
  if (st) st.replaceChildren(tag(last ? `${r.status} · ${last.phase} ${last.epoch}/${last.epochs}` : r.status));
  for (const c of columns()) {
    if (!c.numeric) continue;
    const td = old.querySelector(`td[data-key="${CSS.escape(c.key)}"]`);
    if (td) td.textContent = c.text ? c.text(c.get(r)) : String(c.get(r));
  }
}

// --- artifacts: the pictures a model declares ------------------------------------------------------------------

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

function renderArtifacts(): void {
  const card = document.getElementById('artifacts');
  const s = view.state;
  if (!card || !s) return;
  for (const c of view.artifactCharts) c.destroy();
  view.artifactCharts = [];
  card.replaceChildren(el('h2', {}, 'Model pictures'));
  const runs = s.runs.filter((r) => r.artifacts.length > 0);
  if (runs.length === 0) {
    card.append(el('p', { class: 'empty', id: 'no-artifacts' }, 'None of these runs’ models declares pictures.'));
    return;
  }
  const runId = runs.some((r) => r.id === s.heatmapRun) ? (s.heatmapRun as string) : runs.some((r) => s.selected.includes(r.id)) ? (runs.find((r) => s.selected.includes(r.id)) as RunView).id : runs[0].id;
  const run = runs.find((r) => r.id === runId) as RunView;
  const controls = el('div', { class: 'toolbar' });
  controls.append(dropdown(runs.map((r) => ({ value: r.id, label: `${r.model}${r.preset ? ` · ${r.preset}` : ''} — ${r.id}` })), runId, (v) => {
    s.heatmapRun = v;
    view.pick.clear();
    post({ type: 'heatmapRun', runId: v });
    renderArtifacts();
  }, 'art-run'));
  card.append(controls);
  const frames = view.frames.get(runId);
  if (!frames) {
    card.append(el('p', { class: 'empty' }, 'Loading pictures…'));
    post({ type: 'requestArtifacts', runId });
    return;
  }
  if (frames.length === 0) {
    card.append(el('p', { class: 'empty', id: 'no-artifacts' }, run.status === 'running' || run.status === 'queued' ? 'No pictures yet: they appear as epochs end.' : 'This run recorded no pictures.'));
    return;
  }
  const grid = el('div', { class: 'art-grid' });
  for (const decl of run.artifacts) {
    const fs = frames.filter((f) => f.name === decl.name);
    if (fs.length === 0) continue;
    grid.append(renderArtifact(decl, fs, run));
  }
  card.append(grid);
}

function renderArtifact(decl: ArtifactDecl, frames: ArtifactFrame[], run: RunView): HTMLElement {
  const fig = el('figure', { class: `artifact artifact-${decl.view}`, 'data-artifact': decl.name, id: `art-${slug(decl.name)}` }, el('figcaption', { title: decl.description ?? '' }, decl.title));
  switch (decl.view) {
    case 'heatmap': return heatmapArtifact(fig, decl, frames, run);
    case 'line': return lineArtifact(fig, decl, frames, run);
    case 'scatter': return scatterArtifact(fig, decl, frames);
    case 'table': return tableArtifact(fig, frames);
  }
}

/** The frame index the user picked for an artifact (-1 follows the latest frame, so live runs extend it). */
function frameSlider(fig: HTMLElement, decl: ArtifactDecl, frames: ArtifactFrame[], run: RunView): ArtifactFrame {
  const p = view.pick.get(decl.name) ?? { index: -1 };
  view.pick.set(decl.name, p);
  const idx = p.index < 0 || p.index >= frames.length ? frames.length - 1 : p.index;
  const f = frames[idx];
  if (frames.length > 1) {
    const slider = el('input', { type: 'range', min: '0', max: String(frames.length - 1), value: String(idx), class: 'art-epoch', 'aria-label': run.epochAxis }) as HTMLInputElement;
    slider.addEventListener('input', () => {
      p.index = Number(slider.value) === frames.length - 1 ? -1 : Number(slider.value);
      renderArtifacts();
    });
    // "ensemble size 3", not "ensemble ensemble size 3" (LLORMA's phase is named like its axis)
    const phase = run.epochAxis.startsWith(f.phase) ? '' : `${f.phase} `;
    fig.append(el('label', { class: 'slider' }, `${phase}${run.epochAxis} ${f.epoch} (#${f.globalEpoch}${p.index < 0 ? ', latest' : ''}) `, slider));
  }
  return f;
}

function heatmapArtifact(fig: HTMLElement, decl: ArtifactDecl, frames: ArtifactFrame[], run: RunView): HTMLElement {
  const f = frameSlider(fig, decl, frames, run);
  const d = f.data as Extract<ArtifactData, { view: 'heatmap' }>;
  const p = view.pick.get(decl.name) as { group?: string; variant?: string; index: number };
  const groups = [...new Set(d.panels.map((x) => x.group))];
  const group = p.group && groups.includes(p.group) ? p.group : groups[0];
  const variants = [...new Set(d.panels.filter((x) => x.group === group).map((x) => x.variant))];
  const variant = p.variant && variants.includes(p.variant) ? p.variant : variants[0];
  const tools = el('div', { class: 'toolbar' });
  if (groups.length > 1) tools.append(dropdown(groups.map((g) => ({ value: g, label: g })), group, (v) => { p.group = v; renderArtifacts(); }, `art-${slug(decl.name)}-group`));
  if (variants.length > 1) tools.append(dropdown(variants.map((g) => ({ value: g, label: g })), variant, (v) => { p.variant = v; renderArtifacts(); }, `art-${slug(decl.name)}-variant`));
  if (tools.childElementCount) fig.append(tools);
  const panel = d.panels.find((x) => x.group === group && x.variant === variant) ?? d.panels[0];
  if (d.annotate) fig.append(annotatedGrid(panel.tensor, panel.range));
  else fig.append(heatmap(panel.tensor, `${panel.group}: ${panel.variant}${panel.note ? ` — ${panel.note}` : ''}`, panel.range, d.rowLabel, d.colLabel));
  return fig;
}

function lineArtifact(fig: HTMLElement, decl: ArtifactDecl, frames: ArtifactFrame[], run: RunView): HTMLElement {
  const d = frames[frames.length - 1].data as Extract<ArtifactData, { view: 'line' }>;
  const bySeries = new Map<string, { x: number; y: number }[]>();
  for (const f of frames) {
    if (f.data.view !== 'line') continue;
    for (const q of f.data.points) bySeries.set(q.series, [...(bySeries.get(q.series) ?? []), { x: q.x, y: q.y }]);
  }
  // the label names the series (screen readers; the legend is drawn on the canvas)
  const canvas = el('canvas', { class: 'art-line', 'aria-label': `${decl.title}: ${[...bySeries.keys()].join(', ')}` }) as HTMLCanvasElement;
  fig.append(el('div', { class: 'chart small' }, canvas));
  const datasets = [...bySeries.entries()].map(([name, pts], i) => ({
    label: name, data: pts.sort((a, b) => a.x - b.x), borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length], pointRadius: pts.length < 3 ? 3 : 0, borderWidth: 1.5, parsing: false,
  }));
  queueMicrotask(() => {
    if (!canvas.isConnected) return;
    // an artifact's own axes: never log scale (a 0 % sparsity cannot be drawn on one), its declared y range
    const opts = chartOptions(decl.title, d.yLabel, d.xLabel || run.epochAxis);
    opts.scales.y.type = 'linear';
    const y = opts.scales.y as Record<string, unknown>;
    if (d.yRange) { y.min = d.yRange[0]; y.max = d.yRange[1]; }
    (opts.scales.x.ticks as Record<string, unknown>).precision = d.integerX ? 0 : undefined;
    (opts.plugins as Record<string, unknown>).phaseLines = { at: [] };
    view.artifactCharts.push(new Chart(canvas, { type: 'line', data: { datasets: datasets as never }, options: opts as never }));
  });
  return fig;
}

function scatterArtifact(fig: HTMLElement, decl: ArtifactDecl, frames: ArtifactFrame[]): HTMLElement {
  const d = frames[frames.length - 1].data as Extract<ArtifactData, { view: 'scatter' }>;
  const canvas = el('canvas', { class: 'art-scatter', 'aria-label': decl.title }) as HTMLCanvasElement;
  const vals = d.points.map((q) => q.value ?? 0);
  const { min, max } = range(vals);
  // coloured by value when the points carry one (a colour scale); otherwise one theme-friendly colour (ROC, PR curves)
  const valued = d.points.some((q) => q.value !== undefined);
  const baseColors = d.points.map((q) => {
    if (!valued) return PALETTE[0];
    const [r, g, b] = viridis(((q.value ?? 0) - min) / (max - min));
    return `rgb(${r | 0},${g | 0},${b | 0})`;
  });
  // the highlight switch (e.g. the lowest-degree nodes of an embedding): those points large and in the accent colour,
  // the rest small and grey, so they can be found among thousands
  let chart: Chart | undefined;
  const style = (on: boolean) => {
    const hi = d.highlight;
    const colors = d.points.map((q, i) => (!on || !hi ? baseColors[i] : (q.value ?? Infinity) <= hi.maxValue ? css('--vscode-charts-red', '#e51400') : 'rgba(128,128,128,0.25)'));
    const radius = d.points.map((q) => (on && d.highlight && (q.value ?? Infinity) <= d.highlight.maxValue ? 3.5 : 2));
    return { colors, radius };
  };
  if (d.highlight) {
    const box = el('input', { type: 'checkbox', class: 'art-highlight', 'aria-label': d.highlight.label }) as HTMLInputElement;
    box.addEventListener('change', () => {
      if (!chart) return;
      const st = style(box.checked);
      const ds = chart.data.datasets[0] as unknown as { pointBackgroundColor: string[]; pointRadius: number[] };
      ds.pointBackgroundColor = st.colors;
      ds.pointRadius = st.radius;
      chart.update();
    });
    fig.append(el('label', { class: 'art-highlight-label' }, box, ` highlight ${d.highlight.label}`));
  }
  fig.append(el('div', { class: 'chart' }, canvas));
  queueMicrotask(() => {
    if (!canvas.isConnected) return;
    const opts = chartOptions(decl.title, d.yLabel, d.xLabel);
    opts.scales.y.type = 'linear';
    (opts.plugins as Record<string, unknown>).phaseLines = { at: [] };
    // hover names the point (a node's id and degree) when the points carry labels
    if (d.points.some((q) => q.label)) {
      (opts as Record<string, unknown>).interaction = { mode: 'nearest', intersect: true };
      (opts.plugins as Record<string, unknown>).tooltip = { callbacks: { label: (ctx: { dataIndex: number }) => d.points[ctx.dataIndex]?.label ?? '' } };
    }
    const st = style(false);
    chart = new Chart(canvas, { type: 'scatter', data: { datasets: [{ label: d.valueLabel ?? decl.title, data: d.points.map((q) => ({ x: q.x, y: q.y })), pointBackgroundColor: st.colors, pointRadius: st.radius }] as never }, options: opts as never });
    view.artifactCharts.push(chart);
  });
  return fig;
}

function tableArtifact(fig: HTMLElement, frames: ArtifactFrame[]): HTMLElement {
  const last = frames[frames.length - 1].data as Extract<ArtifactData, { view: 'table' }>;
  const rows = last.append ? frames.flatMap((f) => (f.data.view === 'table' ? f.data.rows : [])) : last.rows;
  const table = el('table', { class: 'grid art-table' });
  table.append(el('thead', {}, el('tr', {}, ...last.columns.map((c) => el('th', {}, c)))));
  const body = el('tbody');
  for (const r of rows) body.append(el('tr', {}, ...r.map((v) => el('td', { class: typeof v === 'number' ? 'num' : '' }, typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : v))));
  table.append(body);
  fig.append(el('div', { class: 'table-scroll' }, table));
  return fig;
}

/** Values of a heatmap tensor: plain, or 8-bit quantised over [min, max] (base64, encoded by heatmapTensor in src/core/artifacts.ts). */
function tensorValues(t: HeatmapTensor): Float32Array {
  if (!t.q8) return Float32Array.from(t.data);
  const bin = atob(t.q8);
  const out = new Float32Array(bin.length);
  const lo = t.min ?? 0;
  const span = (t.max ?? 1) - lo;
  for (let k = 0; k < bin.length; k++) out[k] = lo + (bin.charCodeAt(k) / 255) * span;
  return out;
}

/** The colour range: a declared one, else the values' min/max; a single value is said so rather than stretched. */
function colourRange(values: Float32Array, t: HeatmapTensor, fixed?: [number, number]): { min: number; max: number; note: string } {
  if (fixed) return { min: fixed[0], max: fixed[1], note: `fixed scale [${fixed[0]}, ${fixed[1]}]` };
  const lo = t.min ?? range(values).min;
  const hi = t.max ?? range(values).max;
  if (!(hi > lo)) return { min: lo - 0.5, max: lo + 0.5, note: `every value is ${lo.toPrecision(6)}` };
  const digits = Math.max(3, Math.ceil(-Math.log10((hi - lo) / Math.max(Math.abs(hi), Math.abs(lo), 1e-30))) + 2);
  return { min: lo, max: hi, note: `min ${lo.toPrecision(digits)} · max ${hi.toPrecision(digits)}` };
}

function heatmap(t: HeatmapTensor, title: string, fixed?: [number, number], rowLabel = 'rows', colLabel = 'columns'): HTMLElement {
  const values = tensorValues(t);
  const wrap = el('div', { class: 'heatmap' }, el('div', { class: 'caption' }, title));
  const canvas = el('canvas', { class: 'heat-canvas', width: String(t.cols), height: String(t.rows), 'aria-label': title }) as HTMLCanvasElement;
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  const img = ctx.createImageData(t.cols, t.rows);
  const { min, max, note } = colourRange(values, t, fixed);
  for (let i = 0; i < values.length; i++) {
    const [r, g, b] = viridis((values[i] - min) / (max - min));
    img.data[i * 4] = r;
    img.data[i * 4 + 1] = g;
    img.data[i * 4 + 2] = b;
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  const down = t.rows < t.fullRows || t.cols < t.fullCols;
  const readout = el('div', { class: 'readout heat-readout' }, 'hover for (i, j, value)');
  canvas.addEventListener('mousemove', (e) => {
    const rect = canvas.getBoundingClientRect();
    const c = Math.floor(((e.clientX - rect.left) / rect.width) * t.cols);
    const r = Math.floor(((e.clientY - rect.top) / rect.height) * t.rows);
    if (r < 0 || c < 0 || r >= t.rows || c >= t.cols) return;
    const i = Math.floor((r * t.fullRows) / t.rows);
    const j = Math.floor((c * t.fullCols) / t.cols);
    readout.textContent = `i = ${i} (${rowLabel}), j = ${j} (${colLabel}), value = ${values[r * t.cols + c].toPrecision(4)}${down ? ' (block mean)' : ''}`;
  });
  const bar = el('canvas', { class: 'colorbar', width: '16', height: '256', 'aria-label': 'colour bar' }) as HTMLCanvasElement;
  const bctx = bar.getContext('2d') as CanvasRenderingContext2D;
  for (let y = 0; y < 256; y++) {
    const [r, g, b] = viridis(1 - y / 255);
    bctx.fillStyle = `rgb(${r | 0},${g | 0},${b | 0})`;
    bctx.fillRect(0, y, 16, 1);
  }
  const axis = el('div', { class: 'axes' },
    el('div', { class: 'ylabel' }, `${rowLabel} (${t.fullRows})`),
    canvas,
    el('div', { class: 'bar' }, el('span', {}, max.toPrecision(3)), bar, el('span', {}, min.toPrecision(3))));
  wrap.append(axis, el('div', { class: 'xlabel' }, `${colLabel} (${t.fullCols})${down ? ` — shown ${t.rows}×${t.cols}` : ''}`), el('div', { class: 'range-note' }, note), readout);
  return wrap;
}

function annotatedGrid(t: HeatmapTensor, fixed?: [number, number]): HTMLElement {
  const data = tensorValues(t);
  const { min, max, note } = colourRange(data, t, fixed);
  const table = el('table', { class: 'gk' });
  for (let r = 0; r < t.rows; r++) {
    const tr = el('tr');
    for (let c = 0; c < t.cols; c++) {
      const v = data[r * t.cols + c];
      const [R, G, B] = viridis((v - min) / (max - min));
      const td = el('td', {}, v.toFixed(3));
      td.style.background = `rgb(${R | 0},${G | 0},${B | 0})`;
      td.style.color = (R * 0.299 + G * 0.587 + B * 0.114) > 140 ? '#000' : '#fff';
      tr.append(td);
    }
    table.append(tr);
  }
  return el('div', {}, table, el('div', { class: 'range-note' }, `${t.rows}×${t.cols} — ${note}`));
}

// --- dataset statistics -------------------------------------------------------------------------------------

function renderDataset(): void {
  const st = (view.state as PanelState).datasetStats;
  if (!st) return;
  const a = st.all;
  const card = el('section', { class: 'card', id: 'dataset-stats' }, el('h2', {}, `${st.name} (${st.format})`));
  const kv = el('dl', { class: 'stats' });
  const add = (k: string, v: string) => kv.append(el('dt', {}, k), el('dd', {}, v));
  add('Users', a.users.toLocaleString());
  add('Items', a.items.toLocaleString());
  add('Ratings', a.ratings.toLocaleString());
  add('Density', `${(a.density * 100).toFixed(2)}%`);
  add('Mean rating', a.mean.toFixed(3));
  add('Scale', `${st.scale.min} – ${st.scale.max}${st.scale.step ? ` (step ${st.scale.step})` : ''}`);
  add('Ratings per user', `min ${a.perUser.min} · median ${a.perUser.median} · mean ${a.perUser.mean.toFixed(1)} · max ${a.perUser.max}`);
  add('Ratings per item', `min ${a.perItem.min} · median ${a.perItem.median} · mean ${a.perItem.mean.toFixed(1)} · max ${a.perItem.max}`);
  if (st.test) add('Split', `train ${st.train.ratings.toLocaleString()} · test ${st.test.ratings.toLocaleString()}`);
  add('Graphs', st.hasGraphs.users || st.hasGraphs.items ? `${st.hasGraphs.users ? 'users' : ''}${st.hasGraphs.users && st.hasGraphs.items ? ' + ' : ''}${st.hasGraphs.items ? 'items' : ''}` : 'none');
  for (const f of st.files) add(f.role, `${f.path}\nsha256 ${f.sha256.slice(0, 16)}…`);
  card.append(kv);
  if (st.warnings.length) card.append(el('ul', { class: 'warnings' }, ...st.warnings.map((w) => el('li', {}, w))));
  const charts = el('div', { class: 'charts' },
    el('div', { class: 'chart' }, el('canvas', { id: 'hist-ratings', 'aria-label': 'rating histogram' })),
    el('div', { class: 'chart' }, el('canvas', { id: 'hist-users', 'aria-label': 'ratings per user' })));
  card.append(charts);
  app.append(card);
  const fg = css('--vscode-foreground', '#ccc');
  const bar = (id: string, labels: string[], data: number[], title: string, color: string) =>
    view.charts.push(new Chart(document.getElementById(id) as HTMLCanvasElement, {
      type: 'bar',
      data: { labels, datasets: [{ label: title, data, backgroundColor: color }] },
      options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { display: false }, title: { display: true, text: title, color: fg } }, scales: { x: { ticks: { color: fg } }, y: { ticks: { color: fg } } } },
    }));
  bar('hist-ratings', a.histogram.map((h) => String(h.value)), a.histogram.map((h) => h.count), 'Rating histogram', PALETTE[0]);
  bar('hist-users', a.perUserHistogram.map((h) => (h.lo === h.hi ? String(h.lo) : `${h.lo}–${h.hi}`)), a.perUserHistogram.map((h) => h.count), 'Ratings per user (users per bucket)', PALETTE[2]);
}

// VS Code swaps the body's theme class (vscode-light / vscode-dark / vscode-high-contrast): redraw in the new colours
new MutationObserver(() => view.state && render()).observe(document.body, { attributes: true, attributeFilter: ['class'] });

post({ type: 'ready' });
