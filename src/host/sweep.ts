/**
 * Sweeps: a `*.krl.json` experiment file whose run entries carry `grid` (cartesian), `random` (seeded samples),
 * `seeds` and `folds` expands here, deterministically, into run specs, each tagged with the sweep it belongs to and
 * its point in the grid (recorded in run.json as `sweep`). The same expansion serves the local queue, Slurm job
 * arrays, Kubernetes Indexed Jobs, `kernel-rec-lab sweep --dry-run`, the experiments table and the tune bench.
 *
 * Identity: a run's `key` is a hash of everything that defines the experiment (model, preset, overrides, task,
 * selection metric, dataset, split, filter, validation fraction, seed) — not the backend or thread count — so
 * rerunning a sweep skips every key already completed in the runs folder, whatever machine ran it. A `group` is the
 * key without seed and fold: the runs whose mean ± std is one row of the paper table.
 *
 * Selection is on validation only: a grid point's score is the mean over its seeds / folds of the validation value
 * of the selection metric at each run's val-selected epoch; `select` on the test split is refused.
 * No vscode import.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Hyper, HyperValue, MetricDef, RunSpec, RunStatus, RunSummary, TaskDef } from '../protocol/types';
import type { SweepView } from '../protocol/webview';
import { getModel } from '../core/models/catalogue';
import { coerceParam, type ModelInfo, type ParamSpec } from '../core/models/model';
import { Prng } from '../core/data/prng';
import { resolveTask } from '../core/tasks/resolve';
import { SELECTIONS } from '../core/tasks/format';
import { datasetName } from '../core/data/names';
import { buildRunSpec, SpecError, suggest, type SpecDefaults } from './runSpecBuilder';
import { isObj, type LoadedRun, type RunStore } from './runStore';
import { taskLogOf, type SchedulerState } from './scheduler';

/** A numeric range for random search (log: sample the exponent uniformly). */
export interface RandomRange {
  min: number;
  max: number;
  log?: boolean;
}

export interface RandomSpec {
  /** Number of samples. */
  n: number;
  /** Seed of the sampler (default 1). */
  seed?: number;
  /** Parameter → a list to pick from or a range. */
  space: Record<string, HyperValue[] | RandomRange>;
}

/** k-fold over the dataset (split kfold:k:i:seed), or given splits listed as files (u1…u5-style). */
export type FoldsSpec = { k: number; seed?: number } | { files: { train: string; test?: string; name?: string }[] };

/** The metric a sweep is chosen on, and the split (validation only). */
export type SweepSelect = string | { metric?: string; split?: string };

export interface SweepTag {
  /** The sweep: its `name`, as a folder-safe slug. */
  id: string;
  name: string;
  /** The experiment file it was expanded from (absolute). */
  file?: string;
  /** Position in the expansion, and its size. */
  index: number;
  total: number;
  /** The run's identity (hash of the experiment it describes); rerunning a sweep skips completed keys. */
  key: string;
  /** The key without seed and fold: runs of one group are averaged. */
  group: string;
  /** The run entry of the file it came from. */
  entry: number;
  /** The swept parameters' values at this point (grid and random keys). */
  point: Hyper;
  seed: number;
  /** Fold label (e.g. "2/5" or the given split's name), when the sweep has folds. */
  fold?: string;
  /** Where a scheduler ran it (Slurm array job and task). */
  scheduler?: { kind: 'slurm' | 'k8s'; job?: string; task?: number };
}

export interface SweepRun {
  spec: RunSpec;
  tag: SweepTag;
  datasetName: string;
}

export interface ExpandedSweep {
  id: string;
  name: string;
  file: string;
  /** The metric the best point is chosen on (validation); undefined: each run's own selection metric. */
  selectMetric?: string;
  /** Every swept parameter, in file order. */
  params: string[];
  runs: SweepRun[];
}

interface RunEntry {
  name?: string;
  model?: string;
  preset?: string;
  overrides?: Hyper;
  task?: string;
  select?: string;
  ks?: number[];
  dataset?: string;
  test?: string;
  split?: string;
  minInteractions?: number | { users: number; items: number };
  seeds?: number[];
  folds?: FoldsSpec;
  grid?: Record<string, HyperValue[]>;
  random?: RandomSpec;
  valFraction?: number;
  backend?: string;
}

interface SweepDoc extends Omit<RunEntry, 'select' | 'model' | 'grid' | 'random' | 'preset' | 'overrides' | 'ks'> {
  select?: SweepSelect;
  runs?: RunEntry[];
}

/** A folder-safe slug of a sweep name. */
export function sweepSlug(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 60) || 'sweep';
}

function canonical(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonical).join(',')}]`;
  if (isObj(x)) return `{${Object.keys(x).filter((k) => x[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(x[k])}`).join(',')}}`;
  return JSON.stringify(x);
}

const hash = (x: unknown) => crypto.createHash('sha256').update(canonical(x)).digest('hex').slice(0, 16);

/** The run's identity: everything that defines the experiment, not where or how fast it runs. */
export function runKey(spec: RunSpec): string {
  const { backend: _b, threads: _t, blasLibrary: _l, ...rest } = spec;
  return hash(rest);
}

/** The identity of a group: the run's key without seed, split and dataset files (folds). */
export function groupKey(spec: RunSpec): string {
  const { backend: _b, threads: _t, blasLibrary: _l, seed: _s, split: _p, dataset: _d, ...rest } = spec;
  return hash({ ...rest, format: spec.dataset.format });
}

/** The metric and split of `select`, refusing the test split. */
export function parseSweepSelect(sel: SweepSelect | undefined, where: string): string | undefined {
  if (sel === undefined) return undefined;
  const metric = typeof sel === 'string' ? sel : sel.metric;
  const split = typeof sel === 'string' ? 'val' : (sel.split ?? 'val');
  if (!['val', 'validation'].includes(split)) {
    throw new SpecError(`${where}: "select.split" ${JSON.stringify(split)}: a sweep chooses on the validation split only ("val"); choosing on the test split would report a test-selected number as if it were validated`);
  }
  if (metric !== undefined && (typeof metric !== 'string' || !metric)) throw new SpecError(`${where}: "select.metric" must be a metric key such as rmse, hr@10 or auc`);
  return metric;
}

function paramOf(model: ModelInfo, key: string, where: string) {
  const p = model.params.find((x) => x.key === key);
  if (!p) throw new SpecError(`${where}: model ${model.id} has no parameter "${key}"${suggest(key, model.params.map((x) => x.key))} (parameters: ${model.params.map((x) => x.key).join(', ') || 'none'})`);
  return p;
}

/** A value coerced and range-checked by the parameter's schema; `where` names the value in the file. */
function typed(spec: ParamSpec, v: HyperValue, where: string): HyperValue {
  try {
    return coerceParam(spec, v);
  } catch (e) {
    throw new SpecError(`${where}: ${(e as Error).message}`);
  }
}

/** Grid points in file order: the first key varies slowest. */
function gridPoints(model: ModelInfo, grid: RunEntry['grid'], where: string): Hyper[] {
  if (grid === undefined) return [{}];
  if (!isObj(grid) || Object.keys(grid).length === 0) throw new SpecError(`${where}: "grid" must map parameter names to non-empty lists of values`);
  let acc: Hyper[] = [{}];
  for (const [key, values] of Object.entries(grid)) {
    if (!Array.isArray(values) || values.length === 0) throw new SpecError(`${where}: grid.${key} must be a non-empty list of values`);
    const spec = paramOf(model, key, where);
    const vs = values.map((v, i) => typed(spec, v, `${where}: grid.${key}[${i}]`));
    if (new Set(vs.map((v) => JSON.stringify(v))).size !== vs.length) throw new SpecError(`${where}: grid.${key} lists a value twice`);
    acc = acc.flatMap((c) => vs.map((v) => ({ ...c, [key]: v })));
  }
  return acc;
}

/** Random-search points: seeded, values of ranges rounded to 4 significant digits (integers to integers). */
function randomPoints(model: ModelInfo, random: RandomSpec | undefined, where: string): Hyper[] | undefined {
  if (random === undefined) return undefined;
  if (!isObj(random) || !Number.isInteger(random.n) || random.n < 1 || random.n > 10000) throw new SpecError(`${where}: "random" needs "n" (samples, 1…10000) and "space"`);
  if (!isObj(random.space) || Object.keys(random.space).length === 0) throw new SpecError(`${where}: random.space must map parameter names to a list or a {min, max, log?} range`);
  const rng = new Prng(random.seed ?? 1);
  const ranges = Object.entries(random.space).map(([key, r]) => {
    const p = paramOf(model, key, `${where}: random.space`);
    if (Array.isArray(r)) {
      if (!r.length) throw new SpecError(`${where}: random.space.${key} is an empty list`);
      return { key, list: r.map((v, i) => typed(p, v, `${where}: random.space.${key}[${i}]`)) };
    }
    if (!isObj(r) || typeof r.min !== 'number' || typeof r.max !== 'number' || !(r.max >= r.min)) throw new SpecError(`${where}: random.space.${key} must be a list or {"min": a, "max": b} with a ≤ b`);
    if (p.type !== 'number' && p.type !== 'integer') throw new SpecError(`${where}: random.space.${key} is a ${p.type} parameter: give a list of values, not a range`);
    if (r.log && !(r.min > 0)) throw new SpecError(`${where}: random.space.${key}: a log range needs min > 0`);
    typed(p, r.min, `${where}: random.space.${key}.min`);
    typed(p, r.max, `${where}: random.space.${key}.max`);
    return { key, range: r as RandomRange, integer: p.type === 'integer' };
  });
  const out: Hyper[] = [];
  for (let s = 0; s < random.n; s++) {
    const pt: Hyper = {};
    for (const r of ranges) {
      if (r.list) pt[r.key] = r.list[Math.min(r.list.length - 1, Math.floor(rng.next() * r.list.length))];
      else {
        const { min, max, log } = r.range as RandomRange;
        const u = rng.next();
        let v = log ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min);
        v = r.integer ? Math.round(v) : Number(v.toPrecision(4));
        pt[r.key] = Math.min(max, Math.max(min, v));
      }
    }
    out.push(pt);
  }
  return out;
}

interface Fold {
  label?: string;
  split?: string;
  train?: string;
  test?: string;
}

function foldList(folds: FoldsSpec | undefined, where: string): Fold[] {
  if (folds === undefined) return [{}];
  if (isObj(folds) && 'k' in folds) {
    const k = folds.k;
    if (!Number.isInteger(k) || k < 2 || k > 100) throw new SpecError(`${where}: folds.k must be an integer in 2…100`);
    const seed = folds.seed ?? 1234;
    if (!Number.isInteger(seed)) throw new SpecError(`${where}: folds.seed must be an integer`);
    return Array.from({ length: k }, (_, i) => ({ label: `${i + 1}/${k}`, split: `kfold:${k}:${i}:${seed}` }));
  }
  if (isObj(folds) && Array.isArray((folds as { files?: unknown }).files)) {
    const files = (folds as { files: { train: string; test?: string; name?: string }[] }).files;
    if (!files.length) throw new SpecError(`${where}: folds.files is empty`);
    return files.map((f, i) => {
      if (!isObj(f) || typeof f.train !== 'string') throw new SpecError(`${where}: folds.files[${i}] needs "train" (and "test")`);
      return { label: f.name ?? path.basename(f.train).replace(/\.[^.]*$/, ''), split: 'given', train: f.train, test: f.test };
    });
  }
  throw new SpecError(`${where}: "folds" must be {"k": n, "seed": s} or {"files": [{"train": …, "test": …}, …]}`);
}

const SWEEP_KEYS = new Set(['$schema', 'name', 'dataset', 'test', 'split', 'task', 'minInteractions', 'valFraction', 'backend', 'runs', 'seeds', 'folds', 'select']);
const ENTRY_KEYS = new Set(['name', 'model', 'preset', 'overrides', 'task', 'select', 'ks', 'dataset', 'test', 'split', 'minInteractions', 'seeds', 'folds', 'grid', 'random', 'valFraction', 'backend']);

/** Reads and expands an experiment / sweep file. Relative dataset paths resolve against the file's folder. */
export function expandSweepFile(file: string, defaults: SpecDefaults): ExpandedSweep {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    throw new SpecError(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `not valid JSON (${(e as Error).message})`}`);
  }
  return expandSweep(doc, path.resolve(file), defaults);
}

export function expandSweep(raw: unknown, file: string, defaults: SpecDefaults): ExpandedSweep {
  if (!isObj(raw)) throw new SpecError(`${file}: not a JSON object`);
  const doc = raw as SweepDoc;
  for (const k of Object.keys(doc)) if (!SWEEP_KEYS.has(k)) throw new SpecError(`${file}: unknown key "${k}"${suggest(k, [...SWEEP_KEYS])}`);
  const entries: RunEntry[] = Array.isArray(doc.runs) ? doc.runs : [];
  if (!entries.length) throw new SpecError(`${file}: needs a non-empty "runs" array`);
  const selectMetric = parseSweepSelect(doc.select, file);
  const name = typeof doc.name === 'string' && doc.name.trim() ? doc.name.trim() : path.basename(file).replace(/\.krl\.json$|\.json$/, '');
  const id = sweepSlug(name);
  const base = path.dirname(file);
  const runs: SweepRun[] = [];
  const params: string[] = [];
  const seen = new Map<string, string>();
  entries.forEach((entry, e) => {
    const where = `${file}: runs[${e}]`;
    if (!isObj(entry)) throw new SpecError(`${where}: not an object`);
    const r0 = entry as RunEntry;
    for (const k of Object.keys(r0)) if (!ENTRY_KEYS.has(k)) throw new SpecError(`${where}: unknown key "${k}"${suggest(k, [...ENTRY_KEYS])}`);
    // top-level seeds and folds are defaults for every entry
    const r: RunEntry = { ...r0, seeds: r0.seeds ?? doc.seeds, folds: r0.folds ?? doc.folds };
    if (!r.model) throw new SpecError(`${where}: "model" is required`);
    let model: ModelInfo;
    try {
      model = getModel(r.model);
    } catch (e) {
      throw new SpecError(`${where}: ${(e as Error).message}`);
    }
    const dataset = r.dataset ?? doc.dataset;
    if (!dataset && !(isObj(r.folds) && 'files' in r.folds)) throw new SpecError(`${where}: no "dataset" (set it on the run or at the top level)`);
    if (r.seeds !== undefined && (!Array.isArray(r.seeds) || r.seeds.length === 0 || !r.seeds.every((s) => Number.isInteger(s)))) throw new SpecError(`${where}: "seeds" must be a non-empty array of integers`);
    if (r.seeds && new Set(r.seeds).size !== r.seeds.length) throw new SpecError(`${where}: "seeds" lists a seed twice`);
    const grid = gridPoints(model, r.grid, where);
    const random = randomPoints(model, r.random, where);
    const swept = [...Object.keys(r.grid ?? {}), ...Object.keys(r.random?.space ?? {})];
    for (const k of swept) {
      if (r.overrides && k in r.overrides) throw new SpecError(`${where}: "${k}" is both swept and fixed in "overrides"; keep one`);
      if (!params.includes(k)) params.push(k);
    }
    const dup = Object.keys(r.grid ?? {}).find((k) => r.random && k in r.random.space);
    if (dup) throw new SpecError(`${where}: "${dup}" is in both "grid" and "random.space"`);
    const points = random ? grid.flatMap((g) => random.map((x) => ({ ...g, ...x }))) : grid;
    const folds = foldList(r.folds, where);
    if (r.folds !== undefined && (r.split ?? doc.split) !== undefined) throw new SpecError(`${where}: "folds" sets each run's split; remove "split"`);
    for (const point of points) {
      for (const fold of folds) {
        for (const seed of r.seeds ?? [undefined]) {
          const spec = buildRunSpec({
            where, baseDir: base,
            model: r.model, preset: r.preset, overrides: { ...(r.overrides ?? {}), ...point }, task: r.task ?? doc.task, select: r.select ?? selectMetric, ks: r.ks,
            train: fold.train ?? (dataset as string), test: fold.train ? fold.test : r.test ?? doc.test, split: fold.split ?? r.split ?? doc.split,
            minInteractions: r.minInteractions ?? doc.minInteractions, valFraction: r.valFraction ?? doc.valFraction, seed, backend: r.backend ?? doc.backend,
          }, defaults);
          if (selectMetric) {
            try {
              resolveTask(model, { task: spec.task, select: selectMetric, ks: spec.ks });
            } catch (e) {
              throw new SpecError(`${where}: select: ${(e as Error).message}`);
            }
          }
          const key = runKey(spec);
          if (seen.has(key)) throw new SpecError(`${where}: expands to a run identical to ${seen.get(key)} (same model, parameters, data, split and seed)`);
          seen.set(key, `${where} point ${JSON.stringify(point)}`);
          runs.push({
            spec, datasetName: datasetName(spec.dataset.train, spec.dataset.test),
            tag: { id, name, file, index: runs.length, total: 0, key, group: groupKey(spec), entry: e, point, seed: spec.seed, ...(fold.label ? { fold: fold.label } : {}) },
          });
        }
      }
    }
  });
  // one table, one selection metric: the runs of a sweep (grid, random, folds or select) are judged on one task; a
  // plain list of runs may mix tasks (its table then scores the first task's runs only)
  const swept = doc.select !== undefined || doc.folds !== undefined || entries.some((e) => isObj(e) && (e.grid !== undefined || e.random !== undefined || e.folds !== undefined));
  const tasks = new Set(runs.map((r) => resolveTask(getModel(r.spec.model), r.spec).task.id));
  if (swept && tasks.size > 1) throw new SpecError(`${file}: its runs are judged on different tasks (${[...tasks].join(', ')}); a sweep compares runs of one task — split it into one file per task`);
  for (const r of runs) r.tag.total = runs.length;
  return { id, name, file, selectMetric, params, runs };
}

// ---------------------------------------------------------------------------------------------------------------
// state of a sweep in a runs folder, and the table

export type PointState = RunStatus | 'pending' | SchedulerState;

export interface SweepRow {
  index: number;
  tag: SweepTag;
  spec: RunSpec;
  state: PointState;
  runId?: string;
  summary?: RunSummary;
  /** The validation value of the selection metric at the run's val-selected epoch. */
  valScore?: number;
  error?: string;
}

export interface SweepGroup {
  group: string;
  entry: number;
  model: string;
  point: Hyper;
  n: number;
  done: number;
  /** Mean ± std (sample, n − 1) over the group's completed runs of the validation score … */
  val?: { mean: number; std: number };
  /** … and of every task metric on the test part at (a), (b), (c). */
  test: Record<string, Record<string, { mean: number; std: number }>>;
  chosen: boolean;
}

export interface SweepTable {
  id: string;
  name: string;
  file?: string;
  params: string[];
  metric: MetricDef;
  task: TaskDef;
  rows: SweepRow[];
  groups: SweepGroup[];
  /** The validation-chosen group, among groups whose runs all completed. */
  chosen?: string;
  counts: Record<string, number>;
}

/** The runs of a sweep in a runs folder, by key: the latest folder of each key. */
export function sweepRunsByKey(store: RunStore, id: string): Map<string, LoadedRun> {
  const out = new Map<string, LoadedRun>();
  for (const r of store.list()) {
    const tag = (r.record as { sweep?: SweepTag }).sweep;
    if (!tag || tag.id !== id) continue;
    const prev = out.get(tag.key);
    if (!prev || prev.record.createdAt < r.record.createdAt) out.set(tag.key, r);
  }
  return out;
}

/**
 * The runs of an expansion still to do: not completed, and not running right now — a run folder that says running
 * counts as running unless the scheduler says its task has left the queue (killed at a time limit, a failed node).
 */
export function pendingRuns(sweep: ExpandedSweep, store: RunStore, scheduler?: Map<string, SchedulerState>): SweepRun[] {
  const have = sweepRunsByKey(store, sweep.id);
  return sweep.runs.filter((r) => {
    const st = have.get(r.tag.key)?.record.status;
    const sched = scheduler?.get(r.tag.key);
    if (sched === 'slurm-pending' || sched === 'slurm-running') return false;
    return st !== 'completed' && ((st !== 'running' && st !== 'queued') || sched === 'slurm-lost');
  });
}

export function meanStd(xs: number[]): { mean: number; std: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std };
}

/**
 * The experiments table of a sweep: one row per expanded run (its state from the runs folder, or from the scheduler
 * where one is given), groups with mean ± std, and the validation-chosen group. Stored runs of the sweep whose keys
 * the file no longer expands to are left out (the file is the truth of what the sweep is).
 */
export function sweepTable(sweep: Pick<ExpandedSweep, 'id' | 'name' | 'file' | 'params' | 'runs' | 'selectMetric'>, store: RunStore, scheduler?: Map<string, SchedulerState>, have = sweepRunsByKey(store, sweep.id)): SweepTable {
  const first = sweep.runs[0];
  const judged = resolveTask(getModel(first.spec.model), { task: first.spec.task, select: sweep.selectMetric ?? first.spec.select, ks: first.spec.ks });
  const metric = judged.select;
  const rows: SweepRow[] = sweep.runs.map((r, index) => {
    const run = have.get(r.tag.key);
    let state: PointState = run ? run.record.status : 'pending';
    let error = run?.record.error ?? run?.summary?.error;
    const sched = scheduler?.get(r.tag.key);
    const settled = state === 'completed' || state === 'failed' || state === 'cancelled' || state === 'interrupted';
    if (sched && !settled) {
      if (sched !== 'slurm-lost') state = sched === 'slurm-running' && run ? run.record.status : sched;
      else if (!run) {
        // the array task left the queue without a run folder: it failed before training (a missing node binary, …)
        state = 'slurm-lost';
        error = `the Slurm array task ended without starting the run: see its log ${taskLogOf(store.root, sweep.id, r.tag.key) ?? ''}`.trim();
      } else if (state === 'running' || state === 'queued') {
        // its process was killed from outside (time limit, node failure) and could not write its end
        state = 'interrupted';
        error = `the Slurm array task ended while the run was ${run.record.status} (time limit? node failure?): see ${taskLogOf(store.root, sweep.id, r.tag.key) ?? 'its log'}`;
      }
    }
    const summary = run?.summary;
    const v = summary?.selection.valSelected?.val[metric.key];
    return { index, tag: run ? { ...r.tag, scheduler: (run.record as { sweep?: SweepTag }).sweep?.scheduler } : r.tag, spec: r.spec, state, runId: run?.record.id, summary, valScore: state === 'completed' && v !== undefined && Number.isFinite(v) ? v : undefined, error };
  });
  const byGroup = new Map<string, SweepRow[]>();
  for (const row of rows) byGroup.set(row.tag.group, [...(byGroup.get(row.tag.group) ?? []), row]);
  const sign = metric.direction === 'lower' ? 1 : -1;
  const groups: SweepGroup[] = [...byGroup.entries()].map(([group, rs]) => {
    const done = rs.filter((x) => x.state === 'completed' && x.summary);
    const vals = done.map((x) => x.valScore).filter((x): x is number => x !== undefined);
    const test: SweepGroup['test'] = {};
    for (const m of judged.task.metrics) {
      test[m.key] = {};
      for (const w of SELECTIONS) {
        const xs = done.map((x) => x.summary?.selection[w.key]?.test[m.key]).filter((x): x is number => x !== undefined && Number.isFinite(x));
        if (xs.length) test[m.key][w.key] = meanStd(xs);
      }
    }
    return { group, entry: rs[0].tag.entry, model: rs[0].spec.model, point: rs[0].tag.point, n: rs.length, done: done.length, val: vals.length ? meanStd(vals) : undefined, test, chosen: false };
  });
  const complete = groups.filter((g) => g.done === g.n && g.val);
  const best = complete.reduce<SweepGroup | undefined>((b, g) => (!b || sign * (g.val as { mean: number }).mean < sign * (b.val as { mean: number }).mean ? g : b), undefined);
  if (best) best.chosen = true;
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.state] = (counts[r.state] ?? 0) + 1;
  return { id: sweep.id, name: sweep.name, file: sweep.file, params: sweep.params, metric, task: judged.task, rows, groups, chosen: best?.group, counts };
}

/** A sweep re-expanded from the tags of its stored runs (when its file is not at hand): what the runs folder knows. */
export function sweepFromStore(store: RunStore, id: string, have = sweepRunsByKey(store, id)): ExpandedSweep | undefined {
  const runs = [...have.values()].sort((a, b) => ((a.record as { sweep?: SweepTag }).sweep as SweepTag).index - ((b.record as { sweep?: SweepTag }).sweep as SweepTag).index);
  if (!runs.length) return undefined;
  const tags = runs.map((r) => (r.record as { sweep?: SweepTag }).sweep as SweepTag);
  const params = [...new Set(tags.flatMap((t) => Object.keys(t.point)))];
  return { id, name: tags[0].name, file: tags[0].file ?? '', params, runs: runs.map((r, i) => ({ spec: r.record.spec, tag: tags[i], datasetName: r.record.datasetName })) };
}

/** Every sweep id in a runs folder, newest first, with its name and run count. */
export function listSweeps(store: RunStore): { id: string; name: string; runs: number; latest: string }[] {
  const m = new Map<string, { id: string; name: string; runs: number; latest: string }>();
  for (const r of store.list()) {
    const tag = (r.record as { sweep?: SweepTag }).sweep;
    if (!tag) continue;
    const e = m.get(tag.id) ?? { id: tag.id, name: tag.name, runs: 0, latest: '' };
    e.runs++;
    if (r.record.createdAt > e.latest) e.latest = r.record.createdAt;
    m.set(tag.id, e);
  }
  return [...m.values()].sort((a, b) => (a.latest < b.latest ? 1 : -1));
}

const fmtPoint = (v: HyperValue | undefined) => (v === undefined ? '' : String(v));

/** The experiments table as CSV: a row per run, a column per swept parameter and per test metric at (a)/(b)/(c). */
export function sweepCsv(t: SweepTable): string {
  const metrics = t.task.metrics.map((m) => m.key);
  const head = ['index', 'run', 'state', 'model', ...t.params, 'seed', 'fold', `val ${t.metric.key} (a)`, ...metrics.flatMap((m) => SELECTIONS.map((w) => `test ${m} ${w.short}`)), 'seconds', 'chosen group'];
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const num = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? String(x) : '');
  const lines = [head.map(q).join(',')];
  for (const r of t.rows) {
    lines.push([String(r.index), r.runId ?? '', r.state, r.spec.model, ...t.params.map((p) => fmtPoint(r.tag.point[p])), String(r.tag.seed), r.tag.fold ?? '', num(r.valScore),
      ...metrics.flatMap((m) => SELECTIONS.map((w) => num(r.summary?.selection[w.key]?.test[m]))), num(r.summary?.seconds), r.tag.group === t.chosen ? 'yes' : ''].map(q).join(','));
  }
  return lines.join('\n') + '\n';
}

/** The experiments table as the panel's view (plain data). */
export function sweepView(t: SweepTable, slurm: boolean): SweepView {
  return {
    id: t.id, name: t.name, file: t.file, params: t.params, metric: t.metric, metrics: t.task.metrics, chosen: t.chosen, counts: t.counts, slurm,
    rows: t.rows.map((r) => ({
      index: r.index, runId: r.runId, state: r.state, model: r.spec.model, point: r.tag.point, seed: r.tag.seed, fold: r.tag.fold, group: r.tag.group, val: r.valScore,
      test: Object.fromEntries(SELECTIONS.filter((w) => r.summary?.selection[w.key]).map((w) => [w.key, r.summary?.selection[w.key]?.test ?? {}])), seconds: r.summary?.seconds, error: r.error,
    })),
    groups: t.groups.map((g) => ({ group: g.group, model: g.model, point: g.point, n: g.n, done: g.done, val: g.val, test: g.test, chosen: g.chosen })),
  };
}
