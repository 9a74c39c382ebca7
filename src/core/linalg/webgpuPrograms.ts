/**
 * Fused element-wise passes for the webgpu backend (WGSL programs run through tfjs-backend-webgpu's
 * runWebGPUProgram), the counterparts of the cpu backend's fused kernels for the autoencoders' hot chains: each
 * program is one pass over an m × n matrix where the composite tfjs ops would take three to fifteen. Matrix
 * products and reductions stay on tfjs's own tiled kernels. The ops of ./ops.ts pick these when the active backend
 * is webgpu; the package is never imported here (it is optional): the backend object of the running tfjs is used.
 */
import type * as tfNs from '@tensorflow/tfjs';

type Tf = typeof tfNs;

interface Program {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  size: boolean;
  uniforms?: string;
  getUserCode: () => string;
}

interface WebgpuBackend {
  runWebGPUProgram(program: Program, inputs: tfNs.TensorInfo[], dtype: 'float32', uniforms?: { type: 'int32' | 'float32'; data: number[] }[]): tfNs.TensorInfo;
}

const WORKGROUP = 128;

/** Whether the active backend is tfjs's WebGPU backend (with runWebGPUProgram). */
export function onWebgpu(tf: Tf): boolean {
  if (tf.getBackend() !== 'webgpu') return false;
  return typeof (tf.backend() as unknown as Partial<WebgpuBackend>).runWebGPUProgram === 'function';
}

/** One element-wise pass over `shape`: `body` computes `value` for the flat output `index` from the named inputs. */
function run(tf: Tf, key: string, shape: number[], inputs: Record<string, tfNs.Tensor>, body: string, uniforms: { name: string; type: 'int32' | 'float32'; value: number }[] = []): tfNs.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const names = Object.keys(inputs);
  const program: Program = {
    variableNames: names,
    outputShape: shape,
    shaderKey: `krl_${key}`,
    dispatchLayout: { x: shape.map((_, i) => i) },
    dispatch: [Math.ceil(size / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    size: true,
    uniforms: uniforms.map((u) => `${u.name} : ${u.type === 'int32' ? 'i32' : 'f32'},`).join(' ') || undefined,
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          ${body}
          setOutputAtIndex(index, value);
        }
      }`,
  };
  const backend = tf.backend() as unknown as WebgpuBackend;
  const info = backend.runWebGPUProgram(program, names.map((n) => inputs[n]), 'float32', uniforms.map((u) => ({ type: u.type, data: [u.value] })));
  return tf.engine().makeTensorFromTensorInfo(info);
}

/** y = σ(z + b), b broadcast over rows. */
export function biasSigmoidFwd(tf: Tf, z: tfNs.Tensor2D, b: tfNs.Tensor): tfNs.Tensor2D {
  return run(tf, 'bias_sigmoid', z.shape, { Z: z, Bv: b }, 'let value = 1.0 / (1.0 + exp(-(Z[index] + Bv[index % uniforms.cols])));', [{ name: 'cols', type: 'int32', value: z.shape[1] }]) as tfNs.Tensor2D;
}

/** dz = dy·y·(1 − y). */
export function biasSigmoidBwd(tf: Tf, dy: tfNs.Tensor, y: tfNs.Tensor): tfNs.Tensor2D {
  return run(tf, 'bias_sigmoid_grad', y.shape, { DY: dy, Y: y }, 'let yy = Y[index]; let value = DY[index] * yy * (1.0 - yy);') as tfNs.Tensor2D;
}

/** The masked residual's two per-entry terms: (M(R − z − b))² (for the loss) or −M²(R − z − b) (its z-gradient). */
export function maskedSseTerms(tf: Tf, z: tfNs.Tensor2D, b: tfNs.Tensor, R: tfNs.Tensor2D, M: tfNs.Tensor2D, which: 'square' | 'grad'): tfNs.Tensor2D {
  const body = which === 'square'
    ? 'let e = M[index] * (R[index] - Z[index] - Bv[index % uniforms.cols]); let value = e * e;'
    : 'let m = M[index]; let value = -m * m * (R[index] - Z[index] - Bv[index % uniforms.cols]);';
  return run(tf, `masked_sse_${which}`, R.shape, { Z: z, Bv: b, R, M }, body, [{ name: 'cols', type: 'int32', value: R.shape[1] }]) as tfNs.Tensor2D;
}

/** D_ij = Σ_k (u_ik − v_jk)², computed directly (no |u|² + |v|² − 2uv cancellation). */
export function squaredDistancesFwd(tf: Tf, u: tfNs.Tensor2D, v: tfNs.Tensor2D): tfNs.Tensor2D {
  const [m, d] = u.shape;
  const n = v.shape[0];
  return run(tf, 'sq_dist', [m, n], { U: u, V: v }, `
          let i = index / uniforms.n;
          let j = index - i * uniforms.n;
          var acc = 0.0;
          for (var k = 0; k < uniforms.d; k++) {
            let diff = U[i * uniforms.d + k] - V[j * uniforms.d + k];
            acc = acc + diff * diff;
          }
          let value = acc;`, [{ name: 'n', type: 'int32', value: n }, { name: 'd', type: 'int32', value: d }]) as tfNs.Tensor2D;
}

/**
 * The local kernel K = max(0, 1 − D) with W: 'weff' W ⊙ K; 'reg' λs·K² + λ2·W² (summed and halved by the caller);
 * 'dW' the gradient of W ⊙ K w.r.t. W given dy (dy ⊙ K); 'dD' its gradient w.r.t. D (−dy ⊙ W where K > 0);
 * 'regD' the regulariser's gradient w.r.t. D for an upstream scalar dr (−dr·λs·K).
 */
export function localKernelPass(tf: Tf, which: 'weff' | 'reg' | 'dW' | 'dD' | 'regD', W: tfNs.Tensor2D, D: tfNs.Tensor2D, extra: { dy?: tfNs.Tensor; dr?: tfNs.Tensor; lambdaS?: number; lambda2?: number } = {}): tfNs.Tensor2D {
  const k = 'let kk = max(0.0, 1.0 - D[index]);';
  switch (which) {
    case 'weff':
      return run(tf, 'lk_weff', W.shape, { W, D }, `${k} let value = W[index] * kk;`) as tfNs.Tensor2D;
    case 'reg':
      return run(tf, 'lk_reg', W.shape, { W, D }, `${k} let w = W[index]; let value = uniforms.ls * kk * kk + uniforms.l2 * w * w;`, [{ name: 'ls', type: 'float32', value: extra.lambdaS ?? 0 }, { name: 'l2', type: 'float32', value: extra.lambda2 ?? 0 }]) as tfNs.Tensor2D;
    case 'dW':
      return run(tf, 'lk_dw', W.shape, { GY: extra.dy as tfNs.Tensor, D }, `${k} let value = GY[index] * kk;`) as tfNs.Tensor2D;
    case 'dD':
      return run(tf, 'lk_dd', W.shape, { GY: extra.dy as tfNs.Tensor, W, D }, 'var value = 0.0; if (D[index] < 1.0) { value = -GY[index] * W[index]; }') as tfNs.Tensor2D;
    case 'regD':
      return run(tf, 'lk_regd', W.shape, { DR: extra.dr as tfNs.Tensor, D }, `${k} let value = -DR[0] * uniforms.ls * kk;`, [{ name: 'ls', type: 'float32', value: extra.lambdaS ?? 0 }]) as tfNs.Tensor2D;
  }
}
