/**
 * The ops the models call for the chains that dominate an autoencoder evaluation on large matrices — the models
 * never ask which backend runs them:
 *   biasSigmoid(z, b)            = σ(z + b)                      backward: dz = dy·y·(1 − y), db = Σ_rows dz
 *   maskedSseBias(z, b, R, M)    = ½ Σ (M ⊙ (R − (z + b)))²      backward: dz = −dy·M²·(R − z − b), db = Σ_rows dz
 *   localKernel(W, u, v)         = W ⊙ K and λs·½ΣK² + λ2·½ΣW², K = max(0, 1 − ‖u_i − v_j‖²)
 *   squaredDistances(u, v)       = D_ij = Σ_d (u_id − v_jd)², computed directly
 *   pairMlpScores(U, I, layers)  an MLP over every (u, i) pair with a split first layer (DLR²'s S over all items)
 *   adamUpdate(x, g, m, v)       one Adam step of a parameter (torch's formula) as tensor ops (../optim/adam.ts
 *                                updates arrays in place instead where our cpu kernels run)
 *   residualFeatureTrain(x, W)   DLR²'s residual feature net in training mode, forward and backward fused on BLAS
 *   residualFeatureInfer(x, W, …) the same net in inference mode (moving batch-norm statistics), the fused forward
 * Where the active backend has our fused kernels (./kernels, registered on the cpu backend from one list) one
 * pass each way runs instead of five to ten tensor ops, split by rows over the worker pool of ./parallel; on the
 * webgpu backend the element-wise parts run as fused WGSL passes (./webgpuPrograms) with tfjs's own matmuls and
 * reductions; on every other backend the same formulas run as ordinary tfjs ops.
 */
import type * as tfNs from '@tensorflow/tfjs';
import { distanceRow, observedEntries, parallelRows, rangesFor, sharedF32, sharedF64, toShared, transposedF64 } from './parallel';
import { LOCAL_KERNEL } from './kernels/KrlLocalKernel';
import { PAIR_MLP } from './kernels/KrlPairMlp';
import { getConvBlas } from './conv';
import { ResidualFeature, type ResFeatureWeights } from './residualFeature';
import { biasSigmoidBwd, biasSigmoidFwd, localKernelPass, maskedSseTerms, onWebgpu, squaredDistancesFwd } from './webgpuPrograms';

type Tf = typeof tfNs;
type T2 = tfNs.Tensor2D;

/** Whether the active backend runs our fused kernels (the cpu backend with ./kernels registered). */
export function fused(tf: Tf): boolean {
  return tf.getKernel(LOCAL_KERNEL, tf.getBackend()) !== undefined;
}

/** Adds up `parts` per-range column-sum slots of length cols that start every `stride` entries. */
function colSums(tf: Tf, partials: Float64Array, parts: number, cols: number, stride = cols): tfNs.Tensor1D {
  const out = new Float32Array(cols);
  for (let c = 0; c < cols; c++) {
    let s = 0;
    for (let p = 0; p < parts; p++) s += partials[p * stride + c];
    out[c] = s;
  }
  return tf.tensor1d(out);
}

const f32 = (t: tfNs.Tensor) => toShared(t.dataSync() as Float32Array);

export function biasSigmoid(tf: Tf, z: T2, b: tfNs.Tensor): T2 {
  if (onWebgpu(tf)) {
    const op = tf.customGrad((zz, bb, save) => {
      const y = biasSigmoidFwd(tf, zz as T2, bb as tfNs.Tensor);
      (save as unknown as tfNs.GradSaveFunc)([y]);
      return {
        value: y,
        gradFunc: (dy: tfNs.Tensor, saved: tfNs.Tensor[]) => {
          const g = biasSigmoidBwd(tf, dy, saved[0]);
          return [g, tf.reshape(tf.sum(g, 0), (bb as tfNs.Tensor).shape)];
        },
      };
    });
    return op(z, b) as T2;
  }
  if (!fused(tf)) return tf.sigmoid(tf.add(z, b));
  const op = tf.customGrad((zz, bb, save) => {
    const [rows, cols] = (zz as T2).shape;
    const y = sharedF32(rows * cols);
    parallelRows('biasSigmoidFwd', { z: f32(zz as T2), b: f32(bb as tfNs.Tensor), y, cols }, rows, cols * 4);
    const yt = tf.tensor2d(y, [rows, cols]);
    (save as unknown as tfNs.GradSaveFunc)([yt]);
    return {
      value: yt,
      gradFunc: (dy: tfNs.Tensor, saved: tfNs.Tensor[]) => {
        const g = sharedF32(rows * cols);
        const partials = sharedF64(rangesFor(rows, cols) * cols);
        const parts = parallelRows('biasSigmoidBwd', { dy: f32(dy), y: f32(saved[0]), g, cols, partials }, rows, cols);
        return [tf.tensor2d(g, [rows, cols]), colSums(tf, partials, parts, cols)];
      },
    };
  });
  return op(z, b) as T2;
}

export function maskedSseBias(tf: Tf, z: T2, b: tfNs.Tensor, R: T2, M: T2): tfNs.Scalar {
  if (onWebgpu(tf)) {
    // tensors the backward pass reads are saved (an intermediate input is otherwise gone by then)
    const op = tf.customGrad((zz, bb, save) => {
      (save as unknown as tfNs.GradSaveFunc)([zz as T2, bb as tfNs.Tensor]);
      return {
        value: tf.mul(0.5, tf.sum(maskedSseTerms(tf, zz as T2, bb as tfNs.Tensor, R, M, 'square'))) as tfNs.Scalar,
        gradFunc: (dy: tfNs.Tensor, [sz, sb]: tfNs.Tensor[]) => {
          const g = tf.mul(maskedSseTerms(tf, sz as T2, sb, R, M, 'grad'), dy);
          return [g, tf.reshape(tf.sum(g, 0), sb.shape)];
        },
      };
    });
    return op(z, b) as tfNs.Scalar;
  }
  if (!fused(tf)) return tf.mul(0.5, tf.sum(tf.square(tf.mul(M, tf.sub(R, tf.add(z, b)))))) as tfNs.Scalar;
  const [rows, cols] = R.shape;
  const rv = f32(R);
  const mv = f32(M);
  // only the observed entries (M ≠ 0) contribute to the loss and have a non-zero gradient
  const { idx, rowStart } = observedEntries(mv, rows, cols);
  const op = tf.customGrad((zz, bb, save) => {
    // g = ∂L/∂z for dy = 1: −M²(R − z − b) at observed entries, 0 elsewhere; L = ½Σ(M(R − z − b))²
    const g = sharedF32(rows * cols);
    const slot = cols + 1;
    const partials = sharedF64(rangesFor(rows, cols) * slot);
    const parts = parallelRows('maskedSseFwd', { z: f32(zz as T2), b: f32(bb as tfNs.Tensor), R: rv, M: mv, g, idx, rowStart, cols, partials }, rows, cols);
    let s = 0;
    for (let p = 0; p < parts; p++) s += partials[p * slot + cols];
    const gt = tf.tensor2d(g, [rows, cols]);
    const gbt = colSums(tf, partials, parts, cols, slot);
    (save as unknown as tfNs.GradSaveFunc)([gt, gbt]);
    return {
      value: tf.scalar(0.5 * s),
      // dy is the scalar upstream gradient; when this is the loss it is 1 and the saved gradients are used as they
      // are (clone shares the data: no pass over the full matrix)
      gradFunc: (dy: tfNs.Tensor, saved: tfNs.Tensor[]) => (dy.dataSync()[0] === 1 ? [tf.clone(saved[0]), tf.clone(saved[1])] : [tf.mul(saved[0], dy), tf.mul(saved[1], dy)]),
    };
  });
  return op(z, b) as tfNs.Scalar;
}

/**
 * A local-kernel layer's effective weights W ⊙ K and its regulariser λs·½ΣK² + λ2·½ΣW², where
 * K_ij = max(0, 1 − ‖u_i − v_j‖²). With the fused kernels one registered kernel computes both in a single pass over
 * (i, j) (the distances are never stored), and one backward pass yields ∂W, ∂u and ∂v; elsewhere the same formulas
 * run as ordinary tfjs ops.
 */
export function localKernel(tf: Tf, W: T2, u: T2, v: T2, lambdaS: number, lambda2: number): { W: T2; reg: tfNs.Scalar } {
  if (onWebgpu(tf)) {
    // D through squaredDistances (its own closed-form gradient, matmuls); W ⊙ K and the regulariser as fused passes
    const D = squaredDistances(tf, u, v);
    const weff = tf.customGrad((ww, dd, save) => {
      (save as unknown as tfNs.GradSaveFunc)([ww as T2, dd as T2]);
      return {
        value: localKernelPass(tf, 'weff', ww as T2, dd as T2),
        gradFunc: (dy: tfNs.Tensor, [sw, sd]: tfNs.Tensor[]) => [localKernelPass(tf, 'dW', sw as T2, sd as T2, { dy }), localKernelPass(tf, 'dD', sw as T2, sd as T2, { dy })],
      };
    });
    const reg = tf.customGrad((ww, dd, save) => {
      (save as unknown as tfNs.GradSaveFunc)([ww as T2, dd as T2]);
      return {
        value: tf.mul(0.5, tf.sum(localKernelPass(tf, 'reg', ww as T2, dd as T2, { lambdaS, lambda2 }))) as tfNs.Scalar,
        gradFunc: (dr: tfNs.Tensor, [sw, sd]: tfNs.Tensor[]) => [tf.mul(sw, tf.mul(dr, lambda2)), localKernelPass(tf, 'regD', sw as T2, sd as T2, { dr: tf.reshape(dr, [1]), lambdaS })],
      };
    });
    return { W: weff(W, D) as T2, reg: reg(W, D) as tfNs.Scalar };
  }
  if (!fused(tf)) {
    const K = tf.relu(tf.sub(1, squaredDistances(tf, u, v)));
    const reg = tf.add(tf.mul(lambdaS / 2, tf.sum(tf.square(K))), tf.mul(lambda2 / 2, tf.sum(tf.square(W)))) as tfNs.Scalar;
    return { W: tf.mul(W, K), reg };
  }
  const [weff, reg] = tf.engine().runKernel(LOCAL_KERNEL, { W, u, v } as never, { lambdaS, lambda2 } as never) as unknown as [T2, tfNs.Scalar];
  return { W: weff, reg };
}

/**
 * Squared Euclidean distances D_ij = Σ_d (u_id − v_jd)², computed directly (not as |u|² + |v|² − 2uvᵀ, which
 * cancels when u ≈ v — at initialisation all distances are ~1e-6). Gradient in closed form through matMuls:
 * ∂L/∂u = 2(u ⊙ rowsum(G) − G·v), ∂L/∂v = 2(v ⊙ colsum(G) − Gᵀ·u).
 */
export function squaredDistances(tf: Tf, u: T2, v: T2): T2 {
  const op = tf.customGrad((a, b, save) => {
    const ua = a as T2;
    const vb = b as T2;
    (save as unknown as tfNs.GradSaveFunc)([ua, vb]);
    const value = fused(tf) ? directCpu(tf, ua, vb) : onWebgpu(tf) ? squaredDistancesFwd(tf, ua, vb) : tf.tidy(() => {
      const d = ua.shape[1];
      // Σ_d (u_:d − v_:dᵀ)²: a sum of d outer differences, each n_in × n_out (no n_in × n_out × d tensor)
      let acc = tf.zeros([ua.shape[0], vb.shape[0]]) as T2;
      for (let k = 0; k < d; k++) {
        const diff = tf.sub(tf.slice(ua, [0, k], [-1, 1]), tf.reshape(tf.slice(vb, [0, k], [-1, 1]), [1, -1]));
        acc = tf.add(acc, tf.square(diff)) as T2;
      }
      return acc;
    });
    return {
      value,
      gradFunc: (dy: tfNs.Tensor, saved: tfNs.Tensor[]) => {
        const [su, sv] = saved as T2[];
        const g = dy as T2;
        const du = tf.mul(2, tf.sub(tf.mul(su, tf.sum(g, 1, true)), tf.matMul(g, sv)));
        const dv = tf.mul(2, tf.sub(tf.mul(sv, tf.reshape(tf.sum(g, 0), [-1, 1])), tf.matMul(g, su, true, false)));
        return [du, dv];
      },
    };
  });
  return op(u, v) as T2;
}

/** The same sum as a plain loop in float64 where our CPU kernels run (dataSync is fine there; never on WebGPU). */
function directCpu(tf: Tf, u: T2, v: T2): T2 {
  const [m, d] = u.shape;
  const n = v.shape[0];
  const uv = u.dataSync();
  const vt = transposedF64(v.dataSync(), n, d);
  const out = new Float32Array(m * n);
  const acc = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    distanceRow(uv, i, d, vt, n, acc);
    out.set(acc, i * n);
  }
  return tf.tensor2d(out, [m, n]);
}

/**
 * Scores of an MLP over every (user, item) pair whose first layer is split into halves: s[u, i] =
 * w4ᵀ relu(W3ᵀ relu(W2ᵀ relu(U[u] + I[i]) + b2) + b3) + b4 (U: users × h, the user half including nothing else;
 * I: items × h, the item half with the first bias folded in). DLR²'s S net over all items. Inference only. With
 * the fused kernel (cpu backend + BLAS) the pairs run as blocks of sgemm; elsewhere as broadcast tfjs ops.
 */
export function pairMlpScores(tf: Tf, U: T2, I: T2, layers: [T2, tfNs.Tensor1D][]): T2 {
  if (layers.length === 3 && tf.getKernel(PAIR_MLP, tf.getBackend()) !== undefined) {
    const [[w2, b2], [w3, b3], [w4, b4]] = layers;
    return tf.engine().runKernel(PAIR_MLP, { u: U, items: I, w2, b2, w3, b3, w4, b4 } as never, {} as never) as T2;
  }
  return tf.tidy(() => {
    const [nu, h] = U.shape;
    const ni = I.shape[0];
    let x = tf.reshape(tf.relu(tf.add(tf.expandDims(U, 1), tf.expandDims(I, 0))), [nu * ni, h]) as T2;
    layers.forEach(([w, b], k) => {
      x = tf.fused.matMul({ a: x, b: w, bias: b, activation: k < layers.length - 1 ? 'relu' : 'linear' }) as T2;
    });
    return tf.reshape(x, [nu, ni]) as T2;
  });
}

/** Adam's hyper-parameters for one step; t counts steps from 1 (bias correction). */
export interface AdamAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  t: number;
}

/**
 * One Adam step for a parameter as tensor ops: returns the new parameter, first and second moments (torch's formula,
 * the same as ./parallel.ts's adamRows, which ../optim/adam.ts runs on the cpu backend).
 */
export function adamUpdate(tf: Tf, x: tfNs.Tensor, g: tfNs.Tensor, m: tfNs.Tensor, v: tfNs.Tensor, a: AdamAttrs): [tfNs.Tensor, tfNs.Tensor, tfNs.Tensor] {
  return tf.tidy(() => {
    const mo = tf.add(tf.mul(a.beta1, m), tf.mul(1 - a.beta1, g));
    const vo = tf.add(tf.mul(a.beta2, v), tf.mul(1 - a.beta2, tf.square(g)));
    const denom = tf.add(tf.div(tf.sqrt(vo), Math.sqrt(1 - a.beta2 ** a.t)), a.eps);
    const xo = tf.sub(x, tf.mul(a.lr / (1 - a.beta1 ** a.t), tf.div(mo, denom)));
    return [xo, mo, vo] as [tfNs.Tensor, tfNs.Tensor, tfNs.Tensor];
  });
}

const residualNets = new Map<string, ResidualFeature>();

/** How many tensors share this data on the backend (0: released); undefined where the backend does not count. */
export function backendRefCount(tf: Tf, dataId: object): number | undefined {
  const backend = tf.engine().backend as unknown as { refCount?(dataId: object): number };
  return typeof backend.refCount === 'function' ? backend.refCount(dataId) : undefined;
}

/**
 * Host arrays handed to tfjs as tensor data (the cpu backend keeps the array itself), taken back for the next call
 * once the backend has let go of that data: a fresh multi-megabyte array per training step cost more in page faults
 * than the sgemm that fills it (measured: 8 ms against 0.8 ms for DLR²'s linear-layer gradient). An array whose
 * tensor (or a view sharing its data) is still alive is never reused.
 */
class RecycledArrays {
  private readonly slots = new Map<string, { buf: Float32Array; dataId: object }>();

  constructor(private readonly tf: Tf) {}

  take(key: string, len: number): Float32Array {
    const slot = this.slots.get(key);
    if (slot && slot.buf.length === len && backendRefCount(this.tf, slot.dataId) === 0) {
      this.slots.delete(key);
      return slot.buf;
    }
    return sharedF32(len);
  }

  tensor(key: string, buf: Float32Array, shape: number[]): tfNs.Tensor {
    const t = this.tf.tensor(buf, shape, 'float32');
    this.slots.set(key, { buf, dataId: t.dataId });
    return t;
  }
}
const residualGrads = new WeakMap<ResidualFeature, RecycledArrays>();

/** The weights of DLR²'s feature net, as tensors (the layers' variables), in ./residualFeature's naming. */
export type ResidualFeatureTensors = Record<keyof ResFeatureWeights, tfNs.Tensor>;

const RESIDUAL_NAMES = ['w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'gamma', 'beta', 'fcK', 'fcB'] as const;

/** The fused net for batches of n images shaped as x's (one per geometry, its arrays reused), or undefined where it
 * does not run: not the cpu backend, no BLAS, or weights of another architecture. */
function residualNet(tf: Tf, n: number, x: tfNs.Tensor4D, W: ResidualFeatureTensors, eps: number): ResidualFeature | undefined {
  const blas = getConvBlas();
  if (!blas || tf.getBackend() !== 'cpu') return undefined;
  const [, h, w, ci] = x.shape;
  const c1 = W.w0.shape[3] as number;
  const c2 = W.w3.shape[3] as number;
  const d = W.fcB.shape[0] as number;
  if (ci !== 1 || W.w1.shape.join() !== `3,3,${c1},${c1}` || W.w4.shape.join() !== `3,3,${c2},${c2}` || W.w5.shape.join() !== `1,1,${c1},${c2}`) return undefined;
  const key = [n, h, w, c1, c2, d, eps].join();
  let net = residualNets.get(key);
  if (!net) {
    net = new ResidualFeature(blas, { n, h, w, c1, c2, d, eps });
    residualNets.set(key, net);
  }
  return net;
}

/**
 * DLR²'s residual feature net in inference mode (the batch norm on the moving mean and variance) through the fused
 * forward, in slices of `batch` images (the training batch: its arrays serve both); undefined where the fused net
 * does not run (the caller runs the layers).
 */
export function residualFeatureInfer(tf: Tf, x: tfNs.Tensor4D, W: ResidualFeatureTensors, mean: tfNs.Tensor, variance: tfNs.Tensor, eps: number, batch: number): T2 | undefined {
  const net = residualNet(tf, batch, x, W, eps);
  if (!net) return undefined;
  const v = (t: tfNs.Tensor) => t.dataSync() as Float32Array;
  const weights = Object.fromEntries(RESIDUAL_NAMES.map((k) => [k, v(W[k])])) as unknown as ResFeatureWeights;
  const count = x.shape[0];
  return tf.tensor2d(net.infer(v(x), count, weights, v(mean), v(variance)), [count, net.s.d]);
}

/**
 * DLR²'s residual feature network in training mode (./residualFeature.ts: 1×1 conv, a 3×3 block, a stride-2 block
 * with a batch-norm shortcut, linear) as one op whose forward and backward each run as a handful of sgemm calls on
 * the cpu backend with BLAS; its gradient reaches x and every weight. Returns undefined elsewhere (the caller runs
 * the layers). mean / variance: the shortcut's batch statistics, for the moving averages the caller keeps.
 */
export function residualFeatureTrain(tf: Tf, x: tfNs.Tensor4D, W: ResidualFeatureTensors, eps: number): { out: T2; mean: Float32Array; variance: Float32Array } | undefined {
  const net = residualNet(tf, x.shape[0], x, W, eps);
  if (!net) return undefined;
  const [n] = x.shape;
  const d = net.s.d;
  const inputs = [x, ...RESIDUAL_NAMES.map((k) => W[k])];
  let stats: { mean: Float32Array; variance: Float32Array } | undefined;
  const f = tf.customGrad(((...args: tfNs.Tensor[]) => {
    const vals = args.slice(0, inputs.length).map((t) => t.dataSync() as Float32Array);
    const weights = Object.fromEntries(RESIDUAL_NAMES.map((k, i) => [k, vals[i + 1]])) as unknown as ResFeatureWeights;
    const r = net.forward(vals[0], weights);
    stats = { mean: r.mean, variance: r.variance };
    return {
      value: tf.tensor2d(r.out, [n, d]),
      gradFunc: (dy: tfNs.Tensor) => {
        const arrays = residualGrads.get(net) ?? new RecycledArrays(tf);
        residualGrads.set(net, arrays);
        const g = net.backward(r.tape, dy.dataSync() as Float32Array, (name, len) => arrays.take(name, len));
        return [arrays.tensor('dx', g.dx, x.shape), ...RESIDUAL_NAMES.map((k) => arrays.tensor(k, g[k], W[k].shape))];
      },
    };
  }) as never) as (...t: tfNs.Tensor[]) => tfNs.Tensor;
  const out = f(...inputs) as T2;
  const st = stats as unknown as { mean: Float32Array; variance: Float32Array };
  return { out, mean: st.mean, variance: st.variance };
}
