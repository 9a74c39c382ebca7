/**
 * Adam for tfjs variables with torch's update (β1 0.9, β2 0.999, ε 1e-8 by default; the bias-corrected step
 * lr/(1 − β1^t)·m/(√v/√(1 − β2^t) + ε)) and a learning rate that may change every step (schedules). On the cpu
 * backend with our kernels registered the moments are arrays updated in place by one loop per variable (adamInto),
 * so a step allocates only the new parameter values; elsewhere they are tensors and the op adamUpdate runs the same
 * formula as tensor ops.
 */
import type * as tfNs from '@tensorflow/tfjs';
import { adamUpdate, fused, type AdamAttrs } from '../linalg/ops';

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export class Adam {
  private t = 0;
  private readonly m: tfNs.Tensor[] = [];
  private readonly v: tfNs.Tensor[] = [];
  /** The moments as arrays (the cpu backend with our kernels), else undefined. */
  private readonly host?: { m: Float32Array[]; v: Float32Array[] };
  lr: number;

  constructor(private readonly tf: typeof tfNs, private readonly vars: tfNs.Variable[], private readonly o: AdamOptions) {
    this.lr = o.lr;
    if (fused(tf)) {
      this.host = { m: vars.map((x) => new Float32Array(x.size)), v: vars.map((x) => new Float32Array(x.size)) };
    } else {
      this.m = vars.map((x) => tf.zerosLike(x));
      this.v = vars.map((x) => tf.zerosLike(x));
    }
  }

  /** One step on loss(); returns the loss value (read back asynchronously). */
  async step(loss: () => tfNs.Scalar): Promise<number> {
    const { value, grads } = this.tf.variableGrads(loss, this.vars);
    this.t++;
    const a = { lr: this.lr, beta1: this.o.beta1 ?? 0.9, beta2: this.o.beta2 ?? 0.999, eps: this.o.eps ?? 1e-8, t: this.t };
    this.vars.forEach((x, k) => {
      const g = grads[x.name];
      if (!g) return;
      if (this.host) {
        const xo = new Float32Array(x.size);
        adamInto(x.dataSync() as Float32Array, g.dataSync() as Float32Array, this.host.m[k], this.host.v[k], a, xo, this.host.m[k], this.host.v[k]);
        const t = this.tf.tensor(xo, x.shape, 'float32');
        x.assign(t);
        t.dispose();
        return;
      }
      const [xo, mo, vo] = adamUpdate(this.tf, x, g, this.m[k], this.v[k], a);
      x.assign(xo);
      xo.dispose();
      this.m[k].dispose();
      this.v[k].dispose();
      this.m[k] = mo;
      this.v[k] = vo;
    });
    this.tf.dispose(Object.values(grads));
    const out = (await value.data())[0];
    value.dispose();
    return out;
  }

  dispose(): void {
    this.tf.dispose([...this.m, ...this.v]);
  }
}

/** One Adam update written into xo, mo, vo; mo and vo may be m and v themselves and xo may be x (each entry is read
 * before it is written). */
export function adamInto(x: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, a: AdamAttrs, xo: Float32Array, mo: Float32Array, vo: Float32Array): void {
  const step = a.lr / (1 - a.beta1 ** a.t);
  const bc2 = Math.sqrt(1 - a.beta2 ** a.t);
  const b1 = a.beta1;
  const b2 = a.beta2;
  for (let i = 0; i < x.length; i++) {
    const gi = g[i];
    const mi = b1 * m[i] + (1 - b1) * gi;
    const vi = b2 * v[i] + (1 - b2) * gi * gi;
    mo[i] = mi;
    vo[i] = vi;
    xo[i] = x[i] - (step * mi) / (Math.sqrt(vi) / bc2 + a.eps);
  }
}
