/**
 * Shared training driver of the kernel autoencoders: dense item × user input, per-epoch L-BFGS runs (history
 * reset each epoch, like the reference code's scipy minimize per epoch), cached full-matrix predictions for
 * evaluation, per-iteration loss points, kernel snapshots and full-resolution kernels of the last epoch.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { TrainContext, Predictor } from '../model';
import type { Phase } from '../../../protocol/types';
import type { RatingMatrix } from '../../data/ratingMatrix';
import { Lbfgs } from '../../optim/lbfgs';
import { TfObjective } from '../../optim/tfObjective';
import { yieldToEventLoop } from '../../async';
import { Autoencoder } from './kernelLayers';
import { kernelFrames, type KernelSnapshot } from '../../artifacts';

type Tf = typeof tfNs;

/** The fitted ratings as a dense items × users matrix and its 0/1 mask (float32 values, no cast). */
export function denseItemUser(tf: Tf, fit: RatingMatrix, nItems: number, nUsers: number): { R: tfNs.Tensor2D; M: tfNs.Tensor2D } {
  const r = new Float32Array(nItems * nUsers);
  const m = new Float32Array(nItems * nUsers);
  for (let k = 0; k < fit.length; k++) {
    const idx = fit.items[k] * nUsers + fit.users[k];
    r[idx] = fit.values[k];
    m[idx] = 1;
  }
  return { R: tf.tensor2d(r, [nItems, nUsers]), M: tf.tensor2d(m, [nItems, nUsers]) };
}

/** Subsamples the fitted ratings (the paper's training-data fraction ablation), seeded. */
export function subsample(ctx: TrainContext, fraction: number): RatingMatrix {
  const fit = ctx.data.fit;
  if (fraction >= 1) return fit;
  const perm = ctx.rng.permutation(fit.length);
  const keep = perm.slice(0, Math.round(fit.length * fraction)).sort();
  ctx.log(`training-data fraction ${fraction}: using ${keep.length} of ${fit.length} ratings`);
  return fit.subset(keep);
}

/** A predictor over a lazily computed full items × users prediction matrix (computed once per epoch). */
export function matrixPredictor(tf: Tf, nUsers: number, compute: () => tfNs.Tensor2D): Predictor {
  let cached: Promise<Float32Array> | undefined;
  return (users, items) => {
    if (!cached) {
      const t = tf.tidy(compute);
      cached = t.data().then((d) => {
        t.dispose();
        return d as Float32Array;
      });
    }
    return cached.then((full) => {
      const out = new Float32Array(users.length);
      for (let k = 0; k < users.length; k++) out[k] = full[items[k] * nUsers + users[k]];
      return out;
    });
  };
}

export interface PhaseOptions {
  phase: Phase;
  epochs: number;
  maxiter: number;
  history: number;
  vars: tfNs.Variable[];
  loss: () => tfNs.Scalar;
  predict: () => tfNs.Tensor2D;
  nUsers: number;
  /** The layers' kernels (and the global kernel) at the end of an epoch, for the panel's pictures. */
  snapshot?: () => Promise<Omit<KernelSnapshot, 'phase' | 'epoch' | 'globalEpoch'>>;
  /** Global iteration counter shared across phases (for the loss curve). */
  step: { n: number };
}

/** Runs `epochs` L-BFGS epochs of at most `maxiter` iterations each on the given loss. */
export async function lbfgsPhase(ctx: TrainContext, tf: Tf, o: PhaseOptions): Promise<void> {
  const objective = new TfObjective(tf, o.vars, () => tf.tidy(o.loss));
  const opt = new Lbfgs(objective, await objective.getX(), { m: o.history });
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    ctx.checkCancelled();
    opt.restart();
    const evalsBefore = objective.evaluations;
    const t0 = Date.now();
    const r = await opt.run({
      maxiter: o.maxiter,
      isCancelled: () => {
        try {
          ctx.checkCancelled();
          return false;
        } catch {
          return true;
        }
      },
      onIteration: async (it) => {
        o.step.n++;
        ctx.lossPoint(o.phase, o.step.n, it.f);
        await yieldToEventLoop();
      },
    });
    objective.setX(opt.point);
    const t1 = Date.now();
    ctx.checkCancelled();
    if (r.reason === 'line-search') ctx.log(`${o.phase} epoch ${epoch}: ${r.message}`, 'warn');
    await ctx.epochEnd({
      phase: o.phase, epoch, epochs: o.epochs, trainLoss: r.f, iterations: r.iterations, evaluations: objective.evaluations - evalsBefore,
      predict: matrixPredictor(tf, o.nUsers, o.predict),
      artifacts: o.snapshot ? async ({ globalEpoch }) => kernelFrames({ ...(await (o.snapshot as NonNullable<PhaseOptions['snapshot']>)()), phase: o.phase, epoch, globalEpoch }) : undefined,
    });
    ctx.log(`${o.phase} epoch ${epoch}: optimiser ${((t1 - t0) / 1000).toFixed(2)} s (${objective.evaluations - evalsBefore} evaluations), evaluation and snapshot ${((Date.now() - t1) / 1000).toFixed(2)} s`, 'debug');
  }
}

/**
 * The autoencoder's training loss ½Σ(M ⊙ (R − AE(x)))² + regulariser, with x = input(w) (R itself by default);
 * the layer weights w are computed once per evaluation and shared by the input and the reconstruction.
 */
export function aeLoss(tf: Tf, ae: Autoencoder, R: tfNs.Tensor2D, M: tfNs.Tensor2D, input: (w: ReturnType<Autoencoder['weights']>) => tfNs.Tensor2D = () => R): () => tfNs.Scalar {
  return () => {
    const w = ae.weights();
    return tf.add(ae.sse(input(w), w, R, M), w.reg) as tfNs.Scalar;
  };
}

/** Writes each kernel layer's full-resolution K(U,V) (float32, row-major) to the run's artifacts. */
export async function saveKernelArtifacts(ctx: TrainContext, ae: Autoencoder): Promise<void> {
  const kernels = await ae.kernels();
  ctx.saveArtifacts?.(kernels.map((kk) => ({ name: `kernel-${kk.name.replace(/\s+/g, '')}-${kk.rows}x${kk.cols}.f32`, data: new Uint8Array(kk.data.buffer, kk.data.byteOffset, kk.data.byteLength) })));
}

/**
 * Trains a single-phase item autoencoder (Sparse FC, kernelNet, I-AutoRec): `epochs` fresh L-BFGS runs of
 * `maxiter` iterations on ½Σ(M ⊙ (R − AE(R)))² + regulariser, with kernel snapshots when the layers have kernels.
 */
export async function trainItemAutoencoder(ctx: TrainContext, build: (tf: Tf) => Autoencoder, o: { epochs: number; maxiter: number; history: number; trainFraction: number; snapshots: boolean; label: string }): Promise<void> {
  const tf = ctx.tf as Tf;
  if (!tf) throw new Error(`${o.label} needs a tfjs backend`);
  const { nUsers, nItems } = ctx.data;
  ctx.setTotalEpochs(o.epochs);
  const fit = subsample(ctx, o.trainFraction);
  const { R, M } = denseItemUser(tf, fit, nItems, nUsers);
  const ae = build(tf);
  try {
    ctx.log(`${o.label}: ${nItems} items × ${nUsers} users, ${fit.length} training ratings; ${ae.vars.reduce((s, v) => s + v.size, 0)} parameters`);
    await lbfgsPhase(ctx, tf, {
      phase: 'train', epochs: o.epochs, maxiter: o.maxiter, history: o.history, vars: ae.vars, nUsers, step: { n: 0 },
      loss: aeLoss(tf, ae, R, M),
      predict: () => ae.forward(R),
      snapshot: o.snapshots ? async () => ({ layers: await ae.snapshot() }) : undefined,
    });
    if (o.snapshots) await saveKernelArtifacts(ctx, ae);
  } finally {
    ae.dispose();
    R.dispose();
    M.dispose();
  }
}

/**
 * Trains n_users → hidden × layers → n_users (sigmoid hidden, identity output) with the layer type `make`
 * builds, using the shared schedule parameters of `lbfgsScheduleParams` (./params).
 */
export function trainStackedAutoencoder(ctx: TrainContext, label: string, snapshots: boolean, make: (tf: Tf, name: string, nIn: number, nOut: number, act: 'sigmoid' | 'identity') => ConstructorParameters<typeof Autoencoder>[1][number]): Promise<void> {
  const hp = ctx.hp;
  const n = (k: string) => hp[k] as number;
  return trainItemAutoencoder(ctx, (tf) => {
    const { nUsers } = ctx.data;
    const dims = [nUsers, ...Array(n('layers') || 1).fill(n('hidden')), nUsers];
    return new Autoencoder(tf, dims.slice(1).map((out, i) => make(tf, `layer ${i + 1}`, dims[i], out, i === dims.length - 2 ? 'identity' : 'sigmoid')));
  }, { epochs: n('epochs'), maxiter: n('maxiter'), history: n('history'), trainFraction: n('trainFraction'), snapshots, label });
}
