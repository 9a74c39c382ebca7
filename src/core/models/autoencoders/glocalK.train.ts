/**
 * GLocal-K (Han et al., CIKM 2021): a local-kernel autoencoder n_users → 500 → 500 → n_users pre-trained with
 * L-BFGS, then fine-tuned with a global convolution kernel built from the autoencoder's own item means
 * (MODELS.md "GLocal-K"; reference: the usydnlp/Glocal_K notebook).
 *   pre-training:  loss = ½Σ(M ⊙ (R − AE(R)))² + Σ_layers (λs·½ΣK² + λ2·½ΣW²)
 *   fine-tuning:   μ = mean_users AE(R);  GK = reshape(μᵀ·G·dot_scale, k×k);  R̂ = ReLU(conv2d(R, GK, 'same'));
 *                  loss = ½Σ(M ⊙ (R − AE(R̂)))² + reg, GK recomputed at every evaluation, shared AE weights,
 *                  gradients through both paths; L-BFGS over AE + G.
 */
import type * as tfNs from '@tensorflow/tfjs';
import { num, type TrainFn } from '../model';
import { Autoencoder, LocalKernelLayer, truncatedNormal } from './kernelLayers';
import { aeLoss, denseItemUser, lbfgsPhase, saveKernelArtifacts, subsample } from './aeTraining';
import { heatmapTensor } from '../../artifacts';

type Tf = typeof tfNs;
type T2 = tfNs.Tensor2D;

/** 'same' cross-correlation of a single-channel image with a k×k kernel, as k² shifted, weighted copies. */
export function shiftConv(tf: Tf, x: T2, kernel: tfNs.Tensor, k: number): T2 {
  const [h, w] = x.shape;
  const p = (k - 1) / 2;
  const padded = tf.pad(x, [[p, p], [p, p]]);
  let out: T2 | undefined;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      const term = tf.mul(tf.slice(padded, [a, b], [h, w]), tf.reshape(tf.slice(tf.reshape(kernel, [k * k]), [a * k + b], [1]), []));
      out = out ? (tf.add(out, term) as T2) : (term as T2);
    }
  }
  return out as T2;
}

export function globalConv(tf: Tf, x: T2, gk: tfNs.Tensor, k: number, impl: string): T2 {
  const [h, w] = x.shape;
  if (impl === 'shift') return shiftConv(tf, x, gk, k);
  return tf.reshape(tf.conv2d(tf.reshape(x, [1, h, w, 1]) as tfNs.Tensor4D, tf.reshape(gk, [k, k, 1, 1]) as tfNs.Tensor4D, 1, 'same'), [h, w]) as T2;
}

export const train: TrainFn = async (ctx) => {
  const tf = ctx.tf as Tf;
  if (!tf) throw new Error('glocal-k needs a tfjs backend');
  const hp = ctx.hp;
  const { nUsers, nItems } = ctx.data;
  const k = Number(hp.kernelSize);
  const convLayers = num(hp, 'convLayers');
  const hidden = num(hp, 'hidden');
  const l2 = num(hp, 'lambda2');
  const ls = num(hp, 'lambdaS');
  const dotScale = num(hp, 'dotScale');
  const impl = String(hp.convImpl);
  ctx.setTotalEpochs(num(hp, 'preEpochs') + num(hp, 'fineEpochs'));
  const fit = subsample(ctx, num(hp, 'trainFraction'));
  const { R, M } = denseItemUser(tf, fit, nItems, nUsers);
  const rng = ctx.rng;
  const ae = new Autoencoder(tf, [
    new LocalKernelLayer(tf, rng, 'layer 1', nUsers, hidden, 'sigmoid', l2, ls, num(hp, 'kernelDim')),
    new LocalKernelLayer(tf, rng, 'layer 2', hidden, hidden, 'sigmoid', l2, ls, num(hp, 'kernelDim')),
    new LocalKernelLayer(tf, rng, 'layer 3', hidden, nUsers, 'identity', l2, ls, num(hp, 'kernelDim')),
  ]);
  const G = Array.from({ length: convLayers }, (_, l) => tf.variable(tf.tensor2d(truncatedNormal(rng, nItems * k * k, 0.1), [nItems, k * k]), true, `krl_glocal_G${l}_${Date.now()}_${l}`));
  const step = { n: 0 };
  const globalKernels = (mu: tfNs.Tensor) => G.map((g) => tf.mul(tf.matMul(tf.reshape(mu, [1, nItems]), g), dotScale));
  /** R̂ = ReLU(conv(R, GK)) with GK from μ = mean over users of AE(R); the weights are shared with the caller's pass. */
  const refine = (x: T2, w: ReturnType<Autoencoder['weights']>): { y: T2; gks: tfNs.Tensor[] } => {
    const mu = tf.div(tf.sum(ae.apply(x, w), 1), nUsers); // mean over users (sum/n: the fast CPU reduction)
    const gks = globalKernels(mu);
    let y = x;
    for (const gk of gks) y = tf.relu(globalConv(tf, y, gk, k, impl));
    return { y, gks };
  };
  /** The first global kernel of the latest prediction pass, kept for the epoch's snapshot. */
  let keptGk: tfNs.Tensor | undefined;
  const snapshot = (withGk: boolean) => async () => {
    const layers = await ae.snapshot();
    let globalKernel;
    if (withGk) {
      const gk = keptGk ?? tf.tidy(() => refine(R, ae.weights()).gks[0]);
      const d = await gk.data();
      gk.dispose();
      keptGk = undefined;
      globalKernel = { ...heatmapTensor('global kernel', d, k, k), data: Array.from(d), q8: undefined };
    }
    return { layers, globalKernel };
  };
  try {
    ctx.log(`GLocal-K: ${nItems} items × ${nUsers} users, ${fit.length} training ratings; ${ae.vars.reduce((s, v) => s + v.size, 0) + G.reduce((s, g) => s + g.size, 0)} parameters`);
    await lbfgsPhase(ctx, tf, {
      phase: 'pretrain', epochs: num(hp, 'preEpochs'), maxiter: num(hp, 'preMaxiter'), history: num(hp, 'history'),
      vars: ae.vars, nUsers, step,
      loss: aeLoss(tf, ae, R, M),
      predict: () => ae.forward(R),
      snapshot: snapshot(false),
    });
    await lbfgsPhase(ctx, tf, {
      phase: 'finetune', epochs: num(hp, 'fineEpochs'), maxiter: num(hp, 'fineMaxiter'), history: num(hp, 'history'),
      vars: [...ae.vars, ...G], nUsers, step,
      loss: aeLoss(tf, ae, R, M, (w) => refine(R, w).y),
      predict: () => {
        const w = ae.weights();
        const r = refine(R, w);
        keptGk?.dispose();
        keptGk = tf.keep(r.gks[0]);
        return ae.apply(r.y, w);
      },
      snapshot: snapshot(true),
    });
    await saveKernelArtifacts(ctx, ae);
  } finally {
    keptGk?.dispose();
    ae.dispose();
    for (const g of G) g.dispose();
    R.dispose();
    M.dispose();
  }
};
