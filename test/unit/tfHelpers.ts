/** tfjs on the CPU backend for tests, quiet, without our kernels unless asked. */
import type * as tfNs from '@tensorflow/tfjs';

export type Tf = typeof tfNs;

export async function cpuTf(): Promise<Tf> {
  const warn = console.warn;
  console.warn = () => undefined;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const tf = require('@tensorflow/tfjs') as Tf;
  console.warn = warn;
  await tf.setBackend('cpu');
  await tf.ready();
  return tf;
}

export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(a[i]), Math.abs(b[i]));
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : Math.max(m, d);
  }
  return m;
}
