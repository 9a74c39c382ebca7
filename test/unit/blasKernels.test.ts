/** BLAS matmul kernels against the stock tfjs CPU kernels, and gradients through matMul against finite differences. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { cpuTf, maxRelDiff } from './tfHelpers';
import { registerCpuKernels, unregisterCpuKernels } from '../../src/core/linalg/kernels/register';

const installBlasKernels = (tf: Parameters<typeof registerCpuKernels>[0], o: { library?: string } = {}) => registerCpuKernels(tf, { groups: ['blas'], blasLibrary: o.library });
const uninstallBlasKernels = (tf: Parameters<typeof unregisterCpuKernels>[0]) => unregisterCpuKernels(tf, ['blas']);
import { loadBlas } from '../../src/core/linalg/blas';
import { Prng } from '../../src/core/data/prng';

const hasBlas = !!loadBlas().blas;
const rng = new Prng(5);
const rand = (shape: number[]) => Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () => rng.next() * 2 - 1);

const CASES: { a: number[]; b: number[]; ta?: boolean; tb?: boolean }[] = [
  { a: [3, 4], b: [4, 5] },
  { a: [4, 3], b: [4, 5], ta: true },
  { a: [3, 4], b: [5, 4], tb: true },
  { a: [4, 3], b: [5, 4], ta: true, tb: true },
  { a: [1, 7], b: [7, 1] },
  { a: [7, 1], b: [1, 6] },
  { a: [1, 1], b: [1, 1] },
  { a: [2, 3, 4], b: [2, 4, 5] },
  { a: [2, 3, 4], b: [1, 4, 5] },
  { a: [1, 3, 4], b: [3, 4, 2] },
  { a: [2, 2, 3, 4], b: [2, 1, 4, 6], tb: false },
  { a: [2, 5, 3], b: [2, 5, 4], ta: true },
  { a: [64, 129], b: [129, 33] },
  { a: [0, 4], b: [4, 3] },
  { a: [3, 0], b: [0, 5] },
];

/** float64 reference with numpy-style broadcasting of the batch dimensions. */
function reference(a: Float32Array, as: number[], b: Float32Array, bs: number[], ta = false, tb = false): Float64Array {
  const m = ta ? as[as.length - 1] : as[as.length - 2];
  const k = ta ? as[as.length - 2] : as[as.length - 1];
  const n = tb ? bs[bs.length - 2] : bs[bs.length - 1];
  const oa = as.slice(0, -2);
  const ob = bs.slice(0, -2);
  const r = Math.max(oa.length, ob.length);
  const pa = [...Array(r - oa.length).fill(1), ...oa];
  const pb = [...Array(r - ob.length).fill(1), ...ob];
  const out = pa.map((x, i) => Math.max(x, pb[i]));
  const batch = out.reduce((p, q) => p * q, 1);
  const res = new Float64Array(batch * m * n);
  for (let bi = 0; bi < batch; bi++) {
    let rem = bi;
    let ia = 0;
    let ib = 0;
    let sa = 1;
    let sb = 1;
    for (let d = r - 1; d >= 0; d--) {
      const idx = rem % out[d];
      rem = Math.floor(rem / out[d]);
      ia += (pa[d] === 1 ? 0 : idx) * sa;
      ib += (pb[d] === 1 ? 0 : idx) * sb;
      sa *= pa[d];
      sb *= pb[d];
    }
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += a[ia * m * k + (ta ? q * m + i : i * k + q)] * b[ib * k * n + (tb ? j * k + q : q * n + j)];
      res[(bi * m + i) * n + j] = s;
    }
  }
  return res;
}

test('BLAS BatchMatMul equals a float64 reference (and the stock kernel) within 1e-5 relative on many shapes', { skip: !hasBlas && 'no BLAS library on this machine (install libopenblas0-pthread)' }, async () => {
  const tf = await cpuTf();
  for (const c of CASES) {
    const av = rand(c.a);
    const bv = rand(c.b);
    const a = tf.tensor(av, c.a);
    const b = tf.tensor(bv, c.b);
    uninstallBlasKernels(tf);
    const stock = await tf.matMul(a as never, b as never, c.ta, c.tb).data();
    const st = installBlasKernels(tf);
    assert.ok(st.active, st.reason);
    const v = await tf.matMul(a as never, b as never, c.ta, c.tb).data();
    const ref = reference(av, c.a, bv, c.b, c.ta, c.tb);
    assert.equal(v.length, ref.length, `shape ${JSON.stringify(c)}`);
    assert.ok(maxRelDiff(v, ref) <= 1e-5, `${JSON.stringify(c)}: max rel diff to reference ${maxRelDiff(v, ref)}`);
    // The stock CPU kernel broadcasts batch dimensions by index modulo (a [2,2,…] with b [2,1,…] pairs the wrong
    // matrices), so it is only a reference where no inner batch dimension is broadcast.
    const innerBroadcast = c.a.length === 4 && c.b.length === 4 && c.a[1] !== c.b[1];
    if (!innerBroadcast) assert.ok(maxRelDiff(v, stock) <= 1e-5, `${JSON.stringify(c)}: max rel diff to stock ${maxRelDiff(v, stock)}`);
  }
});

test('fused matMul with bias and activation equals the stock kernel', { skip: !hasBlas && 'no BLAS library' }, async () => {
  const tf = await cpuTf();
  const a = tf.tensor2d(rand([6, 5]), [6, 5]);
  const b = tf.tensor2d(rand([5, 4]), [5, 4]);
  const bias = tf.tensor1d(rand([4]));
  for (const activation of ['linear', 'relu', 'sigmoid', 'elu'] as const) {
    uninstallBlasKernels(tf);
    const stock = await tf.fused.matMul({ a, b, bias, activation }).data();
    installBlasKernels(tf);
    const ours = await tf.fused.matMul({ a, b, bias, activation }).data();
    assert.ok(maxRelDiff(ours, stock) <= 1e-5, `${activation}: ${maxRelDiff(ours, stock)}`);
  }
});

test('gradients through the BLAS matMul agree with finite differences', { skip: !hasBlas && 'no BLAS library' }, async () => {
  const tf = await cpuTf();
  installBlasKernels(tf);
  const A = rand([4, 3]);
  const B = rand([3, 5]);
  const W = rand([4, 5]);
  // L(A, B) = Σ (A·B) ⊙ W — bilinear, so central differences are exact up to rounding
  const L = (a: Float32Array, b: Float32Array) => {
    let s = 0;
    for (let i = 0; i < 4; i++) for (let j = 0; j < 5; j++) {
      let d = 0;
      for (let k = 0; k < 3; k++) d += a[i * 3 + k] * b[k * 5 + j];
      s += d * W[i * 5 + j];
    }
    return s;
  };
  const g = tf.grads((...[a, b]: import('@tensorflow/tfjs').Tensor[]) => tf.sum(tf.mul(tf.matMul(a as never, b as never), tf.tensor2d(W, [4, 5]))));
  const [ga, gb] = g([tf.tensor2d(A, [4, 3]), tf.tensor2d(B, [3, 5])]);
  const [va, vb] = [await ga.data(), await gb.data()];
  const eps = 1e-3;
  for (let i = 0; i < A.length; i++) {
    const p = Float32Array.from(A); p[i] += eps;
    const m = Float32Array.from(A); m[i] -= eps;
    const fd = (L(p, B) - L(m, B)) / (2 * eps);
    assert.ok(Math.abs(fd - va[i]) < 1e-3, `dA[${i}] ${va[i]} vs ${fd}`);
  }
  for (let i = 0; i < B.length; i++) {
    const p = Float32Array.from(B); p[i] += eps;
    const m = Float32Array.from(B); m[i] -= eps;
    const fd = (L(A, p) - L(A, m)) / (2 * eps);
    assert.ok(Math.abs(fd - vb[i]) < 1e-3, `dB[${i}] ${vb[i]} vs ${fd}`);
  }
});

test('without a usable BLAS the stock kernels stay and the reason is reported', async () => {
  const tf = await cpuTf();
  const st = installBlasKernels(tf, { library: '/nonexistent/libnothing.so' });
  if (hasBlas) {
    // a default library was found earlier in this process: the explicit bogus path is not loadable
    assert.equal(typeof st.active, 'boolean');
  } else {
    assert.equal(st.active, false);
    assert.match(st.reason ?? '', /BLAS|koffi/);
  }
  const r = await tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2])).data();
  assert.deepEqual(Array.from(r), [19, 22, 43, 50]);
});
