// Graph eigenbases for the spectral models (issue #14): LAPACK dsyevd through koffi — ‖AΦ − ΦΛ‖ small, Φ
// orthonormal, eigenvalues ascending; the Laplacian of a graph with a disconnected node; kNN graphs.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Prng } from '../../src/core/data/prng';
import { symmetricEigen } from '../../src/core/linalg/eigen';
import { loadLapack } from '../../src/core/linalg/lapack';
import { graphHash, knnFromSimilarity, laplacian, rowCosine } from '../../src/core/data/graph';

const lapack = loadLapack();

function check(A: Float64Array, n: number) {
  const { values, vectors: P } = symmetricEigen(A, n);
  for (let j = 1; j < n; j++) assert.ok(values[j] >= values[j - 1], 'ascending');
  let res = 0;
  let orth = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let av = 0;
      let pp = 0;
      for (let k = 0; k < n; k++) {
        av += A[i * n + k] * P[k * n + j];
        pp += P[k * n + i] * P[k * n + j];
      }
      res = Math.max(res, Math.abs(av - P[i * n + j] * values[j]));
      orth = Math.max(orth, Math.abs(pp - (i === j ? 1 : 0)));
    }
  }
  return { values, P, res, orth };
}

test('dsyevd: A Φ = Φ Λ and Φ orthonormal on a random symmetric matrix', { skip: lapack.lapack ? false : `no LAPACK: ${lapack.reason}` }, () => {
  const n = 40;
  const rng = new Prng(2);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i * n + j] = A[j * n + i] = rng.normal();
  const { res, orth } = check(A, n);
  assert.ok(res < 1e-10, `‖AΦ − ΦΛ‖∞ = ${res}`);
  assert.ok(orth < 1e-12, `‖ΦᵀΦ − I‖∞ = ${orth}`);
});

test('the Laplacian of a graph with a disconnected node: zero eigenvalues, one per component, self-loops ignored', { skip: lapack.lapack ? false : `no LAPACK: ${lapack.reason}` }, () => {
  // a path 0–1–2 with a self-loop on 1, and node 3 alone
  const n = 4;
  const W = new Float64Array(n * n);
  const edge = (i: number, j: number, w: number) => { W[i * n + j] = w; W[j * n + i] = w; };
  edge(0, 1, 1);
  edge(1, 2, 2);
  W[1 * n + 1] = 5;
  const L = laplacian({ n, W, source: 'hand' });
  assert.deepEqual([...L.subarray(0, 4)], [1, -1, 0, 0]);
  assert.deepEqual([...L.subarray(4, 8)], [-1, 3, -2, 0]);
  assert.deepEqual([...L.subarray(12, 16)], [0, 0, 0, 0]);
  const { values, res, orth } = check(L, n);
  assert.ok(res < 1e-12 && orth < 1e-12);
  // two components → two zero eigenvalues; the path's others: 3 ± √3
  assert.ok(Math.abs(values[0]) < 1e-12 && Math.abs(values[1]) < 1e-12, `${[...values]}`);
  assert.ok(Math.abs(values[2] - (3 - Math.sqrt(3))) < 1e-12 && Math.abs(values[3] - (3 + Math.sqrt(3))) < 1e-12, `${[...values]}`);
  assert.throws(() => laplacian({ n: 2, W: Float64Array.of(0, 1, 2, 0), source: 'x' }), /not symmetric/);
  assert.throws(() => laplacian({ n: 2, W: Float64Array.of(0, -1, -1, 0), source: 'x' }), /non-negative/);
});

test('kNN graphs: each node keeps its k most similar others, symmetrised by union; cosine of rating rows', () => {
  const S = Float64Array.of(
    1, 0.9, 0.1, 0.5,
    0.8, 1, 0.2, 0.1,
    0.1, 0.3, 1, 0.7,
    0.5, 0.1, 0.6, 1,
  );
  const g = knnFromSimilarity(S, 4, 1, 'hand');
  const edges = [];
  for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) if (g.W[i * 4 + j] > 0) edges.push([i, j, g.W[i * 4 + j]]);
  // 0→1, 1→0, 2→3, 3→2 (max(S_ij, S_ji) as the weight)
  assert.deepEqual(edges, [[0, 1, 0.9], [2, 3, 0.7]]);
  assert.notEqual(graphHash(g), graphHash(knnFromSimilarity(S, 4, 2, 'hand')));
  const C = rowCosine(2, 3, Int32Array.of(0, 0, 1), Int32Array.of(0, 1, 1), Float64Array.of(3, 4, 2));
  assert.ok(Math.abs(C[1] - 0.8) < 1e-15 && C[0] === 1 && C[3] === 1);
});
