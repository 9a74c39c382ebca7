/**
 * Parallel LLORMA (Lee, Kim, Lebanon, Singer, ICML 2013, Algorithm 1) as the authors' PREA toolkit runs it
 * (MODELS.md "LLORMA"):
 *  1. a rank-10 regularised SVD (PREA's settings) whose user and item rows give the distances;
 *  2. q anchor points (a user drawn uniformly, then one of their training items), each with kernel rows
 *     K_u(a, ·) over users and K_i(b, ·) over items (users/items without training ratings get weight 0);
 *  3. q local models of rank r, each fitted by SGD over all training ratings in PREA's order with updates weighted by
 *     K_u·K_i (./sgdFactors.ts), independently, on worker threads (./factorJobs.ts), each from its own seeded stream;
 *  4. prediction: the kernel-weighted average of the local predictions (./llormaEnsemble.ts).
 * The "epoch" axis is the ensemble size: after local model t, the ensemble of the first t models is evaluated, so
 * (a) is the size chosen on validation, (b) all q models, (c) the best size on test (PREA's reported number).
 * Optionally (globalBaseline) a global regularised SVD of rank r is fitted alongside: the paper's "Global" column.
 */
import * as os from 'os';
import type { ArtifactFrame } from '../../../protocol/types';
import { heatmapTensor } from '../../artifacts';
import { Prng } from '../../data/prng';
import { clip, rmse } from '../../tasks/metricFunctions';
import { CancelledError, num, type TrainContext, type TrainFn } from '../model';
import { FactorJobPool, type FactorJob, type FactorJobResult } from './factorJobs';
import { CoverageGrid, LlormaEnsemble } from './llormaEnsemble';
import { drawAnchors, kernelRow, type LlormaKernel } from './llormaKernels';
import { factorPredictor, toCsr, uniformFactors } from './sgdFactors';

/** The heatmap's largest side (cells) for the anchors' coverage. */
const COVERAGE_SIDE = 96;
/** PREA's stopping tolerance for the distance SVD and the global baseline (|ΔMAE|). */
const SVD_TOLERANCE = 1e-4;

export const train: TrainFn = async (ctx) => {
  const { hp } = ctx;
  const { fit, val, test, nUsers, nItems, scale } = ctx.data;
  const r = num(hp, 'rank');
  const q = num(hp, 'anchors');
  const kind = hp.kernel as LlormaKernel;
  const hU = num(hp, 'userBandwidth');
  const hI = num(hp, 'itemBandwidth');
  const dk = num(hp, 'distanceRank');
  ctx.setTotalEpochs(q);
  const threads = Math.max(1, Math.min(ctx.threads && ctx.threads > 0 ? ctx.threads : os.cpus().length, q + 1));
  const pool = new FactorJobPool(toCsr(fit, nUsers, nItems), threads, { maxRank: Math.max(r, dk) });
  const csr = pool.csr;
  const next = () => ctx.rng.next();
  try {
    ctx.log(`LLORMA: ${q} local models of rank ${r} on ${threads} worker thread${threads === 1 ? '' : 's'} (${pool.engine === 'wasm' ? 'WebAssembly' : 'TypeScript'} SGD pass); kernel ${kind}, h = ${hU} (users), ${hI} (items)`);
    // 1. the distance SVD (from the run's stream), and the global baseline (from its own)
    const svdJob = (k: number, nextFn: () => number): FactorJob => ({
      U: uniformFactors(nextFn, nUsers, k, k), V: uniformFactors(nextFn, nItems, k, k), k,
      lr: num(hp, 'distanceLr'), reg: num(hp, 'distanceReg'), wu: null, wi: null,
      maxRounds: num(hp, 'distanceEpochs'), tol: SVD_TOLERANCE, stopOn: 'mae',
    });
    const distancePromise = pool.run(svdJob(dk, next));
    const globalSeed = ctx.rng.nextUint32();
    let global: { val: number; test: number; emitted: boolean } | undefined;
    const globalPromise = hp.globalBaseline
      ? pool.run(svdJob(r, streamOf(globalSeed))).then((g) => {
          if (!g) return;
          const predict = factorPredictor(g.U, g.V, r);
          const on = (m: typeof test) => (m.length ? rmse(clip(predict(m.users, m.items), scale.min, scale.max), m.values) : NaN);
          global = { val: on(val), test: on(test), emitted: false };
          ctx.log(`global regularised SVD of rank ${r} (the paper's “Global” column): ${g.rounds} passes, test RMSE ${global.test.toFixed(4)}, validation RMSE ${global.val.toFixed(4)}`);
        })
      : Promise.resolve();
    globalPromise.catch(() => undefined);
    const dist = await settle(ctx, pool, distancePromise);
    ctx.log(`distance SVD of rank ${dk}: ${dist.rounds} passes, training MAE ${dist.loss.toFixed(4)}${dist.settled ? '' : ' (did not settle)'}`);

    // 2. anchors and their kernel rows; users and items without training ratings get weight 0
    const activeU = new Uint8Array(nUsers);
    const activeI = new Uint8Array(nItems);
    for (let t = 0; t < fit.length; t++) {
      activeU[fit.users[t]] = 1;
      activeI[fit.items[t]] = 1;
    }
    const anchors = drawAnchors(ctx.rng, fit, q);
    const seeds = anchors.map(() => ctx.rng.nextUint32());
    const kernelsOf = (t: number) => {
      const ku = kernelRow(dist.U, nUsers, dk, anchors[t].user, hU, kind);
      const ki = kernelRow(dist.V, nItems, dk, anchors[t].item, hI, kind);
      for (let u = 0; u < nUsers; u++) if (!activeU[u]) ku[u] = 0;
      for (let i = 0; i < nItems; i++) if (!activeI[i]) ki[i] = 0;
      return { ku, ki };
    };

    // 3. local models: at most threads + 1 submitted ahead of the one the ensemble waits for (bounded memory)
    const jobs: { promise: Promise<FactorJobResult | null>; ku: Float64Array; ki: Float64Array }[] = [];
    let consumed = 0;
    const submit = () => {
      while (jobs.length < q && jobs.length - consumed <= threads) {
        const t = jobs.length;
        const { ku, ki } = kernelsOf(t);
        const stream = streamOf(seeds[t]);
        const promise = pool.run({
          U: uniformFactors(stream, nUsers, r, 1), V: uniformFactors(stream, nItems, r, 1), k: r,
          lr: num(hp, 'lr'), reg: num(hp, 'reg'), wu: ku, wi: ki,
          maxRounds: num(hp, 'rounds'), tol: num(hp, 'tolerance'), stopOn: 'mse',
        });
        promise.then(submit, () => undefined);
        jobs.push({ promise, ku, ki });
      }
    };
    submit();

    // 4. the ensemble of the first t models, t = 1…q
    const ensemble = new LlormaEnsemble((scale.min + scale.max) / 2);
    const grid = new CoverageGrid(nUsers, nItems, COVERAGE_SIDE);
    const userId = (u: number) => fit.userIds.ids[u];
    const itemId = (i: number) => fit.itemIds.ids[i];
    for (let t = 1; t <= q; t++) {
      const job = jobs[t - 1];
      const res = await settle(ctx, pool, job.promise);
      consumed = t;
      submit();
      const a = anchors[t - 1];
      let weighted = 0;
      for (let u = 0; u < nUsers; u++) {
        if (job.ku[u] === 0) continue;
        for (let x = csr.rowPtr[u]; x < csr.rowPtr[u + 1]; x++) if (job.ki[csr.cols[x]] !== 0) weighted++;
      }
      ensemble.add({ anchor: a, ku: job.ku, ki: job.ki, U: Float32Array.from(res.U), V: Float32Array.from(res.V), k: r });
      const local = grid.add(job.ku, job.ki);
      const share = weighted / Math.max(1, fit.length);
      ctx.log(`local model ${t}/${q}: anchor (user ${userId(a.user)}, item ${itemId(a.item)}), ${res.rounds} passes${res.settled ? '' : ' (the limit)'}, training MSE ${res.loss.toFixed(4)}, ${res.seconds.toFixed(1)} s, ${weighted.toLocaleString('en')} ratings with weight > 0 (${(100 * share).toFixed(1)}%)`);
      if (t === q) await settle(ctx, pool, globalPromise.then(() => true));
      const row: (string | number)[] = [t, userId(a.user), itemId(a.item), r, res.rounds, round(res.loss, 4), round(res.seconds, 2), weighted, `${(100 * share).toFixed(1)}%`];
      await ctx.epochEnd({
        phase: 'ensemble', epoch: t, epochs: q, trainLoss: res.loss, iterations: res.rounds,
        predict: ensemble.predictor(t),
        artifacts: ({ metrics }) => {
          const frames: ArtifactFrame[] = [];
          const points = [
            { series: 'LLORMA, test', x: t, y: metrics.test.rmse },
            { series: 'LLORMA, validation', x: t, y: metrics.val.rmse },
          ].filter((p) => Number.isFinite(p.y)) as { series: string; x: number; y: number }[];
          if (global && !global.emitted) {
            global.emitted = true;
            for (const [series, y] of [[`global SVD rank ${r}, test`, global.test], [`global SVD rank ${r}, validation`, global.val]] as const) {
              if (Number.isFinite(y)) points.push({ series, x: 1, y }, { series, x: q, y });
            }
          }
          frames.push({ name: 'rmse vs anchors', phase: 'ensemble', epoch: t, globalEpoch: 0, data: { view: 'line', points, xLabel: 'number of anchor points', yLabel: 'RMSE', integerX: true } });
          const full = (tensor: ReturnType<typeof heatmapTensor>) => ({ ...tensor, fullRows: nUsers, fullCols: nItems });
          frames.push({
            name: 'anchor coverage', phase: 'ensemble', epoch: t, globalEpoch: 0,
            data: {
              view: 'heatmap', rowLabel: 'users (id order)', colLabel: 'items (id order)',
              panels: [
                { group: `local model ${t}`, variant: `K_user·K_item, anchor (user ${userId(a.user)}, item ${itemId(a.item)})`, tensor: full(heatmapTensor(`local ${t}`, local, grid.rows, grid.cols)), range: [0, kind === 'prea' ? 0.5625 : 1], note: `${(100 * share).toFixed(1)}% of the training ratings have weight > 0` },
                { group: 'ensemble', variant: `Σ over the first ${t} anchor${t === 1 ? '' : 's'}`, tensor: full(heatmapTensor(`ensemble ${t}`, grid.total, grid.rows, grid.cols)) },
              ],
            },
          });
          frames.push({ name: 'local models', phase: 'ensemble', epoch: t, globalEpoch: 0, data: { view: 'table', append: true, columns: ['model', 'anchor user', 'anchor item', 'rank', 'passes', 'train MSE', 'seconds', 'ratings with weight > 0', 'share'], rows: [row] } });
          return frames;
        },
      });
    }
  } finally {
    pool.close();
  }
};

/** A seeded stream of Uniform[0, 1) numbers of its own (a local model's, the global baseline's). */
function streamOf(seed: number): () => number {
  const rng = new Prng(seed);
  return () => rng.next();
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Awaits a job, polling the run's cancel state meanwhile; throws CancelledError when the run or the job was cancelled. */
async function settle<T>(ctx: TrainContext, pool: FactorJobPool, p: Promise<T | null>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const cancelled = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      try {
        ctx.checkCancelled();
      } catch (e) {
        pool.cancel();
        reject(e);
      }
    }, 100);
  });
  try {
    const r = await Promise.race([p, cancelled]);
    if (r === null) throw new CancelledError();
    return r;
  } finally {
    clearInterval(timer);
  }
}
