/**
 * Fused CPU versions of the element-wise chains that dominate an autoencoder evaluation on large matrices:
 *   biasSigmoid(z, b)            = σ(z + b)                      backward: dz = dy·y·(1 − y), db = Σ_rows dz
 *   maskedSseBias(z, b, R, M)    = ½ Σ (M ⊙ (R − (z + b)))²      backward: dz = −dy·M²·(R − z − b), db = Σ_rows dz
 *   localKernel(W, u, v)         = W ⊙ K and λs·½ΣK² + λ2·½ΣW², K = max(0, 1 − ‖u_i − v_j‖²)
 * One pass each way instead of five to ten tensor ops, split by rows over the worker pool of ../linalg/parallel.
 * Used only on the cpu backend (they read values synchronously); other backends run the same formulas as ordinary
 * tfjs ops.
 */
import type * as tfNs from '@tensorflow/tfjs';
import { observedEntries, parallelRows, rangesFor, sharedF32, sharedF64, toShared, transposedF64 } from '../../linalg/parallel';
import { type CpuBackend, type TensorInfo, f32Values } from '../../linalg/cpuBackend';

type Tf = typeof tfNs;
type T2 = tfNs.Tensor2D;

const onCpu = (tf: Tf) => tf.getBackend() === 'cpu';

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
  if (!onCpu(tf)) return tf.sigmoid(tf.add(z, b));
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
  if (!onCpu(tf)) return tf.mul(0.5, tf.sum(tf.square(tf.mul(M, tf.sub(R, tf.add(z, b)))))) as tfNs.Scalar;
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

// ---- the whole local-kernel layer weight computation as one registered two-output CPU kernel ----------------------

interface LocalKernelAttrs {
  lambdaS: number;
  lambda2: number;
}

const FWD = 'KrlLocalKernel';
const BWD = 'KrlLocalKernelGrad';

/** Registers both kernels and the gradient once per tfjs instance (the kernel registry says whether it has been). */
function registerLocalKernel(tf: Tf): void {
  if (tf.getKernel(FWD, 'cpu')) return;
  tf.registerKernel({
    kernelName: FWD,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const cpu = backend as unknown as CpuBackend;
      const { W, u, v } = inputs as unknown as Record<'W' | 'u' | 'v', TensorInfo>;
      const { lambdaS, lambda2 } = attrs as unknown as LocalKernelAttrs;
      const [m, n] = W.shape;
      const d = u.shape[1];
      const out = sharedF32(m * n);
      const work = n * (3 * d + 4);
      const partials = sharedF64(2 * rangesFor(m, work));
      const args = { W: toShared(f32Values(cpu, W)), u: toShared(f32Values(cpu, u)), vt: transposedF64(f32Values(cpu, v), n, d), out, n, d, partials };
      const parts = parallelRows('localKernelFwd', args, m, work);
      let sk = 0;
      let sw = 0;
      for (let p = 0; p < parts; p++) {
        sk += partials[2 * p];
        sw += partials[2 * p + 1];
      }
      return [cpu.makeTensorInfo([m, n], 'float32', out), cpu.makeTensorInfo([], 'float32', Float32Array.of((lambdaS / 2) * sk + (lambda2 / 2) * sw))] as never;
    },
  });
  tf.registerKernel({
    kernelName: BWD,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const cpu = backend as unknown as CpuBackend;
      const { dy, dr, W, u, v } = inputs as unknown as Record<'dy' | 'dr' | 'W' | 'u' | 'v', TensorInfo>;
      const { lambdaS, lambda2 } = attrs as unknown as LocalKernelAttrs;
      const [m, n] = W.shape;
      const d = u.shape[1];
      const vv = f32Values(cpu, v);
      const dW = sharedF32(m * n);
      const du = sharedF32(m * d);
      const work = n * (7 * d + 8);
      const slot = (d + 1) * n; // per range: Σ_i ∂D_ij·u_ik (d × n), then Σ_i ∂D_ij (n)
      const partials = sharedF64(rangesFor(m, work) * slot);
      const args = { dy: toShared(f32Values(cpu, dy)), r: f32Values(cpu, dr)[0], W: toShared(f32Values(cpu, W)), u: toShared(f32Values(cpu, u)), vt: transposedF64(vv, n, d), dW, du, n, d, lambdaS, lambda2, partials };
      const parts = parallelRows('localKernelBwd', args, m, work);
      // ∂D_ij/∂v_jk = −2(u_ik − v_jk): dv_jk = 2(v_jk·Σ_i ∂D_ij − Σ_i ∂D_ij·u_ik)
      const dv = new Float32Array(n * d);
      for (let j = 0; j < n; j++) {
        let cs = 0;
        for (let p = 0; p < parts; p++) cs += partials[p * slot + d * n + j];
        for (let k = 0; k < d; k++) {
          let gu = 0;
          for (let p = 0; p < parts; p++) gu += partials[p * slot + k * n + j];
          dv[j * d + k] = 2 * (vv[j * d + k] * cs - gu);
        }
      }
      return [cpu.makeTensorInfo([m, n], 'float32', dW), cpu.makeTensorInfo([m, d], 'float32', du), cpu.makeTensorInfo([n, d], 'float32', dv)] as never;
    },
  });
  tf.registerGradient({
    kernelName: FWD,
    inputsToSave: ['W', 'u', 'v'],
    gradFunc: (dys, saved, attrs) => {
      const [dy, dr] = dys as tfNs.Tensor[];
      const [W, u, v] = saved;
      // computed here, not inside the per-input closures: those run in separate tidy scopes, and one kernel call
      // yields all three gradients (tensors made here belong to the enclosing backward scope)
      const [gW, gu, gv] = tf.engine().runKernel(BWD, { dy, dr, W, u, v } as never, attrs as never) as unknown as tfNs.Tensor[];
      return { W: () => gW, u: () => gu, v: () => gv };
    },
  });
}

/**
 * A local-kernel layer's effective weights W ⊙ K and its regulariser λs·½ΣK² + λ2·½ΣW², where
 * K_ij = max(0, 1 − ‖u_i − v_j‖²). On the cpu backend one registered kernel computes both in a single pass over
 * (i, j) (the distances are never stored), and one backward pass yields ∂W, ∂u and ∂v; other backends run the same
 * formulas as ordinary tfjs ops.
 */
export function localKernel(tf: Tf, W: T2, u: T2, v: T2, lambdaS: number, lambda2: number, distances: (u: T2, v: T2) => T2): { W: T2; reg: tfNs.Scalar } {
  if (!onCpu(tf)) {
    const K = tf.relu(tf.sub(1, distances(u, v)));
    const reg = tf.add(tf.mul(lambdaS / 2, tf.sum(tf.square(K))), tf.mul(lambda2 / 2, tf.sum(tf.square(W)))) as tfNs.Scalar;
    return { W: tf.mul(W, K), reg };
  }
  registerLocalKernel(tf);
  const [weff, reg] = tf.engine().runKernel(FWD, { W, u, v } as never, { lambdaS, lambda2 } as never) as unknown as [T2, tfNs.Scalar];
  return { W: weff, reg };
}
