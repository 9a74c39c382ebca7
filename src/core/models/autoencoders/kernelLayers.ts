/**
 * Building blocks of the kernel autoencoders (MODELS.md, GLocal-K / Sparse FC / kernelNet / I-AutoRec):
 * local-kernel layers W_eff = W ⊙ K(U,V) with K_ij = max(0, 1 − ‖u_i − v_j‖²), tanh dot-product kernel layers
 * (kernelNet), dense layers, initialisers drawn from our seeded PRNG (identical on every backend), and the
 * masked sum-of-squares loss. Only ops every tfjs backend supports (with gradients) are used.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Prng } from '../../data/prng';
import { heatmapTensor } from '../../artifacts';
import { biasSigmoid, maskedSseBias, localKernel, squaredDistances } from '../../linalg/ops';
import type { HeatmapTensor } from '../../../protocol/types';

export { squaredDistances };

type Tf = typeof tfNs;
type T2 = tfNs.Tensor2D;

let uid = 0;
/** A unique tf.Variable name for variable v of a layer. */
const varName = (layer: string, v: string) => `krl_${layer}_${v}_${++uid}`;

export function glorotUniform(rng: Prng, fanIn: number, fanOut: number, n: number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return Float32Array.from({ length: n }, () => (2 * rng.next() - 1) * limit);
}

export function truncatedNormal(rng: Prng, n: number, std: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.truncatedNormal(std));
}

export type Activation = 'sigmoid' | 'identity' | 'relu' | 'tanh';

function activate(tf: Tf, x: T2, a: Activation): T2 {
  switch (a) {
    case 'sigmoid': return tf.sigmoid(x);
    case 'relu': return tf.relu(x);
    case 'tanh': return tf.tanh(x);
    case 'identity': return x;
  }
}

/** act(x·W + b): every layer's forward pass, given its effective weights. */
function affine(tf: Tf, x: T2, W: T2, b: tfNs.Tensor, act: Activation): T2 {
  return activate(tf, tf.add(tf.matMul(x, W), b) as T2, act);
}

export interface Layer {
  readonly name: string;
  readonly nIn: number;
  readonly nOut: number;
  readonly vars: tfNs.Variable[];
  /** The effective weight matrix [nIn, nOut]. */
  effectiveWeight(): T2;
  /** The kernel matrix K(U,V) when the layer has one. */
  kernel?(): T2;
  forward(x: T2): T2;
  /** The effective weights and the layer's regulariser, the kernel computed once for both. */
  weightsAndReg(): { W: T2; reg: tfNs.Scalar };
}

/** GLocal-K / Sparse FC local-kernel layer. Regulariser λs·½ΣK² + λ2·½ΣW² (biases free). */
export class LocalKernelLayer implements Layer {
  readonly W: tfNs.Variable;
  readonly b: tfNs.Variable;
  readonly u: tfNs.Variable;
  readonly v: tfNs.Variable;
  readonly vars: tfNs.Variable[];

  constructor(private readonly tf: Tf, rng: Prng, readonly name: string, readonly nIn: number, readonly nOut: number, readonly act: Activation, readonly lambda2: number, readonly lambdaS: number, kernelDim = 5) {
    this.W = tf.variable(tf.tensor2d(glorotUniform(rng, nIn, nOut, nIn * nOut), [nIn, nOut]), true, varName(name, 'W'));
    // TF's glorot_uniform on a vector [n_out]: fan_in = fan_out = n_out → limit √(3/n_out)
    this.b = tf.variable(tf.tensor1d(glorotUniform(rng, nOut, nOut, nOut)), true, varName(name, 'b'));
    this.u = tf.variable(tf.tensor2d(truncatedNormal(rng, nIn * kernelDim, 1e-3), [nIn, kernelDim]), true, varName(name, 'u'));
    this.v = tf.variable(tf.tensor2d(truncatedNormal(rng, nOut * kernelDim, 1e-3), [nOut, kernelDim]), true, varName(name, 'v'));
    this.vars = [this.W, this.b, this.u, this.v];
  }

  kernel(): T2 {
    return this.tf.relu(this.tf.sub(1, squaredDistances(this.tf, this.u as unknown as T2, this.v as unknown as T2)));
  }

  effectiveWeight(): T2 {
    return this.tf.mul(this.W, this.kernel());
  }

  forward(x: T2): T2 {
    return affine(this.tf, x, this.effectiveWeight(), this.b, this.act);
  }

  /** W ⊙ K and λs·½ΣK² + λ2·½ΣW² (one fused two-output kernel on the cpu backend). */
  weightsAndReg(): { W: T2; reg: tfNs.Scalar } {
    const tf = this.tf;
    return localKernel(tf, this.W as unknown as T2, this.u as unknown as T2, this.v as unknown as T2, this.lambdaS, this.lambda2);
  }
}

/** kernelNet (Muller et al. 2018), from the paper: W_eff_ij = α_i · tanh(u_i · v_j); L2 λ2·½ΣW_eff² on the effective weights. */
export class DotKernelLayer implements Layer {
  readonly alpha: tfNs.Variable;
  readonly b: tfNs.Variable;
  readonly u: tfNs.Variable;
  readonly v: tfNs.Variable;
  readonly vars: tfNs.Variable[];

  constructor(private readonly tf: Tf, rng: Prng, readonly name: string, readonly nIn: number, readonly nOut: number, readonly act: Activation, readonly lambda2: number, kernelDim = 50) {
    // α starts at 1 and u·v (std σ²√d) at Glorot scale √(2/(n_in+n_out)): tanh stays in its linear range, so the
    // initial effective weights look like a Glorot init, and the gradients of u and v are not scaled down by a small α.
    const target = Math.sqrt(2 / (nIn + nOut));
    const sd = Math.sqrt(target / Math.sqrt(kernelDim));
    this.u = tf.variable(tf.tensor2d(truncatedNormal(rng, nIn * kernelDim, sd), [nIn, kernelDim]), true, varName(name, 'u'));
    this.v = tf.variable(tf.tensor2d(truncatedNormal(rng, nOut * kernelDim, sd), [nOut, kernelDim]), true, varName(name, 'v'));
    this.alpha = tf.variable(tf.ones([nIn, 1]), true, varName(name, 'alpha'));
    this.b = tf.variable(tf.tensor1d(new Float32Array(nOut)), true, varName(name, 'b'));
    this.vars = [this.u, this.v, this.alpha, this.b];
  }

  kernel(): T2 {
    return this.tf.tanh(this.tf.matMul(this.u, this.v, false, true));
  }

  effectiveWeight(): T2 {
    return this.tf.mul(this.alpha, this.kernel());
  }

  forward(x: T2): T2 {
    return affine(this.tf, x, this.effectiveWeight(), this.b, this.act);
  }

  /** W_eff and λ2·½ΣW_eff². */
  weightsAndReg(): { W: T2; reg: tfNs.Scalar } {
    const W = this.effectiveWeight();
    return { W, reg: this.tf.mul(this.lambda2 / 2, this.tf.sum(this.tf.square(W))) as tfNs.Scalar };
  }
}

/** Dense layer (I-AutoRec): Glorot-uniform W, zero bias, L2 λ·½ΣW². */
export class DenseLayer implements Layer {
  readonly W: tfNs.Variable;
  readonly b: tfNs.Variable;
  readonly vars: tfNs.Variable[];

  constructor(private readonly tf: Tf, rng: Prng, readonly name: string, readonly nIn: number, readonly nOut: number, readonly act: Activation, private readonly lambda: number) {
    this.W = tf.variable(tf.tensor2d(glorotUniform(rng, nIn, nOut, nIn * nOut), [nIn, nOut]), true, varName(name, 'W'));
    this.b = tf.variable(tf.tensor1d(new Float32Array(nOut)), true, varName(name, 'b'));
    this.vars = [this.W, this.b];
  }

  effectiveWeight(): T2 {
    return this.W as unknown as T2;
  }

  forward(x: T2): T2 {
    return affine(this.tf, x, this.effectiveWeight(), this.b, this.act);
  }

  /** W and λ·½ΣW². */
  weightsAndReg(): { W: T2; reg: tfNs.Scalar } {
    return { W: this.W as unknown as T2, reg: this.tf.mul(this.lambda / 2, this.tf.sum(this.tf.square(this.W))) as tfNs.Scalar };
  }
}

type AnyLayer = (LocalKernelLayer | DotKernelLayer | DenseLayer);

/** A stack of layers: x → layer₁ → … → layerₙ. */
export class Autoencoder {
  constructor(private readonly tf: Tf, readonly layers: AnyLayer[]) {}

  get vars(): tfNs.Variable[] {
    return this.layers.flatMap((l) => l.vars);
  }

  /**
   * The effective weights of every layer and the total regulariser, each kernel computed once, so that several
   * passes in one loss evaluation (GLocal-K's μ path and prediction path) share them.
   */
  weights(): { layers: { W: T2; b: tfNs.Tensor; act: Activation }[]; reg: tfNs.Scalar } {
    let reg: tfNs.Scalar | undefined;
    const layers = this.layers.map((l) => {
      const w = l.weightsAndReg();
      reg = reg ? (this.tf.add(reg, w.reg) as tfNs.Scalar) : w.reg;
      return { W: w.W, b: l.b as tfNs.Tensor, act: l.act };
    });
    return { layers, reg: reg as tfNs.Scalar };
  }

  /** x through the layers with precomputed weights (σ(z + b) fused on the cpu backend). */
  apply(x: T2, w: { layers: { W: T2; b: tfNs.Tensor; act: Activation }[] }): T2 {
    let y = x;
    for (const l of w.layers) {
      const z = this.tf.matMul(y, l.W) as T2;
      y = l.act === 'sigmoid' ? biasSigmoid(this.tf, z, l.b) : activate(this.tf, this.tf.add(z, l.b) as T2, l.act);
    }
    return y;
  }

  /**
   * ½Σ(M ⊙ (R − AE(x)))² with the output layer's bias add fused into the loss (cpu backend) — the same value as
   * maskedSse(R, M, apply(x, w)), computed in one pass over the items × users matrix.
   */
  sse(x: T2, w: { layers: { W: T2; b: tfNs.Tensor; act: Activation }[] }, R: T2, M: T2): tfNs.Scalar {
    const last = w.layers[w.layers.length - 1];
    if (last.act !== 'identity') return maskedSse(this.tf, R, M, this.apply(x, w));
    const hidden = this.apply(x, { layers: w.layers.slice(0, -1) });
    return maskedSseBias(this.tf, this.tf.matMul(hidden, last.W), last.b, R, M);
  }

  forward(x: T2): T2 {
    let y = x;
    for (const l of this.layers) y = l.forward(y);
    return y;
  }

  /** Per-layer heatmaps (K and |W⊙K|, downsampled, quantised) and kernel sparsity. Async readbacks. */
  async snapshot(): Promise<{ name: string; kernel: HeatmapTensor; weight?: HeatmapTensor; sparsity: number }[]> {
    const out = [];
    for (const l of this.layers) {
      if (!('kernel' in l) || typeof l.kernel !== 'function') continue;
      // in a tidy: the kernel's distance matrix and W ⊙ K are intermediates (3 layer-sized tensors an epoch otherwise)
      const [K, W] = this.tf.tidy(() => {
        const kk = l.kernel();
        return [kk, l instanceof LocalKernelLayer ? this.tf.abs(this.tf.mul(l.W, kk)) : this.tf.abs(l.effectiveWeight())];
      });
      const [k, w] = await Promise.all([K.data(), W.data()]);
      K.dispose();
      W.dispose();
      let zeros = 0;
      for (let i = 0; i < k.length; i++) if (k[i] === 0) zeros++;
      const title = `${l.name} (${l.nIn}→${l.nOut})`;
      out.push({ name: title, kernel: heatmapTensor(title, k, l.nIn, l.nOut), weight: heatmapTensor(`${title} |W⊙K|`, w, l.nIn, l.nOut), sparsity: zeros / k.length });
    }
    return out;
  }

  /** Full-resolution kernels (for the run's artifacts). */
  async kernels(): Promise<{ name: string; rows: number; cols: number; data: Float32Array }[]> {
    const out = [];
    for (const l of this.layers) {
      if (!('kernel' in l) || typeof l.kernel !== 'function') continue;
      const K = this.tf.tidy(() => l.kernel());
      out.push({ name: l.name, rows: l.nIn, cols: l.nOut, data: (await K.data()) as Float32Array });
      K.dispose();
    }
    return out;
  }

  dispose(): void {
    for (const v of this.vars) v.dispose();
  }
}

/** ½ Σ (mask ⊙ (R − pred))² — a sum, not a mean (MODELS.md). */
export function maskedSse(tf: Tf, R: T2, mask: T2, pred: T2): tfNs.Scalar {
  return tf.mul(0.5, tf.sum(tf.square(tf.mul(mask, tf.sub(R, pred))))) as tfNs.Scalar;
}
