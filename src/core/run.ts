import * as fs from 'fs';
import * as path from 'path';
import type { ArtifactFrame, BackendInfo, EpochMetrics, LogLine, LossPoint, MetricDef, RunSpec, RunSummary, TaskDef } from '../protocol/types';
import { loadDataset, prepareSplit, LoadedDataset, PreparedSplit } from './data/dataset';
import { parseSplit } from './data/splits';
import { computeStats, DatasetStats } from './data/ratingMatrix';
import { DatasetError } from './data/errors';
import { Prng } from './data/prng';
import { getModel, paperFor, recogniseDataset } from './models/catalogue';
import { trainerFor } from './models/implementations';
import { defaultMemoryLimit, estimateMemory, formatBytes } from './models/memory';
import { CancelledError, resolveHyper, TrainContext } from './models/model';
import { makeEvaluator } from './tasks/evaluators';
import { emptySummary, ProtocolSelection } from './tasks/selection';
import { resolveTask } from './tasks/resolve';
import { formatValue, selected } from './tasks/format';
import { yieldToEventLoop } from './async';

/** Receives everything a run produces, as it happens. The trainer forwards these over IPC; the CLI prints them. */
export interface RunSink {
  log(line: LogLine): void;
  backend(info: BackendInfo): void;
  dataset(info: { name: string; format: string; stats: DatasetStats; fit: number; val: number; test: number; warnings: string[]; files: LoadedDataset['files'] }): void;
  epoch(m: EpochMetrics): void;
  loss(p: LossPoint): void;
  artifact(f: ArtifactFrame): void;
  progress(p: { fraction: number; message: string }): void;
}

export interface BackendSetup {
  tf?: typeof import('@tensorflow/tfjs');
  info: BackendInfo;
}

export interface RunOptions {
  runId: string;
  /** Sets up the compute backend for tfjs models (see src/trainer/backend.ts). */
  setupBackend: (spec: RunSpec, log: (m: string) => void) => Promise<BackendSetup>;
  /** Polled at every iteration; true stops the run as `cancelled`. */
  isCancelled: () => boolean;
  /** The run's artifacts folder (full-resolution tensors are written there directly, not sent over IPC). */
  artifactsDir?: string;
  /** Memory limit in bytes (default: 3/4 of the machine's memory); a dataset the model would need more for is refused. */
  maxMemoryBytes?: number;
}

export interface RunResult {
  summary: RunSummary;
  /** 'input' = bad dataset/spec (CLI exit 2); 'runtime' = a failure while training. */
  errorKind?: 'input' | 'runtime';
  stack?: string;
}

const nowIso = () => new Date().toISOString();

/**
 * Runs one experiment end to end: load → filter → split → validation carve-out → train → evaluate every epoch
 * with the task's evaluator. Never throws for a failed run: the result's summary says `failed` or `cancelled` and
 * keeps the metrics so far. Selection protocol (MODELS.md), by the task's selection metric: (a) test at the
 * best-validation epoch, (b) last epoch, (c) best test epoch.
 */
export async function executeRun(spec: RunSpec, sink: RunSink, opts: RunOptions): Promise<RunResult> {
  const t0 = Date.now();
  const log = (message: string, level: LogLine['level'] = 'info') => sink.log({ level, message, time: nowIso() });
  const summary: RunSummary = emptySummary(opts.runId, spec, 'running');
  const finish = (status: RunSummary['status'], err?: unknown): RunResult => {
    summary.status = status;
    summary.seconds = (Date.now() - t0) / 1000;
    if (err === undefined) return { summary };
    const e = err as Error;
    summary.error = e?.message ?? String(err);
    const input = err instanceof DatasetError || (err as { input?: boolean })?.input === true;
    log(`${status === 'cancelled' ? 'cancelled' : 'failed'}: ${summary.error}`, status === 'cancelled' ? 'warn' : 'error');
    if (!input && e?.stack && status === 'failed') log(e.stack, 'debug');
    return { summary, errorKind: status === 'failed' ? (input ? 'input' : 'runtime') : undefined, stack: e?.stack };
  };

  let data: PreparedSplit;
  let ds: LoadedDataset;
  let hp;
  let model;
  let task: TaskDef;
  const limit = opts.maxMemoryBytes && opts.maxMemoryBytes > 0 ? opts.maxMemoryBytes : defaultMemoryLimit();
  let selectDef: MetricDef;
  try {
    model = getModel(spec.model);
    ({ task, select: selectDef } = resolveTask(model, spec));
    summary.task = task.id;
    summary.selectBy = selectDef.key;
    hp = resolveHyper(model, spec.preset, spec.overrides);
    const split = parseSplit(spec.split);
    log(`model ${model.id}${spec.preset ? ` (preset ${spec.preset})` : ''}: ${JSON.stringify(hp)}`);
    log(`task ${task.id}: ${task.metrics.map((m) => m.label).join(', ')}; (a)/(c) selected by ${selectDef.label} (${selectDef.direction} is better)`);
    sink.progress({ fraction: 0, message: 'loading dataset' });
    ds = await loadDataset({ train: spec.dataset.train, test: spec.dataset.test, format: spec.dataset.format, scale: spec.dataset.scale, maxBytes: limit });
    for (const w of ds.warnings) log(w, 'warn');
    data = prepareSplit(ds, split, spec.valFraction, spec.seed + 1, spec.minInteractions);
    for (const w of data.notes) log(w);
    const where = spec.dataset.test ? `${spec.dataset.train} (+ ${spec.dataset.test})` : spec.dataset.train;
    if (data.test.length === 0) throw Object.assign(new Error(`${where}: the split "${spec.split}" leaves no test ratings (the dataset has ${data.train.length} ratings)`), { input: true });
    if (data.fit.length === 0) throw Object.assign(new Error(`${where}: the split "${spec.split}" leaves no ratings to train on`), { input: true });
    // the model's memory for this shape, before anything dense is allocated
    const need = estimateMemory(model, hp, { users: data.train.nUsers, items: data.train.nItems, ratings: data.train.length + data.test.length });
    log(`memory: about ${formatBytes(need.bytes)} needed (${need.what}); limit ${formatBytes(limit)}`, 'debug');
    if (need.bytes > limit) {
      throw Object.assign(new Error(`${where}: ${model.id} needs about ${formatBytes(need.bytes)} for this dataset (${need.what}), above the memory limit of ${formatBytes(limit)} — raise kernelRecLab.maxMemoryGiB / --max-memory if the machine has it, keep fewer users and items (--min-interactions), or choose a model without dense matrices (biased-mf)`), { input: true });
    }
  } catch (e) {
    const err = e instanceof DatasetError ? e : Object.assign(e instanceof Error ? e : new Error(String(e)), { input: true });
    return finish('failed', err);
  }
  summary.dataset = ds.name;
  summary.trainRatings = data.fit.length;
  summary.valRatings = data.val.length;
  summary.testRatings = data.test.length;
  sink.dataset({ name: ds.name, format: ds.format, stats: computeStats(data.train), fit: data.fit.length, val: data.val.length, test: data.test.length, warnings: ds.warnings, files: ds.files });
  log(`dataset ${ds.name} (${ds.format}): ${data.train.nUsers} users × ${data.train.nItems} items; fit ${data.fit.length}, validation ${data.val.length}, test ${data.test.length} ratings; scale ${ds.scale.min}–${ds.scale.max}`);
  const datasetKey = recogniseDataset(data.train.nUsers, data.train.nItems, ds.name);
  const paper = paperFor(model, spec, datasetKey);
  if (paper && paper.metrics[selectDef.key] !== undefined) summary.paper = paper;

  let setup: BackendSetup;
  try {
    if (model.usesTf) {
      setup = await opts.setupBackend(spec, (m) => log(m));
    } else {
      setup = { info: { name: 'cpu', device: 'plain TypeScript (no tensors)', blas: false, gpu: false, versions: { node: process.versions.node }, skipped: [] } };
    }
  } catch (e) {
    return finish('failed', e);
  }
  summary.backend = setup.info.name;
  sink.backend(setup.info);
  for (const s of setup.info.skipped) log(`backend skipped: ${s}`);
  log(`backend ${setup.info.name}: ${setup.info.device}${setup.info.blas ? ' (BLAS)' : ''}`);
  if (model.usesTf && setup.info.name === 'cpu' && !setup.info.blas) {
    log(`no BLAS library: matrix products run on tfjs's JavaScript kernels, about 25× slower (results agree up to float rounding). Install OpenBLAS — Debian/Ubuntu: sudo apt-get install -y libopenblas0-pthread — or set kernelRecLab.blasLibrary / --blas`, 'warn');
  }

  let totalEpochs = 1;
  let globalEpoch = 0;
  const selection = new ProtocolSelection(selectDef);
  let tEpoch = Date.now();
  // the dataset's graphs index users and items as the ratings do, unless the minimum-interactions filter re-indexed them
  const reindexed = !!spec.minInteractions && (spec.minInteractions.users > 1 || spec.minInteractions.items > 1);
  if (reindexed && (ds.userGraph || ds.itemGraph)) log('the dataset\'s graphs are not used: the minimum-interactions filter re-indexed users and items', 'warn');
  const graphs = reindexed ? undefined : { users: ds.userGraph, items: ds.itemGraph };
  const trainData = { fit: data.fit, val: data.val, test: data.test, nUsers: data.train.nUsers, nItems: data.train.nItems, scale: ds.scale, graphs };
  const evaluate = makeEvaluator(task, trainData);

  const ctx: TrainContext = {
    data: trainData,
    hp,
    rng: new Prng(spec.seed),
    tf: setup.tf,
    threads: spec.threads,
    cacheDir: opts.artifactsDir ? path.resolve(opts.artifactsDir, '..', '..', '.cache') : undefined,
    setTotalEpochs: (n) => (totalEpochs = Math.max(1, n)),
    checkCancelled: () => {
      if (opts.isCancelled()) throw new CancelledError();
    },
    log: (m, level) => log(m, level ?? 'info'),
    lossPoint: (phase, step, loss) => sink.loss({ phase, step, loss }),
    saveArtifacts: opts.artifactsDir
      ? (files) => {
          const dir = opts.artifactsDir as string;
          fs.mkdirSync(dir, { recursive: true });
          for (const f of files) fs.writeFileSync(path.join(dir, f.name.replace(/[^A-Za-z0-9._-]/g, '_')), f.data);
          log(`saved ${files.map((f) => f.name).join(', ')} to ${dir}`);
        }
      : undefined,
    epochEnd: async (r) => {
      globalEpoch++;
      if (r.trainLoss !== undefined && !Number.isFinite(r.trainLoss)) {
        throw new Error(`training loss became ${r.trainLoss} in ${r.phase} epoch ${r.epoch} (diverged: lower the learning rate or raise regularisation)`);
      }
      const { train, val, test } = await evaluate({ predict: r.predict, scoreUsers: r.scoreUsers });
      if (data.test.length > 0 && !Number.isFinite(test[selectDef.key] ?? NaN)) throw new Error(`predictions became NaN in ${r.phase} epoch ${r.epoch} (${selectDef.label} on the test part is ${test[selectDef.key]})`);
      const seconds = (Date.now() - tEpoch) / 1000;
      tEpoch = Date.now();
      const m: EpochMetrics = {
        phase: r.phase, epoch: r.epoch, epochs: r.epochs, globalEpoch,
        trainLoss: r.trainLoss ?? NaN, train, val, test,
        seconds, iterations: r.iterations, evaluations: r.evaluations,
      };
      selection.update(m);
      summary.selection = { ...selection.result };
      sink.epoch(m);
      sink.progress({ fraction: Math.min(1, globalEpoch / totalEpochs), message: `${r.phase} ${model.epochAxis ?? 'epoch'} ${r.epoch}/${r.epochs}` });
      if (r.artifacts) {
        for (const f of await r.artifacts({ globalEpoch, metrics: { train, val, test } })) sink.artifact({ ...f, phase: r.phase, epoch: r.epoch, globalEpoch });
      }
      await yieldToEventLoop();
      ctx.checkCancelled();
      return { train, val, test };
    },
  };

  try {
    ctx.checkCancelled();
    await trainerFor(model.id)(ctx);
  } catch (e) {
    if (e instanceof CancelledError) return finish('cancelled', e);
    return finish('failed', e);
  }
  const f = (w: 'valSelected' | 'last' | 'testSelected') => formatValue(selectDef, selected(summary, w));
  log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s: test ${selectDef.label} ${f('valSelected')} (validation-selected), ${f('last')} (last), ${f('testSelected')} (test-selected, paper protocol)`);
  return finish('completed');
}
