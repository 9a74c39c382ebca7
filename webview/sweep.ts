/**
 * The experiments table of a sweep: one row per run (a column per swept parameter and per metric at (a)/(b)/(c)),
 * sortable and filterable, the validation-chosen point highlighted; grouped rows with mean ± std over seeds and
 * folds; a scatter of a parameter against the validation score; Export as CSV, Save the chosen point as a preset,
 * Run missing points (here or on Slurm), Cancel all. Renders what the host sends (SweepView); no model is named here.
 */
import { Chart, type ChartDataset } from 'chart.js';
import type { SweepGroupView, SweepRowView, SweepView, WebviewToHost } from '../src/protocol/webview';
import type { HyperValue, MetricDef, SelectionName } from '../src/protocol/types';
import { el, button, checkbox, dropdown, tag } from './ui/index';
import { compareCells } from './compare';

const SEL: { key: SelectionName; short: string }[] = [{ key: 'valSelected', short: '(a)' }, { key: 'last', short: '(b)' }, { key: 'testSelected', short: '(c)' }];

interface SweepUi {
  sort: { key: string; dir: 1 | -1 };
  filter: string;
  state: string;
  grouped: boolean;
  /** Metric columns shown: 'all' or one metric key. */
  metric?: string;
  x?: string;
}

const ui: SweepUi = { sort: { key: 'index', dir: 1 }, filter: '', state: 'all', grouped: false };

interface Col<T> {
  key: string;
  label: string;
  title?: string;
  numeric: boolean;
  get: (r: T) => number | string;
  text?: (v: number | string) => string;
}

const fmtV = (v: HyperValue | undefined) => (v === undefined ? '—' : String(v));
const num = (x: number | undefined, d: number) => (x !== undefined && Number.isFinite(x) ? x.toFixed(d) : '—');
const pm = (x: { mean: number; std: number } | undefined, d: number) => (x ? `${x.mean.toFixed(d)} ± ${x.std.toFixed(d)}` : '—');

function shownMetrics(s: SweepView): MetricDef[] {
  const key = ui.metric ?? (s.metrics.length <= 4 ? 'all' : s.metric.key);
  return key === 'all' ? s.metrics : s.metrics.filter((m) => m.key === key);
}

function rowCols(s: SweepView): Col<SweepRowView>[] {
  const d = s.metric.digits;
  const cols: Col<SweepRowView>[] = [
    { key: 'index', label: '#', numeric: true, get: (r) => r.index, text: (v) => String(v) },
    { key: 'state', label: 'state', numeric: false, get: (r) => r.state },
    { key: 'model', label: 'model', numeric: false, get: (r) => r.model },
    ...s.params.map((p): Col<SweepRowView> => ({ key: `p:${p}`, label: p, title: 'swept parameter', numeric: true, get: (r) => (typeof r.point[p] === 'number' ? (r.point[p] as number) : fmtV(r.point[p])), text: (v) => String(v) })),
    { key: 'seed', label: 'seed', numeric: true, get: (r) => r.seed, text: (v) => String(v) },
    { key: 'fold', label: 'fold', numeric: false, get: (r) => r.fold ?? '—' },
    { key: 'val', label: `val ${s.metric.label}`, title: `validation ${s.metric.label} at the val-selected epoch: what chooses the point (${s.metric.direction} is better)`, numeric: true, get: (r) => r.val ?? NaN, text: (v) => num(v as number, d) },
  ];
  for (const m of shownMetrics(s)) {
    for (const w of SEL) cols.push({ key: `t:${m.key}:${w.key}`, label: `${m.label} ${w.short}`, title: `test ${m.label} at ${w.short}${w.key === 'testSelected' ? ' — selected on the test set (paper protocol)' : ''}`, numeric: true, get: (r) => r.test[w.key]?.[m.key] ?? NaN, text: (v) => num(v as number, m.digits) });
  }
  cols.push({ key: 'seconds', label: 'seconds', numeric: true, get: (r) => r.seconds ?? NaN, text: (v) => num(v as number, 1) });
  return cols;
}

function groupCols(s: SweepView): Col<SweepGroupView>[] {
  const d = s.metric.digits;
  const cols: Col<SweepGroupView>[] = [
    { key: 'model', label: 'model', numeric: false, get: (g) => g.model },
    ...s.params.map((p): Col<SweepGroupView> => ({ key: `p:${p}`, label: p, numeric: true, get: (g) => (typeof g.point[p] === 'number' ? (g.point[p] as number) : fmtV(g.point[p])), text: (v) => String(v) })),
    { key: 'runs', label: 'runs', title: 'completed / all (seeds × folds)', numeric: true, get: (g) => g.done / g.n, text: () => '' },
    { key: 'val', label: `val ${s.metric.label} mean ± std`, numeric: true, get: (g) => g.val?.mean ?? NaN, text: () => '' },
  ];
  for (const m of shownMetrics(s)) for (const w of SEL) cols.push({ key: `t:${m.key}:${w.key}`, label: `${m.label} ${w.short}`, numeric: true, get: (g) => g.test[m.key]?.[w.key]?.mean ?? NaN, text: () => '' });
  return cols;
}

function sortRows<T>(rows: T[], cols: Col<T>[]): T[] {
  const col = cols.find((c) => c.key === ui.sort.key) ?? cols[0];
  return [...rows].sort((a, b) => compareCells(col.get(a), col.get(b), true) * ui.sort.dir);
}

function headRow<T>(cols: Col<T>[], rerender: () => void): HTMLElement {
  const tr = el('tr', {}, el('th', { title: 'chosen on validation' }, ''));
  for (const c of cols) {
    const th = el('th', { 'data-key': c.key, title: c.title ?? '' }, c.label + (ui.sort.key === c.key ? (ui.sort.dir === 1 ? ' ▲' : ' ▼') : ''));
    th.addEventListener('click', () => {
      ui.sort = { key: c.key, dir: ui.sort.key === c.key ? (-ui.sort.dir as 1 | -1) : 1 };
      rerender();
    });
    tr.append(th);
  }
  return tr;
}

function matches(s: SweepView, r: SweepRowView): boolean {
  if (ui.state !== 'all' && r.state !== ui.state) return false;
  if (!ui.filter) return true;
  const text = [r.state, r.model, r.runId ?? '', r.fold ?? '', String(r.seed), ...s.params.map((p) => `${p}=${fmtV(r.point[p])}`)].join(' ').toLowerCase();
  return ui.filter.toLowerCase().split(/\s+/).filter(Boolean).every((w) => text.includes(w));
}

function table(s: SweepView, post: (m: WebviewToHost) => void, rerender: () => void): HTMLElement {
  const t = el('table', { id: 'sweep-table', class: 'grid' });
  if (ui.grouped) {
    const cols = groupCols(s);
    t.append(el('thead', {}, headRow(cols, rerender)));
    const body = el('tbody');
    const visible = new Set(s.rows.filter((r) => matches(s, r)).map((r) => r.group));
    for (const g of sortRows(s.groups.filter((x) => visible.has(x.group)), cols)) {
      const tr = el('tr', { 'data-group': g.group, class: g.chosen ? 'chosen' : '' }, el('td', { class: 'star', title: g.chosen ? 'chosen on validation' : '' }, g.chosen ? '★' : ''));
      tr.append(el('td', {}, g.model));
      for (const p of s.params) tr.append(el('td', { class: 'num' }, fmtV(g.point[p])));
      tr.append(el('td', { class: 'num' }, `${g.done}/${g.n}`));
      tr.append(el('td', { class: 'num' }, pm(g.val, s.metric.digits)));
      for (const m of shownMetrics(s)) for (const w of SEL) tr.append(el('td', { class: 'num' }, pm(g.test[m.key]?.[w.key], m.digits)));
      body.append(tr);
    }
    t.append(body);
    return t;
  }
  const cols = rowCols(s);
  t.append(el('thead', {}, headRow(cols, rerender)));
  const body = el('tbody');
  for (const r of sortRows(s.rows.filter((x) => matches(s, x)), cols)) {
    const chosen = r.group === s.chosen;
    const tr = el('tr', { 'data-index': String(r.index), class: chosen ? 'chosen' : '' }, el('td', { class: 'star', title: chosen ? 'in the point chosen on validation' : '' }, chosen ? '★' : ''));
    for (const c of cols) {
      const td = el('td', { 'data-key': c.key, class: c.numeric ? 'num' : '' });
      if (c.key === 'state') td.append(tag(r.state, r.error));
      else td.textContent = c.text ? c.text(c.get(r)) : String(c.get(r));
      tr.append(td);
    }
    if (r.runId) {
      tr.classList.add('link');
      tr.title = `${r.runId} — double-click to open its curves and pictures`;
      tr.addEventListener('dblclick', () => post({ type: 'openRun', runId: r.runId as string }));
    }
    body.append(tr);
  }
  t.append(body);
  return t;
}

/** Parameter (x) against the validation score (y): every completed run, the group means, the chosen point. */
function scatter(s: SweepView, canvas: HTMLCanvasElement, colours: { fg: string; grid: string; palette: string[] }): Chart | undefined {
  const numeric = s.params.filter((p) => s.rows.some((r) => typeof r.point[p] === 'number'));
  const x = ui.x && numeric.includes(ui.x) ? ui.x : numeric[0];
  const xOf = (pt: Record<string, HyperValue>, i: number) => (x ? (pt[x] as number) : i);
  const runs = s.rows.filter((r) => r.val !== undefined && Number.isFinite(r.val)).map((r) => ({ x: xOf(r.point, r.index), y: r.val as number }));
  if (!runs.length) return undefined;
  const means = s.groups.filter((g) => g.val).map((g, i) => ({ x: xOf(g.point, i), y: (g.val as { mean: number }).mean, chosen: g.chosen }));
  const xs = runs.map((p) => p.x);
  const logX = xs.every((v) => v > 0) && Math.max(...xs) / Math.min(...xs) >= 20;
  const datasets: ChartDataset<'scatter'>[] = [
    { label: 'runs', data: runs, backgroundColor: colours.palette[0] + '99', borderColor: colours.palette[0], pointRadius: 3 },
    { label: 'group mean', data: means.filter((m) => !m.chosen), backgroundColor: colours.palette[3], borderColor: colours.palette[3], pointRadius: 6, pointStyle: 'rectRot' },
    { label: 'chosen (validation)', data: means.filter((m) => m.chosen), backgroundColor: colours.palette[1], borderColor: colours.palette[1], pointRadius: 9, pointStyle: 'star', borderWidth: 2 },
  ];
  return new Chart(canvas, {
    type: 'scatter',
    data: { datasets },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      plugins: { legend: { labels: { color: colours.fg } }, title: { display: true, text: `validation ${s.metric.label} (${s.metric.direction} is better) against ${x ?? 'run index'}`, color: colours.fg } },
      scales: {
        x: { type: logX ? 'logarithmic' : 'linear', title: { display: true, text: x ?? 'run', color: colours.fg }, ticks: { color: colours.fg }, grid: { color: colours.grid } },
        y: { title: { display: true, text: `val ${s.metric.label}`, color: colours.fg }, ticks: { color: colours.fg }, grid: { color: colours.grid } },
      },
    },
  });
}

export function renderSweep(app: HTMLElement, s: SweepView | undefined, post: (m: WebviewToHost) => void, colours: { fg: string; grid: string; palette: string[] }, charts: Chart[]): void {
  if (!s) {
    app.append(el('p', { class: 'empty' }, 'This sweep has no runs in the runs folder (it may have been deleted).'));
    return;
  }
  const rerender = () => {
    for (const c of charts.splice(0)) c.destroy();
    app.querySelector('#sweep-card')?.remove();
    app.querySelector('#sweep-chart-card')?.remove();
    renderSweep(app, s, post, colours, charts);
  };
  const card = el('section', { class: 'card', id: 'sweep-card' });
  const counts = el('span', { class: 'counts', id: 'sweep-counts' });
  for (const [k, n] of Object.entries(s.counts)) counts.append(tag(`${k} ${n}`));
  const missing = s.rows.filter((r) => !/^(completed|running|queued|slurm-)/.test(r.state)).length;
  const active = s.rows.some((r) => /^(running|queued)$/.test(r.state));
  const chosen = s.groups.find((g) => g.chosen);
  const tools = el('div', { class: 'toolbar' }, el('h2', {}, `Experiments — ${s.name} (${s.rows.length} runs)`), counts);
  if (missing) tools.append(button(`Run ${missing} missing`, () => post({ type: 'sweepRunMissing', slurm: false }), { id: 'sweep-run', title: 'run the points not completed, here, through the queue' }));
  if (missing && s.slurm) tools.append(button('…on Slurm', () => post({ type: 'sweepRunMissing', slurm: true }), { secondary: true, id: 'sweep-slurm', title: 'submit the points not completed as a Slurm job array' }));
  if (active) tools.append(button('Cancel all', () => post({ type: 'sweepCancelAll' }), { secondary: true, id: 'sweep-cancel' }));
  tools.append(button('Export as CSV', () => post({ type: 'sweepExportCsv' }), { secondary: true, id: 'sweep-csv' }));
  const save = button('Save the chosen point as a preset', () => post({ type: 'sweepSavePreset' }), { secondary: true, id: 'sweep-preset', title: chosen ? 'write it to .kernelrec/presets.json (the palette and the CLI offer it)' : 'no point is chosen yet: a group needs all its runs completed' });
  if (!chosen) save.setAttribute('disabled', '');
  tools.append(save);
  const filter = el('input', { type: 'search', id: 'sweep-filter', placeholder: 'filter: lr=0.01 completed …', value: ui.filter, 'aria-label': 'filter rows' }) as HTMLInputElement;
  filter.addEventListener('input', () => {
    ui.filter = filter.value;
    card.querySelector('#sweep-table')?.replaceWith(table(s, post, rerender));
  });
  const states = ['all', ...Object.keys(s.counts)];
  const metricOpts = [{ value: 'all', label: 'all metrics' }, ...s.metrics.map((m) => ({ value: m.key, label: m.label }))];
  const controls = el('div', { class: 'toolbar sweep-controls' },
    filter,
    dropdown(states.map((x) => ({ value: x, label: x === 'all' ? 'every state' : x })), ui.state, (v) => { ui.state = v; rerender(); }, 'sweep-state'),
    dropdown(metricOpts, ui.metric ?? (s.metrics.length <= 4 ? 'all' : s.metric.key), (v) => { ui.metric = v; rerender(); }, 'sweep-metric'),
    checkbox('Group seeds and folds (mean ± std)', ui.grouped, (v) => { ui.grouped = v; ui.sort = { key: v ? 'val' : 'index', dir: 1 }; rerender(); }, 'sweep-group'));
  card.append(tools, controls, el('div', { class: 'table-scroll' }, table(s, post, rerender)));
  card.append(el('p', { class: 'legend' }, `★ the point chosen on validation ${s.metric.label} (mean over its seeds and folds, ${s.metric.direction} is better), among points whose runs all completed${chosen ? '' : ' — none yet'}. Test numbers never choose. (a) val-selected epoch · (b) last · (c) test-selected (paper protocol). Double-click a run for its curves.${s.file ? ` File: ${s.file}` : ''}`));
  app.append(card);
  const chartCard = el('section', { class: 'card', id: 'sweep-chart-card' });
  const numeric = s.params.filter((p) => s.rows.some((r) => typeof r.point[p] === 'number'));
  const ct = el('div', { class: 'toolbar' }, el('h2', {}, 'Parameter against validation score'));
  if (numeric.length > 1) ct.append(dropdown(numeric.map((p) => ({ value: p, label: `x: ${p}` })), ui.x ?? numeric[0], (v) => { ui.x = v; rerender(); }, 'sweep-x'));
  const canvas = el('canvas', { id: 'sweep-chart' }) as HTMLCanvasElement;
  chartCard.append(ct, el('div', { class: 'chart-box' }, canvas));
  app.append(chartCard);
  const c = scatter(s, canvas, colours);
  if (c) charts.push(c);
  else chartCard.append(el('p', { class: 'empty' }, 'No completed run yet.'));
}
