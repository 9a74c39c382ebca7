/**
 * Adam for tfjs variables with torch's update (β1 0.9, β2 0.999, ε 1e-8 by default; the bias-corrected step
 * lr/(1 − β1^t)·m/(√v/√(1 − β2^t) + ε)), one fused pass per variable through the op adamUpdate, and a learning
 * rate that may change every step (schedules). The moments are kept as tensors of the variables' shapes.
 */
import type * as tfNs from '@tensorflow/tfjs';
import { adamUpdate } from '../linalg/ops';

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export class Adam {
  private t = 0;
  private readonly m: tfNs.Tensor[];
  private readonly v: tfNs.Tensor[];
  lr: number;

  constructor(private readonly tf: typeof tfNs, private readonly vars: tfNs.Variable[], private readonly o: AdamOptions) {
    this.lr = o.lr;
    this.m = vars.map((x) => tf.zerosLike(x));
    this.v = vars.map((x) => tf.zerosLike(x));
  }

  /** One step on loss(); returns the loss value (read back asynchronously). */
  async step(loss: () => tfNs.Scalar): Promise<number> {
    const { value, grads } = this.tf.variableGrads(loss, this.vars);
    this.t++;
    const a = { lr: this.lr, beta1: this.o.beta1 ?? 0.9, beta2: this.o.beta2 ?? 0.999, eps: this.o.eps ?? 1e-8, t: this.t };
    this.vars.forEach((x, k) => {
      const g = grads[x.name];
      if (!g) return;
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
