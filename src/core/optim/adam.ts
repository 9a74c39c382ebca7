/**
 * Adam for tfjs variables with torch's update (β1 0.9, β2 0.999, ε 1e-8 by default; the bias-corrected step
 * lr/(1 − β1^t)·m/(√v/√(1 − β2^t) + ε)) and a learning rate that may change every step (schedules). On the cpu
 * backend with our kernels registered the moments are arrays updated in place by one pass per variable (../linalg/
 * parallel.ts adamRows); the first step writes the new parameter values to fresh shared memory, later steps update
 * those in place while the variable alone holds them (a fresh multi-megabyte array per step cost more in page faults
 * than the update itself); a large variable whose values and gradient are on shared memory (DLR²'s feature net: its
 * fused op hands out shared gradients) is split over the worker pool; elsewhere the moments are tensors and the op
 * adamUpdate runs the same formula as tensor ops.
 */
import type * as tfNs from '@tensorflow/tfjs';
import { adamUpdate, backendRefCount, fused, type AdamAttrs } from '../linalg/ops';
import { adamRows, flatRows, isShared, parallelRows, sharedF32 } from '../linalg/parallel';

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
      this.host = { m: vars.map((x) => sharedF32(x.size)), v: vars.map((x) => sharedF32(x.size)) };
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
        const xv = x.dataSync() as Float32Array;
        const gv = g.dataSync() as Float32Array;
        // in place when the variable alone holds its values and they are the shared array an earlier step wrote
        // (the backend hands out its own array then): no fresh array per step, whose pages cost more to fault in
        // than the update itself on some machines
        const inPlace = isShared(xv) && backendRefCount(this.tf, x.dataId) === 1;
        const xo = inPlace ? xv : sharedF32(x.size);
        const args = {
          x: xv, g: gv, m: this.host.m[k], v: this.host.v[k], xo, step: a.lr / (1 - a.beta1 ** a.t), ib: 1 / Math.sqrt(1 - a.beta2 ** a.t),
          b1: a.beta1, b2: a.beta2, eps: a.eps, cols: x.size / flatRows(x.size),
        };
        const rows = flatRows(x.size);
        if (rows > 1 && isShared(xv) && isShared(gv) && isShared(args.m)) parallelRows('adamRows', args, rows, args.cols * 4);
        else adamRows(args, 0, rows);
        if (inPlace) return;
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

