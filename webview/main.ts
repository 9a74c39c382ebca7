/**
 * Results panel (runs in the webview). Renders what the host sends: loss/RMSE curves (Chart.js), the RMSE table,
 * kernel heatmaps and dataset statistics. Keeps no state that matters: every snapshot re-renders from scratch.
 */
import { Chart, LineController, LineElement, PointElement, LinearScale, LogarithmicScale, BarController, BarElement, CategoryScale, Legend, Title, Tooltip, Decimation, Filler, type ChartDataset, type Plugin } from 'chart.js';
import type { HostToWebview, PanelState, RunView, WebviewToHost } from '../src/protocol/webview';
import type { EpochMetrics, HeatmapTensor, KernelSnapshot } from '../src/core/types';
import { registerUi, el, button, checkbox, dropdown, tag } from './ui/index';
import { viridis, range } from './colormap';
import './style.css';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, BarController, BarElement, CategoryScale, Legend, Title, Tooltip, Decimation, Filler);

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
  snapshots: Map<string, KernelSnapshot[]>;
  heatLayer: number;
  heatEpochIndex: number;
  heatKind: 'kernel' | 'weight';
  charts: Chart[];
}
const view: View = { logScale: false, sort: { key: 'createdAt', dir: -1 }, snapshots: new Map(), heatLayer: 0, heatEpochIndex: -1, heatKind: 'kernel', charts: [] };
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
    case 'snapshot':
      view.state = m.state;
      vscode.setState({ dataset: m.state.dataset, logScale: view.logScale });
      render();
      break;
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
    case 'snapshots':
      view.snapshots.set(m.runId, m.snapshots);
      renderHeatmaps();
      break;
    case 'requestPng': {
      const c = document.querySelector<HTMLCanvasElement>('#curve-rmse');
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
let frameRequested = false;

function scheduleFrame(): void {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(() => {
    frameRequested = false;
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
  app.replaceChildren();
  if (!s) return;
  const header = el('header', { class: 'top' }, el('h1', {}, s.dataset));
  const tabs = el('nav', { class: 'tabs', role: 'tablist' });
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
  const tools = el('div', { class: 'toolbar' },
    el('h2', {}, 'Training curves'),
    checkbox('Log scale', view.logScale, (v) => { view.logScale = v; vscode.setState({ dataset: s.dataset, logScale: v }); updateCurves(true); }, 'log-scale'));
  curves.append(tools, el('div', { class: 'charts' },
    el('div', { class: 'chart' }, el('canvas', { id: 'curve-loss', 'aria-label': 'training loss per epoch' })),
    el('div', { class: 'chart' }, el('canvas', { id: 'curve-rmse', 'aria-label': 'validation and test RMSE per epoch' }))));
  app.append(curves);
  app.append(renderTable());
  app.append(el('section', { class: 'card', id: 'heatmaps' }));
  makeCharts();
  renderHeatmaps();
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
    for (const b of bounds) {
      const px = x.getPixelForValue(b.x);
      if (px < chartArea.left || px > chartArea.right) continue;
      ctx.beginPath();
      ctx.moveTo(px, chartArea.top);
      ctx.lineTo(px, chartArea.bottom);
      ctx.stroke();
      ctx.fillText(b.label, px + 4, chartArea.top + 12);
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

function series(r: RunView, key: keyof EpochMetrics): { x: number; y: number }[] {
  return r.metrics.filter((m) => Number.isFinite(m[key] as number)).map((m) => ({ x: m.globalEpoch, y: m[key] as number }));
}

function curveData(): { loss: ChartDataset<'line'>[]; rmse: ChartDataset<'line'>[] } {
  const runs = selectedRuns();
  const loss: ChartDataset<'line'>[] = [];
  const rmse: ChartDataset<'line'>[] = [];
  runs.forEach((r, i) => {
    const c = PALETTE[i % PALETTE.length];
    const name = `${r.model}${r.preset ? `·${r.preset}` : ''} ${r.id.slice(9, 15)}`;
    loss.push({ label: `${name} loss`, data: series(r, 'trainLoss'), borderColor: c, backgroundColor: c, pointRadius: 0, borderWidth: 1.5, parsing: false } as ChartDataset<'line'>);
    rmse.push({ label: `${name} val`, data: series(r, 'valRmse'), borderColor: c, backgroundColor: c, pointRadius: 0, borderWidth: 1.5, borderDash: [5, 3], parsing: false } as ChartDataset<'line'>);
    rmse.push({ label: `${name} test`, data: series(r, 'testRmse'), borderColor: c, backgroundColor: c, pointRadius: 0, borderWidth: 2, parsing: false } as ChartDataset<'line'>);
  });
  return { loss, rmse };
}

function chartOptions(title: string, yTitle: string) {
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
      x: { type: 'linear' as const, title: { display: true, text: 'epoch', color: fg }, ticks: { color: fg }, grid: { color: grid } },
      y: { type: (view.logScale ? 'logarithmic' : 'linear') as 'linear', title: { display: true, text: yTitle, color: fg }, ticks: { color: fg }, grid: { color: grid } },
    },
  };
}

function makeCharts(): void {
  const d = curveData();
  const lossCanvas = document.getElementById('curve-loss') as HTMLCanvasElement;
  const rmseCanvas = document.getElementById('curve-rmse') as HTMLCanvasElement;
  view.charts = [
    new Chart(lossCanvas, { type: 'line', data: { datasets: d.loss }, options: chartOptions('Training loss', 'loss') as never, plugins: [phaseLines] }),
    new Chart(rmseCanvas, { type: 'line', data: { datasets: d.rmse }, options: chartOptions('RMSE (dashed: validation, solid: test)', 'RMSE') as never, plugins: [phaseLines] }),
  ];
}

function updateCurves(rebuild = false): void {
  if (view.charts.length !== 2 || rebuild) {
    for (const c of view.charts) c.destroy();
    view.charts = [];
    if (document.getElementById('curve-loss')) makeCharts();
    return;
  }
  const d = curveData();
  const [loss, rmse] = view.charts;
  loss.data.datasets = d.loss;
  rmse.data.datasets = d.rmse;
  for (const c of view.charts) {
    (c.options.plugins as { phaseLines: { at: unknown } }).phaseLines.at = phaseBoundaries(selectedRuns());
    c.update('none');
  }
}

// --- table --------------------------------------------------------------------------------------------------

const COLUMNS: { key: string; label: string; title?: string; get: (r: RunView) => number | string }[] = [
  { key: 'model', label: 'Model', get: (r) => r.model + (r.preset ? ` · ${r.preset}` : '') },
  { key: 'status', label: 'Status', get: (r) => r.status },
  { key: 'valSelected', label: 'Val-selected', title: 'test RMSE at the epoch with the best validation RMSE (claims of quality)', get: (r) => r.summary?.rmse.valSelected ?? NaN },
  { key: 'last', label: 'Last', title: 'test RMSE at the last epoch', get: (r) => r.summary?.rmse.last ?? NaN },
  { key: 'testSelected', label: 'Test-selected (paper protocol)', title: 'best test RMSE over epochs — selects on the test set, as the papers do', get: (r) => r.summary?.rmse.testSelected ?? NaN },
  { key: 'mae', label: 'MAE', get: (r) => r.summary?.mae.valSelected ?? NaN },
  { key: 'paper', label: 'Paper', get: (r) => r.paper?.rmse ?? NaN },
  { key: 'delta', label: 'Δ vs paper', title: 'test-selected minus the paper’s number', get: (r) => (r.paper && r.summary ? r.summary.rmse.testSelected - r.paper.rmse : NaN) },
  { key: 'seconds', label: 'Seconds', get: (r) => r.summary?.seconds ?? NaN },
  { key: 'backend', label: 'Backend', get: (r) => r.backend?.name ?? '' },
  { key: 'createdAt', label: 'Started', get: (r) => r.createdAt },
];

function cellText(key: string, v: number | string): string {
  if (typeof v === 'string') return key === 'createdAt' ? v.replace('T', ' ').slice(0, 19) : v;
  if (key === 'seconds') return fmt(v, 1);
  if (key === 'delta') return Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${v.toFixed(4)}` : '—';
  return fmt(v);
}

function renderTable(): HTMLElement {
  const s = view.state as PanelState;
  const card = el('section', { class: 'card', id: 'table-card' }, el('h2', {}, 'Test RMSE'));
  const table = el('table', { id: 'rmse-table', class: 'grid' });
  const head = el('tr', {}, el('th', { title: 'overlay in the charts' }, ''));
  for (const c of COLUMNS) {
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
  const col = COLUMNS.find((c) => c.key === view.sort.key) ?? COLUMNS[0];
  const rows = [...s.runs].sort((a, b) => {
    const x = col.get(a);
    const y = col.get(b);
    if (typeof x === 'number' && typeof y === 'number') return ((Number.isFinite(x) ? x : Infinity) - (Number.isFinite(y) ? y : Infinity)) * view.sort.dir;
    return String(x).localeCompare(String(y)) * view.sort.dir;
  });
  for (const r of rows) body.append(tableRow(r));
  table.append(body);
  card.append(table);
  return card;
}

function tableRow(r: RunView): HTMLElement {
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
  for (const c of COLUMNS) {
    const v = c.get(r);
    const td = el('td', { 'data-key': c.key, class: typeof v === 'number' ? 'num' : '' });
    if (c.key === 'status') td.append(tag(r.status, r.summary?.error));
    else td.textContent = cellText(c.key, v);
    if (c.key === 'backend' && r.backend) td.title = r.backend.device;
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
  if (old) {
    const st = old.querySelector('td[data-key="status"]');
    if (st) st.replaceChildren(tag(last ? `${r.status} · ${last.phase} ${last.epoch}/${last.epochs}` : r.status));
  }
}

// --- heatmaps -----------------------------------------------------------------------------------------------

function renderHeatmaps(): void {
  const card = document.getElementById('heatmaps');
  const s = view.state;
  if (!card || !s) return;
  card.replaceChildren(el('h2', {}, 'Kernel heatmaps'));
  const runId = s.heatmapRun ?? s.selected[0];
  const runs = s.runs;
  const controls = el('div', { class: 'toolbar' });
  controls.append(dropdown(runs.map((r) => ({ value: r.id, label: `${r.model}${r.preset ? ` · ${r.preset}` : ''} — ${r.id}` })), runId, (v) => {
    s.heatmapRun = v;
    view.heatEpochIndex = -1;
    post({ type: 'heatmapRun', runId: v });
    renderHeatmaps();
  }, 'heat-run'));
  card.append(controls);
  if (!runId) return;
  const snaps = view.snapshots.get(runId);
  if (!snaps) {
    card.append(el('p', { class: 'empty' }, 'Loading snapshots…'));
    post({ type: 'requestSnapshots', runId });
    return;
  }
  if (snaps.length === 0) {
    card.append(el('p', { class: 'empty', id: 'no-snapshots' }, 'This model records no kernel snapshots (only the kernel models — GLocal-K, Sparse FC, kernelNet — do).'));
    return;
  }
  const idx = view.heatEpochIndex < 0 || view.heatEpochIndex >= snaps.length ? snaps.length - 1 : view.heatEpochIndex;
  const snap = snaps[idx];
  const layerCount = snap.layers.length;
  const layer = Math.min(view.heatLayer, layerCount - 1);
  controls.append(dropdown(snap.layers.map((l, i) => ({ value: String(i), label: l.name })), String(layer), (v) => { view.heatLayer = Number(v); renderHeatmaps(); }, 'heat-layer'));
  controls.append(dropdown([{ value: 'kernel', label: 'K(U,V)' }, { value: 'weight', label: '|W ⊙ K|' }], view.heatKind, (v) => { view.heatKind = v as 'kernel' | 'weight'; renderHeatmaps(); }, 'heat-kind'));
  const slider = el('input', { type: 'range', min: '0', max: String(snaps.length - 1), value: String(idx), id: 'heat-epoch', 'aria-label': 'epoch' }) as HTMLInputElement;
  slider.addEventListener('input', () => { view.heatEpochIndex = Number(slider.value); renderHeatmaps(); });
  controls.append(el('label', { class: 'slider' }, `${snap.phase} epoch ${snap.epoch} (#${snap.globalEpoch}) `, slider));
  const l = snap.layers[layer];
  const tensor = view.heatKind === 'weight' && l.weight ? l.weight : l.kernel;
  const grid = el('div', { class: 'heat-grid' });
  grid.append(heatmap(tensor, `${l.name}: ${view.heatKind === 'weight' && l.weight ? '|W ⊙ K|' : 'K(U,V)'} — sparsity ${(l.sparsity * 100).toFixed(1)}% zeros`));
  const side = el('div', { class: 'heat-side' });
  side.append(sparsityChart(snaps));
  if (snap.globalKernel) side.append(globalKernelGrid(snap.globalKernel));
  grid.append(side);
  card.append(grid);
}

/** Values of a heatmap tensor: plain, or 8-bit quantised over [min, max] (base64, encoded by heatmapTensor in src/core/models/snapshots.ts). */
function tensorValues(t: HeatmapTensor): Float32Array {
  if (!t.q8) return Float32Array.from(t.data);
  const bin = atob(t.q8);
  const out = new Float32Array(bin.length);
  const lo = t.min ?? 0;
  const span = (t.max ?? 1) - lo;
  for (let k = 0; k < bin.length; k++) out[k] = lo + (bin.charCodeAt(k) / 255) * span;
  return out;
}

function heatmap(t: HeatmapTensor, title: string): HTMLElement {
  const values = tensorValues(t);
  const wrap = el('figure', { class: 'heatmap' }, el('figcaption', {}, title));
  const canvas = el('canvas', { id: 'heat-canvas', width: String(t.cols), height: String(t.rows), 'aria-label': title }) as HTMLCanvasElement;
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  const img = ctx.createImageData(t.cols, t.rows);
  const { min, max } = range(values);
  for (let i = 0; i < values.length; i++) {
    const [r, g, b] = viridis((values[i] - min) / (max - min));
    img.data[i * 4] = r;
    img.data[i * 4 + 1] = g;
    img.data[i * 4 + 2] = b;
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  const readout = el('div', { class: 'readout', id: 'heat-readout' }, 'hover for (i, j, value)');
  canvas.addEventListener('mousemove', (e) => {
    const rect = canvas.getBoundingClientRect();
    const c = Math.floor(((e.clientX - rect.left) / rect.width) * t.cols);
    const r = Math.floor(((e.clientY - rect.top) / rect.height) * t.rows);
    if (r < 0 || c < 0 || r >= t.rows || c >= t.cols) return;
    const i = Math.floor((r * t.fullRows) / t.rows);
    const j = Math.floor((c * t.fullCols) / t.cols);
    readout.textContent = `i = ${i} (input), j = ${j} (output), value = ${values[r * t.cols + c].toPrecision(4)}${t.rows < t.fullRows || t.cols < t.fullCols ? ' (block mean)' : ''}`;
  });
  const bar = el('canvas', { class: 'colorbar', width: '16', height: '256', 'aria-label': 'colour bar' }) as HTMLCanvasElement;
  const bctx = bar.getContext('2d') as CanvasRenderingContext2D;
  for (let y = 0; y < 256; y++) {
    const [r, g, b] = viridis(1 - y / 255);
    bctx.fillStyle = `rgb(${r | 0},${g | 0},${b | 0})`;
    bctx.fillRect(0, y, 16, 1);
  }
  const axis = el('div', { class: 'axes' },
    el('div', { class: 'ylabel' }, `inputs i (${t.fullRows})`),
    canvas,
    el('div', { class: 'bar' }, el('span', {}, max.toPrecision(3)), bar, el('span', {}, min.toPrecision(3))));
  wrap.append(axis, el('div', { class: 'xlabel' }, `outputs j (${t.fullCols})${t.rows < t.fullRows || t.cols < t.fullCols ? ` — shown ${t.rows}×${t.cols}` : ''}`), readout);
  return wrap;
}

function sparsityChart(snaps: KernelSnapshot[]): HTMLElement {
  const wrap = el('div', { class: 'chart small' }, el('canvas', { id: 'sparsity-chart', 'aria-label': 'kernel sparsity per layer' }));
  const names = snaps[0]?.layers.map((l) => l.name) ?? [];
  const datasets = names.map((n, i) => ({
    label: n,
    data: snaps.map((s) => ({ x: s.globalEpoch, y: (s.layers.find((l) => l.name === n)?.sparsity ?? NaN) * 100 })),
    borderColor: PALETTE[i % PALETTE.length], backgroundColor: PALETTE[i % PALETTE.length], pointRadius: 0, borderWidth: 1.5, parsing: false,
  }));
  queueMicrotask(() => {
    const c = document.getElementById('sparsity-chart') as HTMLCanvasElement | null;
    if (!c) return;
    const opts = chartOptions('Kernel sparsity (% zero entries)', '% zeros');
    opts.scales.y.type = 'linear';
    view.charts.push(new Chart(c, { type: 'line', data: { datasets: datasets as never }, options: opts as never }));
  });
  return wrap;
}

function globalKernelGrid(t: HeatmapTensor): HTMLElement {
  const data = tensorValues(t);
  const { min, max } = range(data);
  const table = el('table', { class: 'gk', id: 'global-kernel' });
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
  return el('figure', {}, el('figcaption', {}, `Global kernel (${t.rows}×${t.cols})`), table);
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
