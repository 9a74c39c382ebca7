/**
 * Fused CPU versions of the two element-wise chains that dominate an autoencoder evaluation on large matrices:
 *   biasSigmoid(z, b)            = σ(z + b)                      backward: dz = dy·y·(1 − y), db = Σ_rows dz
 *   maskedSseBias(z, b, R, M)    = ½ Σ (M ⊙ (R − (z + b)))²      backward: dz = −dy·M²·(R − z − b), db = Σ_rows dz
 * One pass each way instead of five to ten tensor ops. Used only on the cpu backend (they read values
 * synchronously); other backends run the same formulas as ordinary tfjs ops. The arithmetic is the same.
 */
import type * as tfNs from '@tensorflow/tfjs';

type Tf = typeof tfNs;
type T2 = tfNs.Tensor2D;

const onCpu = (tf: Tf) => tf.getBackend() === 'cpu';

function colSums(tf: Tf, g: Float32Array, rows: number, cols: number): tfNs.Tensor1D {
  const acc = new Float64Array(cols);
  for (let r = 0, k = 0; r < rows; r++) for (let c = 0; c < cols; c++, k++) acc[c] += g[k];
  return tf.tensor1d(Float32Array.from(acc));
}

export function biasSigmoid(tf: Tf, z: T2, b: tfNs.Tensor): T2 {
  if (!onCpu(tf)) return tf.sigmoid(tf.add(z, b));
  const op = tf.customGrad((zz, bb, save) => {
    const [rows, cols] = (zz as T2).shape;
    const zv = (zz as T2).dataSync();
    const bv = (bb as tfNs.Tensor).dataSync();
    const y = new Float32Array(rows * cols);
    for (let r = 0, k = 0; r < rows; r++) for (let c = 0; c < cols; c++, k++) y[k] = 1 / (1 + Math.exp(-(zv[k] + bv[c])));
    const yt = tf.tensor2d(y, [rows, cols]);
    (save as unknown as tfNs.GradSaveFunc)([yt]);
    return {
      value: yt,
      gradFunc: (dy: tfNs.Tensor, saved: tfNs.Tensor[]) => {
        const yv = saved[0].dataSync();
        const dv = dy.dataSync();
        const g = new Float32Array(rows * cols);
        for (let k = 0; k < g.length; k++) g[k] = dv[k] * yv[k] * (1 - yv[k]);
        return [tf.tensor2d(g, [rows, cols]), colSums(tf, g, rows, cols)];
      },
    };
  });
  return op(z, b) as T2;
}

export function maskedSseBias(tf: Tf, z: T2, b: tfNs.Tensor, R: T2, M: T2): tfNs.Scalar {
  if (!onCpu(tf)) return tf.mul(0.5, tf.sum(tf.square(tf.mul(M, tf.sub(R, tf.add(z, b)))))) as tfNs.Scalar;
  const rv = R.dataSync();
  const mv = M.dataSync();
  const op = tf.customGrad((zz, bb, save) => {
    const [rows, cols] = (zz as T2).shape;
    const zv = (zz as T2).dataSync();
    const bv = (bb as tfNs.Tensor).dataSync();
    // g = ∂L/∂z for dy = 1: −M²(R − z − b); L = ½Σ(M(R − z − b))²
    const g = new Float32Array(rows * cols);
    let s = 0;
    for (let r = 0, k = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++, k++) {
        const m = mv[k];
        if (m === 0) continue;
        const e = m * (rv[k] - (zv[k] + bv[c]));
        s += e * e;
        g[k] = -m * e;
      }
    }
    const gt = tf.tensor2d(g, [rows, cols]);
    (save as unknown as tfNs.GradSaveFunc)([gt]);
    return {
      value: tf.scalar(0.5 * s),
      gradFunc: (dy: tfNs.Tensor, saved: tfNs.Tensor[]) => {
        const d = dy.dataSync()[0];
        const gv = saved[0].dataSync();
        const out = new Float32Array(gv.length);
        for (let k = 0; k < out.length; k++) out[k] = gv[k] * d;
        return [tf.tensor2d(out, [rows, cols]), colSums(tf, out, rows, cols)];
      },
    };
  });
  return op(z, b) as tfNs.Scalar;
}

/**
 * The local-kernel layer's weights W ⊙ K with K = max(0, 1 − D), from W and the squared distances D, in one pass.
 * Backward: ∂W = dy·K, ∂D = −dy·W where K > 0 (0 elsewhere, as relu's gradient).
 */
export function localKernelWeights(tf: Tf, W: T2, D: T2): T2 {
  if (!onCpu(tf)) return tf.mul(W, tf.relu(tf.sub(1, D)));
  const op = tf.customGrad((w, d, save) => {
    const [rows, cols] = (w as T2).shape;
    const wv = (w as T2).dataSync();
    const dv = (d as T2).dataSync();
    const out = new Float32Array(rows * cols);
    for (let k = 0; k < out.length; k++) {
      const K = 1 - dv[k];
      out[k] = K > 0 ? wv[k] * K : 0;
    }
    (save as unknown as tfNs.GradSaveFunc)([w as T2, d as T2]);
    return {
      value: tf.tensor2d(out, [rows, cols]),
      gradFunc: (dy: tfNs.Tensor, saved: tfNs.Tensor[]) => {
        const sw = saved[0].dataSync();
        const sd = saved[1].dataSync();
        const g = dy.dataSync();
        const dW = new Float32Array(g.length);
        const dD = new Float32Array(g.length);
        for (let k = 0; k < g.length; k++) {
          const K = 1 - sd[k];
          if (K > 0) {
            dW[k] = g[k] * K;
            dD[k] = -g[k] * sw[k];
          }
        }
        return [tf.tensor2d(dW, [rows, cols]), tf.tensor2d(dD, [rows, cols])];
      },
    };
  });
  return op(W, D) as T2;
}

/**
 * The local-kernel regulariser λs·½ΣK² + λ2·½ΣW² (K = max(0, 1 − D)) in one pass.
 * Backward: ∂W = dy·λ2·W, ∂D = −dy·λs·K.
 */
export function localKernelReg(tf: Tf, W: T2, D: T2, lambdaS: number, lambda2: number): tfNs.Scalar {
  if (!onCpu(tf)) return tf.add(tf.mul(lambdaS / 2, tf.sum(tf.square(tf.relu(tf.sub(1, D))))), tf.mul(lambda2 / 2, tf.sum(tf.square(W)))) as tfNs.Scalar;
  const op = tf.customGrad((w, d, save) => {
    const [rows, cols] = (w as T2).shape;
    const wv = (w as T2).dataSync();
    const dv = (d as T2).dataSync();
    let sk = 0;
    let sw = 0;
    for (let k = 0; k < wv.length; k++) {
      const K = 1 - dv[k];
      if (K > 0) sk += K * K;
      sw += wv[k] * wv[k];
    }
    (save as unknown as tfNs.GradSaveFunc)([w as T2, d as T2]);
    return {
      value: tf.scalar((lambdaS / 2) * sk + (lambda2 / 2) * sw),
      gradFunc: (dy: tfNs.Tensor, saved: tfNs.Tensor[]) => {
        const g = dy.dataSync()[0];
        const w2 = saved[0].dataSync();
        const d2 = saved[1].dataSync();
        const dW = new Float32Array(w2.length);
        const dD = new Float32Array(w2.length);
        for (let k = 0; k < w2.length; k++) {
          dW[k] = g * lambda2 * w2[k];
          const K = 1 - d2[k];
          if (K > 0) dD[k] = -g * lambdaS * K;
        }
        return [tf.tensor2d(dW, [rows, cols]), tf.tensor2d(dD, [rows, cols])];
      },
    };
  });
  return op(W, D) as tfNs.Scalar;
}
