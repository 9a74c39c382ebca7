/**
 * Training shared by DMF, FM and SGMC (./sgmcEnergy.ts): the dense problem from the fitted ratings, the graph
 * eigenbases (from the dataset's graphs, or a kNN graph of the training ratings when asked), full-batch gradient
 * descent with a fixed learning rate on the parameters the model trains, an evaluation every `evalEvery` iterations
 * (one "epoch" of the run), and the paper's stop: |ΔRMSE_val| < 1e-6 between evaluations, or `iterations`.
 *
 * Choices where the paper is silent (also in the README): a missing graph is the identity basis with zero
 * eigenvalues (so SGMC without graphs is DMF plus nothing); `graph=knn:<k>` builds the graph from the cosine of the
 * training rating rows (users) and columns (items), keeping each node's k most similar, symmetrised by union;
 * `center` fits the values minus their training mean (ratings), or minus the mean and ridge user/item biases (biases:
 * the rating biases are rarely smooth on the graphs, and the Dirichlet terms would penalise them).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { SparseGraph } from '../../data/matFile';
import type { RatingMatrix } from '../../data/ratingMatrix';
import { graphHash, knnFromSimilarity, laplacian, normalizedLaplacian, rowCosine, type Graph, type LaplacianKind } from '../../data/graph';
import { symmetricEigen, type EigenBasis } from '../../linalg/eigen';
import type { ArtifactFrame } from '../../../protocol/types';
import { heatmapTensor } from '../../artifacts';
import { rocPrCurves } from '../../tasks/metricFunctions';
import { num, type TrainContext } from '../model';
import { evaluate, mat, scaledIdentity, zoomLevels, type Mat, type SpectralParams, type SpectralProblem } from './sgmcEnergy';

export type SpectralVariant = 'dmf' | 'fm' | 'sgmc' | 'sgmc-z';

const eigenCache = new Map<string, EigenBasis>();

/** Forgets the eigenbases kept in this process (tests of the on-disk cache). */
export function clearEigenCache(): void {
  eigenCache.clear();
}

function denseGraph(g: SparseGraph, source: string, similarityKnn?: number): Graph {
  // a similarity-based graph (Yamanishi data) sparsified again with the run's k
  if (g.similarity && similarityKnn && similarityKnn !== g.similarity.k) return knnFromSimilarity(g.similarity.values, g.n, similarityKnn, g.similarity.source);
  const W = new Float64Array(g.n * g.n);
  for (let t = 0; t < g.rows.length; t++) W[g.rows[t] * g.n + g.cols[t]] = g.values[t];
  return { n: g.n, W, source };
}

/**
 * The eigenbasis of a graph's Laplacian, computed once per graph content: kept in this process and, when the run has
 * a cache folder, in `<runs>/.cache/eigen/<hash>.f64` (n eigenvalues, then the n×n vectors; float64).
 */
function basisOf(g: Graph, kind: LaplacianKind, log: (m: string) => void, cacheDir?: string): EigenBasis {
  const key = kind === 'combinatorial' ? graphHash(g) : `${graphHash(g)}-${kind}`;
  const hit = eigenCache.get(key);
  if (hit) return hit;
  const file = cacheDir ? path.join(cacheDir, 'eigen', `${key}.f64`) : undefined;
  if (file && fs.existsSync(file)) {
    const buf = fs.readFileSync(file);
    if (buf.byteLength === 8 * (g.n + g.n * g.n)) {
      const all = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
      const e = { n: g.n, values: all.slice(0, g.n), vectors: all.slice(g.n) };
      eigenCache.set(key, e);
      log(`eigenbasis of ${g.source} (${g.n} nodes) from the cache ${file}`);
      return e;
    }
  }
  const t0 = Date.now();
  const e = symmetricEigen(kind === 'normalized' ? normalizedLaplacian(g) : laplacian(g), g.n);
  log(`eigenbasis of the ${kind} Laplacian of ${g.source} (${g.n} nodes): ${((Date.now() - t0) / 1000).toFixed(1)} s, λ from ${e.values[0].toExponential(2)} to ${e.values[g.n - 1].toFixed(3)}`);
  eigenCache.set(key, e);
  if (file) {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const all = new Float64Array(g.n + g.n * g.n);
      all.set(e.values);
      all.set(e.vectors, g.n);
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, Buffer.from(all.buffer));
      fs.renameSync(tmp, file);
    } catch (err) {
      log(`could not cache the eigenbasis in ${file}: ${(err as Error).message}`);
    }
  }
  return e;
}

export async function trainSpectral(ctx: TrainContext, variant: SpectralVariant): Promise<void> {
  const { fit, nUsers: m, nItems: n } = ctx.data;
  const hp = ctx.hp;
  const M = new Float64Array(m * n);
  const S = new Float64Array(m * n);
  let mean = 0;
  const binary = ctx.data.scale.min === 0 && ctx.data.scale.max === 1;
  const center = hp.center === 'always' || hp.center === 'biases' || (hp.center === 'ratings' && !binary);
  if (center && fit.length) {
    for (let t = 0; t < fit.length; t++) mean += fit.values[t];
    mean /= fit.length;
    ctx.log(`fitting the ratings minus their training mean ${mean.toFixed(4)}`);
  }
  // center=biases: also a user and an item bias (ridge, fitted on the training entries before the factors)
  const biases = hp.center === 'biases' && fit.length ? fitBiases(fit, m, n, mean, num(hp, 'biasReg')) : undefined;
  if (biases) ctx.log(`and minus user and item biases (ridge ${num(hp, 'biasReg')}): training RMSE of the baseline ${biases.rmse.toFixed(4)}`);
  const base = (u: number, i: number) => mean + (biases ? biases.user[u] + biases.item[i] : 0);
  for (let t = 0; t < fit.length; t++) {
    M[fit.users[t] * n + fit.items[t]] = fit.values[t] - base(fit.users[t], fit.items[t]);
    S[fit.users[t] * n + fit.items[t]] = 1;
  }
  const pr: SpectralProblem = { M, S, m, n, muR: 0, muC: 0, rhoR: 0, rhoC: 0 };
  const f32 = hp.precision !== 'float64';
  const basisMat = (k: number, v: Float64Array) => mat(k, k, f32 ? Float32Array.from(v) : v);
  if (variant !== 'dmf') {
    const graphOpt = String(hp.graph ?? 'dataset');
    let gu: Graph | undefined;
    let gi: Graph | undefined;
    if (graphOpt === 'dataset') {
      const simK = hp.similarityKnn === undefined ? undefined : num(hp, 'similarityKnn');
      if (ctx.data.graphs?.users) gu = denseGraph(ctx.data.graphs.users, 'the dataset’s user graph', simK);
      if (ctx.data.graphs?.items) gi = denseGraph(ctx.data.graphs.items, 'the dataset’s item graph', simK);
      if (simK && (ctx.data.graphs?.users?.similarity || ctx.data.graphs?.items?.similarity)) ctx.log(`similarities → ${simK}-nearest-neighbour graphs (symmetrised by union)`);
      if (!gu && !gi) throw Object.assign(new Error(`${variant} needs graphs over users and/or items: this dataset has none (Monti .mat files bring W_users/W_movies or Wrow/Wcol). Set graph=knn:10 to build them from the training ratings, or train dmf`), { input: true });
    } else if (/^knn:\d+$/.test(graphOpt)) {
      const k = Number(graphOpt.slice(4));
      gu = knnFromSimilarity(rowCosine(m, n, fit.users, fit.items, fit.values), m, k, 'training rating rows');
      gi = knnFromSimilarity(rowCosine(n, m, fit.items, fit.users, fit.values), n, k, 'training rating columns');
    } else {
      throw Object.assign(new Error(`graph=${graphOpt}: use dataset or knn:<k>`), { input: true });
    }
    if (hp.userGraph === false) gu = undefined;
    // auto: the normalised Laplacian for graphs made from similarity matrices (drug–target data, as the GRMF / MGRNNM
    // code the paper compares with), the combinatorial one (the paper's L = D − W) for the rest
    const fromSimilarity = !!(ctx.data.graphs?.users?.similarity || ctx.data.graphs?.items?.similarity) && graphOpt === 'dataset';
    // (resolveHyper has already checked the value against the parameter's options)
    const lapOpt = String(hp.laplacian ?? 'auto');
    const kind: LaplacianKind = lapOpt === 'auto' ? (fromSimilarity ? 'normalized' : 'combinatorial') : (lapOpt as LaplacianKind);
    if (gu) {
      const e = basisOf(gu, kind, (x) => ctx.log(x), ctx.cacheDir);
      pr.Phi = basisMat(m, e.vectors);
      pr.lambdaR = e.values;
    } else ctx.log('no user graph: identity basis over users');
    if (gi) {
      const e = basisOf(gi, kind, (x) => ctx.log(x), ctx.cacheDir);
      pr.Psi = basisMat(n, e.vectors);
      pr.lambdaC = e.values;
    } else ctx.log('no item graph: identity basis over items');
    if (variant === 'sgmc-z') {
      if (!pr.Phi || !pr.Psi) throw Object.assign(new Error('sgmc-z needs both a user and an item graph (its filter bank truncates both bases)'), { input: true });
      pr.zoom = { pSkip: num(hp, 'pSkip'), qSkip: num(hp, 'qSkip') };
      ctx.log(`zoom-out filter bank: ${zoomLevels(m, n, pr.zoom.pSkip, pr.zoom.qSkip).length} levels`);
    }
    if (variant === 'sgmc' || variant === 'sgmc-z') {
      pr.muR = num(hp, 'muR');
      pr.muC = num(hp, 'muC');
      pr.rhoR = num(hp, 'rhoR');
      pr.rhoC = num(hp, 'rhoC');
    }
  }
  const alpha = num(hp, 'alpha');
  const th: SpectralParams = variant === 'fm'
    ? { C: scaledIdentity(m, n, alpha, f32) }
    : (() => {
        const p = num(hp, 'pMax') || m;
        const q = num(hp, 'qMax') || n;
        return { P: scaledIdentity(m, p, alpha, f32), C: scaledIdentity(p, q, alpha, f32), Q: scaledIdentity(n, q, alpha, f32) };
      })();
  const trains: ('P' | 'C' | 'Q')[] = variant === 'fm' ? ['C'] : variant === 'sgmc' || variant === 'sgmc-z' ? (String(hp.train ?? 'PCQ').split('') as ('P' | 'C' | 'Q')[]) : ['P', 'C', 'Q'];
  const lr = num(hp, 'lr');
  const iterations = num(hp, 'iterations');
  const every = Math.max(1, num(hp, 'evalEvery'));
  const epochs = Math.ceil(iterations / every);
  ctx.setTotalEpochs(epochs);
  // Adam (β1 0.9, β2 0.999, ε 1e-8) as an option; plain gradient descent is the paper's
  const adam = hp.optimizer === 'adam';
  const moments = new Map<string, { m: Float64Array | Float32Array; v: Float64Array | Float32Array }>();
  let step = 0;
  let last: { X: Mat } | undefined;
  const predict = (us: Int32Array, is: Int32Array) => {
    const X = (last as { X: Mat }).X.data;
    const out = new Float32Array(us.length);
    for (let t = 0; t < us.length; t++) out[t] = X[us[t] * n + is[t]] + base(us[t], is[t]);
    return out;
  };
  // the paper's stop (|ΔRMSE_val| < 1e-6) applies once learning has begun — the validation RMSE 1% below its first
  // value: from a 10^(−α) start, gradient descent crosses long plateaus (saddles) where the RMSE barely moves
  const stopTol = num(hp, 'stopTol');
  let prevVal = NaN;
  let firstVal = NaN;
  let moved = false;
  for (let ep = 1; ep <= epochs; ep++) {
    let energy = NaN;
    for (let it = 0; it < every && (ep - 1) * every + it < iterations; it++) {
      ctx.checkCancelled();
      const ev = evaluate(pr, th, true);
      energy = ev.energy.total;
      step++;
      for (const key of trains) {
        const A = th[key] as Mat;
        const G = ev.grad?.[key] as Mat;
        if (!adam) {
          for (let x = 0; x < A.data.length; x++) A.data[x] -= lr * G.data[x];
          continue;
        }
        let mo = moments.get(key);
        if (!mo) moments.set(key, (mo = { m: A.data.slice().fill(0), v: A.data.slice().fill(0) }));
        const c1 = 1 - 0.9 ** step;
        const c2 = 1 - 0.999 ** step;
        for (let x = 0; x < A.data.length; x++) {
          const g = G.data[x];
          mo.m[x] = 0.9 * mo.m[x] + 0.1 * g;
          mo.v[x] = 0.999 * mo.v[x] + 0.001 * g * g;
          A.data[x] -= (lr * (mo.m[x] / c1)) / (Math.sqrt(mo.v[x] / c2) + 1e-8);
        }
      }
      if (!Number.isFinite(energy)) break;
    }
    const ev = evaluate(pr, th, false);
    last = ev;
    const terms = ev.energy;
    const its = Math.min(iterations, ep * every);
    const metrics = await ctx.epochEnd({
      phase: 'train', epoch: ep, epochs, trainLoss: Number.isFinite(energy) ? terms.total : energy, iterations: its, predict,
      artifacts: ({ metrics }) => {
        const at = { phase: 'train', epoch: ep, globalEpoch: 0 };
        const frames: ArtifactFrame[] = [];
        const points = [{ series: 'data term', x: its, y: terms.data }];
        if (variant === 'sgmc' || variant === 'sgmc-z') points.push({ series: 'Dirichlet terms', x: its, y: terms.dirichlet }, { series: 'diagonalisation terms', x: its, y: terms.diagonalisation });
        frames.push({ name: 'energy terms', ...at, data: { view: 'line', points, xLabel: 'iteration', yLabel: 'energy' } });
        // C_new: the coefficients in the graphs' eigenbases (low frequencies top-left); for DMF, X itself
        frames.push({ name: 'spectral coefficients', ...at, data: { view: 'heatmap', rowLabel: variant === 'dmf' ? 'users' : 'user-graph frequency', colLabel: variant === 'dmf' ? 'items' : 'item-graph frequency', panels: [{ group: variant === 'dmf' ? 'X = P C Qᵀ' : 'C_new = P C Qᵀ', variant: `iteration ${its}`, tensor: heatmapTensor('C_new', (ev.Cnew as Mat).data, m, n) }] } });
        // interaction data: ROC and precision–recall curves of the test predictions at this evaluation
        if (metrics.test.auc !== undefined && ctx.data.test.length) {
          const t = ctx.data.test;
          const c = rocPrCurves(predict(t.users, t.items), t.values);
          frames.push({ name: 'roc', ...at, data: { view: 'scatter', points: c.roc, xLabel: 'false-positive rate', yLabel: 'true-positive rate' } });
          frames.push({ name: 'precision-recall', ...at, data: { view: 'scatter', points: c.pr, xLabel: 'recall', yLabel: 'precision' } });
        }
        if (ep === 1 && (pr.lambdaR || pr.lambdaC)) {
          const spec: { series: string; x: number; y: number }[] = [];
          const step = (l: Float64Array) => Math.max(1, Math.floor(l.length / 400));
          if (pr.lambdaR) for (let i = 0; i < pr.lambdaR.length; i += step(pr.lambdaR)) spec.push({ series: 'user graph', x: i, y: pr.lambdaR[i] });
          if (pr.lambdaC) for (let i = 0; i < pr.lambdaC.length; i += step(pr.lambdaC)) spec.push({ series: 'item graph', x: i, y: pr.lambdaC[i] });
          frames.push({ name: 'spectra', ...at, data: { view: 'line', points: spec, xLabel: 'eigenvalue index', yLabel: 'λ (Laplacian)' } });
        }
        return frames;
      },
    });
    const v = metrics.val.rmse ?? NaN;
    if (Number.isNaN(firstVal)) firstVal = v;
    else if (v < 0.99 * firstVal) moved = true;
    if (moved && stopTol > 0 && Number.isFinite(prevVal) && Math.abs(v - prevVal) < stopTol) {
      ctx.log(`validation RMSE settled (|Δ| < ${stopTol}) after ${ep * every} iterations`);
      break;
    }
    prevVal = v;
  }
}

/**
 * User and item biases of the training ratings around their mean, ridge-regularised (λ on each bias): the minimiser
 * of Σ (r − µ − b_u − b_i)² + λ(Σ b_u² + Σ b_i²), by alternating exact minimisation (b_u = Σ_i (r − µ − b_i) / (λ + n_u),
 * then the items likewise) until no bias moves by more than 1e-10 (at most 500 sweeps). Returns the biases and the
 * baseline's training RMSE.
 */
export function fitBiases(fit: RatingMatrix, m: number, n: number, mean: number, lambda: number): { user: Float64Array; item: Float64Array; rmse: number } {
  const user = new Float64Array(m);
  const item = new Float64Array(n);
  const count = (side: Int32Array, k: number) => {
    const c = new Float64Array(k);
    for (let t = 0; t < fit.length; t++) c[side[t]]++;
    return c;
  };
  const cu = count(fit.users, m);
  const ci = count(fit.items, n);
  // one side's exact minimiser given the other; returns the largest change
  const solve = (b: Float64Array, c: Float64Array, own: Int32Array, other: Int32Array, ob: Float64Array) => {
    const s = new Float64Array(b.length);
    for (let t = 0; t < fit.length; t++) s[own[t]] += fit.values[t] - mean - ob[other[t]];
    let moved = 0;
    for (let k = 0; k < b.length; k++) {
      const v = c[k] + lambda > 0 ? s[k] / (lambda + c[k]) : 0;
      moved = Math.max(moved, Math.abs(v - b[k]));
      b[k] = v;
    }
    return moved;
  };
  for (let sweep = 0; sweep < 500; sweep++) {
    const moved = Math.max(solve(user, cu, fit.users, fit.items, item), solve(item, ci, fit.items, fit.users, user));
    if (moved < 1e-10) break;
  }
  let se = 0;
  for (let t = 0; t < fit.length; t++) se += (fit.values[t] - mean - user[fit.users[t]] - item[fit.items[t]]) ** 2;
  return { user, item, rmse: Math.sqrt(se / Math.max(1, fit.length)) };
}
