/**
 * An L-BFGS objective over a set of tf.Variables: one flattened float64 parameter vector, loss and gradients
 * from tf.variableGrads. Every readback is async (data(), never dataSync()), so it also runs on WebGPU.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { Objective } from './lbfgs';

type Tf = typeof tfNs;

export class TfObjective implements Objective {
  readonly size: number;
  private readonly offsets: number[] = [];
  /** Loss/gradient evaluations performed. */
  evaluations = 0;

  constructor(private readonly tf: Tf, readonly vars: tfNs.Variable[], private readonly loss: () => tfNs.Scalar) {
    let o = 0;
    for (const v of vars) {
      this.offsets.push(o);
      o += v.size;
    }
    this.size = o;
    const names = new Set(vars.map((v) => v.name));
    if (names.size !== vars.length) throw new Error('TfObjective: variables need distinct names');
  }

  /** The current variable values as one float64 vector. */
  async getX(): Promise<Float64Array> {
    const x = new Float64Array(this.size);
    const parts = await Promise.all(this.vars.map((v) => v.data()));
    parts.forEach((p, i) => x.set(p as Float32Array, this.offsets[i]));
    return x;
  }

  /** Writes x into the variables (rounded to float32). */
  setX(x: Float64Array): void {
    this.vars.forEach((v, i) => {
      const t = this.tf.tensor(Float32Array.from(x.subarray(this.offsets[i], this.offsets[i] + v.size)), v.shape, 'float32');
      v.assign(t);
      t.dispose();
    });
  }

  async evaluate(x: Float64Array): Promise<{ f: number; g: Float64Array }> {
    this.setX(x);
    this.evaluations++;
    const { value, grads } = this.tf.variableGrads(this.loss, this.vars);
    try {
      const reads = await Promise.all([value.data(), ...this.vars.map((v) => (grads[v.name] ? grads[v.name].data() : Promise.resolve(new Float32Array(v.size))))]);
      const g = new Float64Array(this.size);
      for (let i = 0; i < this.vars.length; i++) g.set(reads[i + 1] as Float32Array, this.offsets[i]);
      return { f: (reads[0] as Float32Array)[0], g };
    } finally {
      value.dispose();
      for (const k of Object.keys(grads)) grads[k].dispose();
    }
  }
}
